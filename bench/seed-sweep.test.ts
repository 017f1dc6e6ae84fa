import { describe, expect, it } from 'vitest';
import { runScript } from './run-script.js';

const run = (...args: string[]) => runScript(new URL('./seed-sweep.ts', import.meta.url), ...args);

describe('seed-sweep command line', () => {
  it('prints its usage on --help', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--seeds LIST/);
    expect(help.stdout).toMatch(/--without-accounts/);
  });

  it('rejects a seed list it cannot read before simulating anything', () => {
    const bad = run('--seeds', '3-1');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('seed-sweep: --seeds: range 3-1 runs backwards\n');
    const scale = run('--scale', 'big');
    expect(scale.status).toBe(1);
    expect(scale.stderr).toMatch(/--scale must be a positive number, got "big"/);
  });
});
