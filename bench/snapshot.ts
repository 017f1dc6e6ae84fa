/**
 * Detector snapshot cost over a `simulate` output: at fractions of the stream, the snapshot's size,
 * the time to take it (state → bytes), to write the campaign stage's checkpoint file (snapshot +
 * idempotency window + decisions, write + rename), and to restore it (file → checkpoint → detector), next to
 * what a restart without snapshots pays: replaying the engine over the prefix (features
 * pre-extracted, so the replay figure is a lower bound — the stage also reads them from NATS).
 *
 * Usage: npx tsx bench/snapshot.ts <simulate-dir> [rounds=5]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { readStageCheckpoint, SNAPSHOT_FILE, writeStageCheckpoint } from '../src/bus/stage-checkpoint.js';
import { openAccounts, openEvents } from '../src/contract/read-jsonl.js';
import type { AccountRecord, Decision, ExchangeEvent } from '../src/contract/types.js';
import { createDetector, type Detector, restoreDetector } from '../src/detect/detector.js';
import { extractFeatures } from '../src/detect/features/extract.js';
import type { ExchangeFeatures } from '../src/detect/features/types.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function time(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

/** One row of the table: the state after `events` events. */
interface Row {
  events: number;
  snapshotBytes: number;
  inflatedBytes: number;
  checkpointBytes: number;
  snapshotMs: number;
  writeMs: number;
  restoreMs: number;
  replayMs: number;
}

/**
 * Measures snapshot size and times at 25%, 50% and 100% of the stream (medians of `rounds`).
 *
 * @example
 * const rows = await benchSnapshot('/tmp/sim', 5);
 */
export async function benchSnapshot(dir: string, rounds: number): Promise<Row[]> {
  const events: ExchangeEvent[] = [];
  for await (const e of openEvents(join(dir, 'events.jsonl.gz'))) events.push(e);
  const accounts: AccountRecord[] = [];
  for await (const a of openAccounts(join(dir, 'accounts.jsonl'))) accounts.push(a);
  const features = new Map<ExchangeEvent, ExchangeFeatures>();
  for (const e of events) features.set(e, extractFeatures(e));
  const extract = (e: ExchangeEvent) => features.get(e) ?? extractFeatures(e);
  const fresh = (): Detector => {
    const d = createDetector({ extract });
    for (const a of accounts) d.addAccount(a);
    return d;
  };
  const out = join(mkdtempSync(join(tmpdir(), 'dg-bench-snapshot-')), 'ckpt');
  const rows: Row[] = [];
  const detector = fresh();
  const decisions: Decision[] = [];
  let done = 0;
  for (const fraction of [0.25, 0.5, 1]) {
    const upTo = Math.floor(events.length * fraction);
    for (; done < upTo; done++)
      for (const x of detector.process(events[done] as ExchangeEvent)) decisions.push(x);
    const seen = events.slice(Math.max(0, upTo - 1_000_000), upTo).map((e) => e.id);
    const snap: number[] = [];
    const write: number[] = [];
    const restore: number[] = [];
    const replay: number[] = [];
    let bytes = detector.snapshot();
    const counters = {
      processed: upTo,
      accounts: accounts.length,
      duplicates: 0,
      skipped: 0,
      decisionsPublished: 0,
    };
    for (let r = 0; r < rounds; r++) {
      snap.push(time(() => (bytes = detector.snapshot())));
      const checkpoint = {
        stream: 'BENCH_EVENTS',
        lastSeq: upTo,
        processed: upTo,
        savedAt: new Date().toISOString(),
        featuresSeq: upTo,
        counters,
        seen,
        decisions,
        unconfirmed: [],
        detector: bytes,
        linkId: 0,
        repliesSeq: 0,
      };
      write.push(time(() => writeStageCheckpoint(out, checkpoint)));
      restore.push(
        time(() => {
          // What a restarted stage does: read the checkpoint file, then restore the engine from it.
          const saved = readStageCheckpoint(out, 'BENCH_EVENTS');
          if (saved.checkpoint === undefined)
            throw new Error(`checkpoint not readable: ${saved.snapshotProblem}`);
          restoreDetector(saved.checkpoint.detector, { extract });
        }),
      );
      // Replaying costs seconds; once per fraction is enough to show the order of magnitude.
      if (r === 0) {
        replay.push(
          time(() => {
            const d = fresh();
            for (let i = 0; i < upTo; i++) d.process(events[i] as ExchangeEvent);
          }),
        );
      }
    }
    rows.push({
      events: upTo,
      snapshotBytes: bytes.length,
      inflatedBytes: inflateRawSync(bytes.subarray(12)).length,
      checkpointBytes: statSync(join(out, SNAPSHOT_FILE)).size,
      snapshotMs: median(snap),
      writeMs: median(write),
      restoreMs: median(restore),
      replayMs: median(replay),
    });
  }
  rmSync(out, { recursive: true, force: true });
  return rows;
}

const [dir, rounds] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write('usage: npx tsx bench/snapshot.ts <simulate-dir> [rounds=5]\n');
  process.exitCode = 2;
} else {
  const load = loadavg()[0]?.toFixed(1);
  const rows = await benchSnapshot(dir, Number(rounds ?? 5));
  const mb = (n: number) => (n / 1e6).toFixed(2);
  process.stdout.write(`load average at start ${load}, at end ${loadavg()[0]?.toFixed(1)}\n`);
  process.stdout.write(
    '| events | snapshot MB (uncompressed) | checkpoint file MB | snapshot ms | write ms | restore ms | replay ms | replay / restore |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `| ${r.events.toLocaleString('en')} | ${mb(r.snapshotBytes)} (${mb(r.inflatedBytes)}) | ${mb(r.checkpointBytes)} | ${r.snapshotMs.toFixed(0)} | ${r.writeMs.toFixed(0)} | ${r.restoreMs.toFixed(0)} | ${r.replayMs.toFixed(0)} | ${(r.replayMs / r.restoreMs).toFixed(0)}× |\n`,
    );
  }
}
