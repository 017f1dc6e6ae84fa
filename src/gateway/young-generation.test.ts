import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { capYoungGeneration } from './young-generation.js';

const moduleUrl = new URL('./young-generation.ts', import.meta.url).href;

/**
 * Runs an allocation-heavy script in a fresh node (V8 flags are process-wide: capping the test
 * worker would slow every other test file sharing it) and returns what it printed.
 */
function allocateIn(capMb: number, nodeFlags: string[] = []): { capped: boolean; newSpaceMb: number } {
  const script = `
    import { capYoungGeneration, newSpaceBytes } from ${JSON.stringify(moduleUrl)};
    const cap = ${capMb} > 0 ? capYoungGeneration(${capMb}) : undefined;
    let keep = [];
    for (let round = 0; round < 150; round++) {
      for (let i = 0; i < 20000; i++) { keep.push({ a: i, b: 'x' + i }); if (keep.length > 5000) keep = []; }
      await new Promise((resolve) => setImmediate(resolve));
    }
    cap?.stop();
    console.log(JSON.stringify({ capped: cap?.capped ?? false, newSpaceMb: newSpaceBytes() / 1048576 }));
  `;
  const child = spawnSync(
    process.execPath,
    [...nodeFlags, '--import', 'tsx', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      timeout: 60_000,
    },
  );
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as { capped: boolean; newSpaceMb: number };
}

describe('capYoungGeneration', () => {
  it('stops the new space growing past the cap under short-lived garbage', () => {
    const uncapped = allocateIn(0);
    const capped = allocateIn(2);
    // V8's default lets it grow to 2 × 16 MB here; capped at 2 MB per semi-space it stays at 4 MB.
    expect(uncapped.newSpaceMb).toBeGreaterThan(8);
    expect(capped.capped).toBe(true);
    expect(capped.newSpaceMb).toBeLessThanOrEqual(4);
  }, 60_000);

  it('leaves a process started with --max-semi-space-size alone', () => {
    const result = allocateIn(2, ['--max-semi-space-size=8']);
    expect(result.capped).toBe(false);
    expect(result.newSpaceMb).toBeGreaterThan(4);
  }, 60_000);

  it('refuses a cap below 1 MB', () => {
    expect(() => capYoungGeneration(0)).toThrow(/at least 1/);
  });
});
