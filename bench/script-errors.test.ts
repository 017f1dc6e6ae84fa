import { describe, expect, it } from 'vitest';
import { runScript } from './run-script.js';
import { usageOf } from './script-errors.js';

describe('usageOf', () => {
  it('takes the command lines of the header comment, not commands the script prints later', () => {
    const source = [
      '/**',
      ' * Does a thing.',
      ' *',
      ' *   npx tsx bench/thing.ts [--rounds R]',
      ' *   npx tsx bench/thing.ts --events FILE',
      ' */',
      "const command = 'npx tsx bench/thing.ts --rounds 3';",
    ].join('\n');
    expect(usageOf(source)).toBe(
      'usage: npx tsx bench/thing.ts [--rounds R]\nusage: npx tsx bench/thing.ts --events FILE',
    );
  });
});

describe('a bench script run by hand', () => {
  const features = new URL('./features.ts', import.meta.url);

  it('names a bad flag in one line, shows its usage and exits 2', () => {
    const bad = runScript(features, '--bogus');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      "features: Unknown option '--bogus'\n" +
        'usage: npx tsx bench/features.ts [--data ../shared/data] [--events 20000] [--rounds 7]\n',
    );
  });

  it('prints its usage on --help', () => {
    const help = runScript(features, '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npx tsx bench\/features\.ts /);
  });

  it('reports a missing input file in one line, without a stack', () => {
    const missing = runScript(new URL('./snapshot.ts', import.meta.url), '/nonexistent/sim-dir');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^snapshot: cannot .*\/nonexistent\/sim-dir.*\n$/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
