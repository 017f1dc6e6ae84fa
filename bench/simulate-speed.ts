/**
 * How long `simulate` takes at a given scale, and how big its output is: the generation half of
 * the bench budget (target ≲ 600k events in ≲ 40 s at the default scale on this 2-core machine).
 * Runs the real simulate() into a temporary directory, several rounds, and prints medians.
 *
 * Usage: npx tsx bench/simulate-speed.ts [--scale 0.005] [--rounds 3] [--data ../shared/data]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SCALE, simulate } from '../src/sim/simulate.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: String(DEFAULT_SCALE) },
    rounds: { type: 'string', default: '3' },
    data: { type: 'string', default: '../shared/data' },
  },
});
const scale = Number(values.scale);
const rounds = Number(values.rounds);
if (!(scale > 0) || !Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write('usage: simulate-speed.ts [--scale x] [--rounds n] [--data dir]\n');
  process.exit(2);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

const seconds: number[] = [];
let events = 0;
let bytes = 0;
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 200);
for (let r = 0; r < rounds; r++) {
  const dir = await mkdtemp(join(tmpdir(), 'dg-simspeed-'));
  const t0 = performance.now();
  const summary = await simulate({ outDir: dir, seed: 1, scale, dataDir: resolve(values.data) });
  seconds.push((performance.now() - t0) / 1000);
  events = summary.events;
  bytes = (await stat(summary.files.events)).size;
  await rm(dir, { recursive: true, force: true });
}
clearInterval(sampler);
const s = median(seconds);
process.stdout.write(
  `${[
    `simulate scale ${scale}: ${events.toLocaleString('en-US')} events, events.jsonl.gz ${(bytes / 2 ** 20).toFixed(1)} MiB`,
    `median of ${rounds}: ${s.toFixed(1)} s = ${Math.round(events / s).toLocaleString('en-US')} events/s (rounds: ${seconds.map((x) => x.toFixed(1)).join(', ')} s)`,
    `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB; load average at end ${loadavg()[0]?.toFixed(1)}`,
  ].join('\n')}\n`,
);
