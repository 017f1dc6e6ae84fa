/**
 * Cost of the detection engine alone (profiles, linking, campaign scoring), with features
 * extracted beforehand, over the first N events of a `simulate` output directory. Separates the
 * engine's share of analyze time from reading and feature extraction.
 *
 * Usage: npx tsx bench/detector-engine.ts <simulate-dir> [events=300000]
 */
import { openAccounts, openEvents } from '../src/contract/read-jsonl.js';
import type { AccountRecord, ExchangeEvent } from '../src/contract/types.js';
import { createDetector } from '../src/detect/detector.js';
import { extractFeatures } from '../src/detect/features/extract.js';
import type { ExchangeFeatures } from '../src/detect/features/types.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

/**
 * Times extraction and the engine separately; returns microseconds per event for each.
 *
 * @example
 * const r = await benchEngine('/tmp/sim', 100_000);
 * console.log(r.engineUs);
 */
export async function benchEngine(
  dir: string,
  limit: number,
): Promise<{ events: number; extractUs: number; engineUs: number }> {
  const events: ExchangeEvent[] = [];
  for await (const e of openEvents(`${dir}/events.jsonl.gz`)) {
    events.push(e);
    if (events.length >= limit) break;
  }
  const accounts: AccountRecord[] = [];
  for await (const a of openAccounts(`${dir}/accounts.jsonl`)) accounts.push(a);
  const features = new Map<ExchangeEvent, ExchangeFeatures>();
  let started = performance.now();
  for (const e of events) features.set(e, extractFeatures(e));
  const extractMs = performance.now() - started;
  let best = Number.POSITIVE_INFINITY;
  // Best of three: the machine is shared, so the minimum is the least disturbed run.
  for (let round = 0; round < 3; round++) {
    const detector = createDetector({ extract: (e) => features.get(e)! });
    for (const a of accounts) detector.addAccount(a);
    started = performance.now();
    for (const e of events) detector.process(e);
    best = Math.min(best, performance.now() - started);
  }
  return {
    events: events.length,
    extractUs: (extractMs * 1000) / events.length,
    engineUs: (best * 1000) / events.length,
  };
}

const [dir, limit] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write('usage: npx tsx bench/detector-engine.ts <simulate-dir> [events]\n');
  process.exitCode = 2;
} else {
  const r = await benchEngine(dir, Number(limit ?? 300_000));
  process.stdout.write(
    `${r.events} events: feature extraction ${r.extractUs.toFixed(2)} µs/event; engine ${r.engineUs.toFixed(2)} µs/event (${Math.round(1e6 / r.engineUs).toLocaleString('en')} events/s)\n`,
  );
}
