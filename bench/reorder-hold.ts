/**
 * What the event reader's reorder window costs on sorted input: the contract reader over one
 * generated file of ~1 KB prompts (40 events/s of event time) with no holding (window 0) and with
 * a 10-minute window capped at several hold depths, in alternating rounds; medians and each
 * depth's ratio to window 0. Held events outlive young-generation collections, which is what
 * `DEFAULT_MAX_HELD` (src/contract/event-order.ts) is chosen against.
 *
 *   npx tsx bench/reorder-hold.ts [--count N] [--rounds R] [--data DIR]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_REORDER_WINDOW_MS } from '../src/contract/event-order.js';
import { openEvents } from '../src/contract/read-jsonl.js';
import { median, positiveInt } from './bench-args.js';
import { reportErrors } from './script-errors.js';
import { writeSpeedFile } from './speed-events.js';

reportErrors(import.meta.url);

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '5' },
    data: { type: 'string', default: '../shared/data' },
  },
});
const count = positiveInt('--count', values.count, 200_000);
const rounds = positiveInt('--rounds', values.rounds, 5);
const HOLDS = [0, 250, 1_000, 4_000, 16_000];

/** µs per event reading `path` with the given hold depth (0: window 0, nothing held). */
async function readOnce(path: string, maxHeld: number): Promise<number> {
  const started = performance.now();
  let events = 0;
  const windowMs = maxHeld === 0 ? 0 : DEFAULT_REORDER_WINDOW_MS;
  for await (const batch of openEvents(path, { windowMs, maxHeld: Math.max(1, maxHeld) }).batches())
    events += batch.length;
  return ((performance.now() - started) / events) * 1000;
}

const dir = mkdtempSync(join(tmpdir(), 'dg-reorder-'));
try {
  const path = join(dir, 'events.jsonl.gz');
  await writeSpeedFile(path, count, values.data);
  const times = new Map<number, number[]>(HOLDS.map((h) => [h, []]));
  for (let r = 0; r < rounds; r++) {
    for (const hold of HOLDS) times.get(hold)?.push(await readOnce(path, hold));
    process.stderr.write(`round ${r + 1}/${rounds} done\n`);
  }
  const base = median(times.get(0) ?? []);
  console.log(`${count.toLocaleString('en-US')} events, median of ${rounds} alternating rounds`);
  console.log('| events held at most | reader µs/event | × window 0 |');
  console.log('| ---: | ---: | ---: |');
  for (const hold of HOLDS) {
    const t = median(times.get(hold) ?? []);
    console.log(
      `| ${hold === 0 ? '0 (window 0)' : hold.toLocaleString('en-US')} | ${t.toFixed(2)} | ${(t / base).toFixed(2)} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
