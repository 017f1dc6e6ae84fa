import { describe, expect, it } from 'vitest';
import { limitOldSpaceGrowth } from './heap-growth.js';
import { runInFreshNode } from './testing/fresh-node.js';

const moduleUrl = new URL('./heap-growth.ts', import.meta.url).href;

/**
 * Peak old-space size in a fresh node (V8 flags are process-wide) while objects live long enough
 * to be promoted and then die — the shape of in-flight requests' garbage.
 */
function peakOldSpaceMb(
  percent: number | undefined,
  nodeFlags: string[] = [],
): { applied: boolean; peakMb: number } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { limitOldSpaceGrowth } from ${JSON.stringify(moduleUrl)};
    const applied = ${percent === undefined ? 'false' : `limitOldSpaceGrowth(${percent})`};
    const old = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_size;
    let peak = 0;
    const window = [];
    for (let round = 0; round < 600; round++) {
      window.push(Array.from({ length: 8000 }, (_, j) => ({ j, round })));
      if (window.length > 60) window.shift();
      await new Promise((resolve) => setImmediate(resolve));
      peak = Math.max(peak, old());
    }
    console.log(JSON.stringify({ applied, peakMb: peak / 1048576 }));
  `;
  return runInFreshNode<{ applied: boolean; peakMb: number }>(script, nodeFlags);
}

describe('limitOldSpaceGrowth', () => {
  it('keeps old space well below what V8 lets it reach by default', () => {
    const byDefault = peakOldSpaceMb(undefined);
    const limited = peakOldSpaceMb(50);
    // Measured: ~105–110 MB by default, ~45–47 MB at 50 %.
    expect(limited.applied).toBe(true);
    expect(limited.peakMb).toBeLessThan(byDefault.peakMb * 0.75);
  }, 60_000);

  it('leaves a process started with --heap-growing-percent alone', () => {
    expect(peakOldSpaceMb(50, ['--heap-growing-percent=200']).applied).toBe(false);
  }, 60_000);

  it('refuses a percentage outside 1–300', () => {
    expect(() => limitOldSpaceGrowth(0)).toThrow(/1 to 300/);
    expect(() => limitOldSpaceGrowth(12.5)).toThrow(/1 to 300/);
  });
});
