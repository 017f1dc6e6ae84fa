import { describe, expect, it } from 'vitest';
import { runScript } from '../run-script.js';
import { formatAblation } from './ablation.js';

const run = (...args: string[]) => runScript(new URL('./ablation.ts', import.meta.url), ...args);

describe('ablation command line', () => {
  it('prints its usage on --help and names an unknown option', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npx tsx bench\/gateway\/ablation\.ts/);
    expect(help.stdout).toMatch(/--baseline DIR/);
    const bad = run('--bogus');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/Unknown option '--bogus'/);
  });
});

describe('formatAblation', () => {
  it('shows each variant’s change from the one before it', () => {
    const text = formatAblation([
      { variant: 'bare', p50Ms: 0.2, p99Ms: 1.25, rps16: 5000, rps64: 4000, peakRssMb: 60.4, errors: 0 },
      { variant: 'null-ports', p50Ms: 0.3, p99Ms: 2, rps16: 4000, rps64: 4400, peakRssMb: 80, errors: 2 },
    ]);
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(
      /^\| variant +\| +p50 1c \| +p99 1c \| req\/s 16c \| +Δ \| req\/s 64c \| +Δ \| peak RSS \| errors \|$/,
    );
    expect(lines[2]).toMatch(
      /^\| bare +\| 0\.200 ms \| 1\.250 ms \| +5000 \| +\| +4000 \| +\| +60 MB \| +0 \|$/,
    );
    expect(lines[3]).toMatch(
      /^\| null-ports \| 0\.300 ms \| 2\.000 ms \| +4000 \| -20% \| +4400 \| \+10% \| +80 MB \| +2 \|$/,
    );
  });
});
