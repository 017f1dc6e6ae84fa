/**
 * One benchmark run: get labelled traffic (simulate into a temporary directory, or read an
 * existing simulate output), run a detector over it exactly as `analyze` does, score it against
 * the labels in the same pass, and measure throughput and memory. The CLI command only parses flags and
 * prints; everything measurable lives here so tests and bench scripts can call it directly.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAccounts, openEvents, openLabels, type ReadOptions } from '../contract/read-jsonl.js';
import type { AccountRecord, Label } from '../contract/types.js';
import { analyze } from '../detect/analyze.js';
import type { OnlineDetector } from '../detect/types.js';
import { judge } from './bench-bars.js';
import type { BenchResult, DetectorName } from './bench-types.js';
import { createScorer, type Scorer } from './score.js';

/**
 * The part of `simulate` (./simulate.ts) bench uses; passed in so tests can supply a tiny fake
 * and bench does not fix which simulator runs.
 */
export type SimulateFn = (opts: {
  outDir: string;
  seed: number;
  scale: number;
  scenarios?: string[];
  dataDir: string;
  days?: number;
  onProgress?: (p: { events: number }) => void;
  onNotice?: (message: string) => void;
}) => Promise<{ events: number; data?: { prompts: string; timing: string; builtIn: boolean } }>;

export type BenchPhase = 'simulate' | 'analyze';

export interface BenchProgress {
  phase: BenchPhase;
  /** Events handled so far in this phase. */
  done: number;
  total?: number;
}

/** Where the labelled traffic comes from. */
export type BenchInput =
  | { kind: 'data-dir'; dir: string }
  | {
      kind: 'simulate';
      simulate: SimulateFn;
      scale: number;
      seed: number;
      scenarios?: string[];
      /** Simulated window in days (default: the simulator's, hydra's 44). */
      days?: number;
      /** Real prompt corpora the simulator draws from (../shared/data). */
      promptsDir: string;
      /** Keep the simulated files in this directory instead of a removed temporary one. */
      keepIn?: string;
    };

export interface BenchOptions {
  input: BenchInput;
  detector: DetectorName;
  createDetector: () => OnlineDetector;
  onProgress?: (p: BenchProgress) => void;
  /** Rejected input lines (`path:line: what`); default: stderr. */
  onInvalid?: ReadOptions['onInvalid'];
  /** Remarks from the simulator (e.g. built-in data in use); default: stderr. */
  onNotice?: (message: string) => void;
}

/** Raised for inputs bench cannot use at all (missing files); the CLI turns it into a usage error. */
export class BenchInputError extends Error {
  override name = 'BenchInputError';
}

const RSS_SAMPLE_MS = 250;

/**
 * The files of a simulate output directory; events may be gzipped or not, accounts are optional.
 *
 * @example
 * inputFiles('out/sim').events; // 'out/sim/events.jsonl.gz'
 */
export function inputFiles(dir: string): { events: string; accounts: string | null; labels: string } {
  const events = ['events.jsonl.gz', 'events.jsonl'].map((f) => join(dir, f)).find((p) => existsSync(p));
  if (events === undefined) throw new BenchInputError(`${dir}: no events.jsonl.gz or events.jsonl in it`);
  const labels = join(dir, 'labels.jsonl');
  if (!existsSync(labels))
    throw new BenchInputError(`${dir}: no labels.jsonl in it (bench needs ground truth)`);
  const accounts = join(dir, 'accounts.jsonl');
  return { events, labels, accounts: existsSync(accounts) ? accounts : null };
}

/**
 * Runs one benchmark and returns its result (not yet written anywhere).
 *
 * @example
 * const result = await runBench({
 *   input: { kind: 'data-dir', dir: 'out/sim' },
 *   detector: 'baseline',
 *   createDetector: () => createBaselineDetector(),
 * });
 * console.log(result.score.attack.leak);
 */
export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const progress = opts.onProgress ?? (() => undefined);
  const readOpts: ReadOptions = opts.onInvalid === undefined ? {} : { onInvalid: opts.onInvalid };
  const input = opts.input;

  let dir: string;
  let removeDir = false;
  let simulateSeconds: number | null = null;
  let expectedEvents: number | undefined;
  let data: BenchResult['input']['data'] = null;
  if (input.kind === 'simulate') {
    dir = input.keepIn ?? (await mkdtemp(join(tmpdir(), 'distillguard-bench-')));
    removeDir = input.keepIn === undefined;
  } else {
    dir = input.dir;
  }

  try {
    if (input.kind === 'simulate') {
      progress({ phase: 'simulate', done: 0 });
      const t0 = performance.now();
      const summary = await input.simulate({
        outDir: dir,
        seed: input.seed,
        scale: input.scale,
        dataDir: input.promptsDir,
        ...(input.scenarios === undefined ? {} : { scenarios: input.scenarios }),
        ...(input.days === undefined ? {} : { days: input.days }),
        onProgress: (p) => progress({ phase: 'simulate', done: p.events }),
        ...(opts.onNotice === undefined ? {} : { onNotice: opts.onNotice }),
      });
      expectedEvents = summary.events;
      data = summary.data ?? null;
      simulateSeconds = (performance.now() - t0) / 1000;
    }
    const files = inputFiles(dir);
    const labels: Label[] = [];
    for await (const label of openLabels(files.labels, readOpts)) labels.push(label);
    const accounts: AccountRecord[] = [];
    if (files.accounts !== null)
      for await (const a of openAccounts(files.accounts, readOpts)) accounts.push(a);

    const detector = opts.createDetector();
    const scorer = createScorer(labels);
    const events = openEvents(files.events, readOpts);
    const rss = startRssSampler();
    const t0 = performance.now();
    const report = await analyze({
      events,
      accounts,
      detector: scoring(detector, scorer),
      onProgress: (p) => {
        rss.sample();
        progress({
          phase: 'analyze',
          done: p.events,
          ...(expectedEvents === undefined ? {} : { total: expectedEvents }),
        });
      },
    });
    const analyzeSeconds = (performance.now() - t0) / 1000;
    const analyzePeak = rss.stop();
    report.rejected = events.stats.rejected;

    const t1 = performance.now();
    const score = scorer.finish(report);
    const scoreSeconds = (performance.now() - t1) / 1000;

    return {
      schema: 'distillguard.bench/1',
      detector: opts.detector,
      detectorNotes: report.notes,
      startedAt,
      input: {
        source: input.kind === 'simulate' ? 'simulated' : 'data-dir',
        dir: removeDir ? null : dir,
        scale: input.kind === 'simulate' ? input.scale : null,
        seed: input.kind === 'simulate' ? input.seed : null,
        scenarios: input.kind === 'simulate' ? (input.scenarios ?? null) : null,
        days: input.kind === 'simulate' ? (input.days ?? null) : null,
        data,
      },
      timing: {
        simulateSeconds,
        analyzeSeconds,
        scoreSeconds,
        eventsPerSecond: analyzeSeconds > 0 ? report.events / analyzeSeconds : 0,
      },
      memory: {
        // maxRSS is in KiB and covers the whole process, simulation included.
        peakRssMiB: process.resourceUsage().maxRSS / 1024,
        analyzePeakRssMiB: analyzePeak / (1024 * 1024),
      },
      events: report.events,
      rejected: events.stats.rejected,
      score,
      verdicts: judge(score),
      machine: { cpus: cpus().length, node: process.version, platform: process.platform },
    };
  } finally {
    if (removeDir) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Wraps a detector so the scorer sees each event as it is served and then the decisions it
 * triggered: scoring in the same pass, with exact trigger positions, at the cost of one map
 * lookup per event (included in the measured analyze time, so events/s is a lower bound).
 */
function scoring(detector: OnlineDetector, scorer: Scorer): OnlineDetector {
  return {
    addAccount: (record) => detector.addAccount(record),
    process(event) {
      scorer.observe(event);
      const decisions = detector.process(event);
      scorer.apply(decisions);
      return decisions;
    },
    campaigns: () => detector.campaigns(),
    notes: () => detector.notes(),
  };
}

/**
 * Samples resident memory during analyze: on a timer (covers long synchronous stretches between
 * reads) and when asked (covers runs shorter than one timer tick).
 */
function startRssSampler(): { sample(): void; stop(): number } {
  let peak = process.memoryUsage.rss();
  const sample = (): void => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, RSS_SAMPLE_MS);
  timer.unref();
  return {
    sample,
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
