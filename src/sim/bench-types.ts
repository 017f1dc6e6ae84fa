/**
 * Shape of one `distillguard bench` result, as written to bench/results/*.json and printed as a
 * table. Versioned so results from different commits can be compared by scripts.
 */
import type { BenchVerdicts } from './bench-bars.js';
import type { BenchScore } from './score.js';

/** Detectors `bench` can run. */
export const DETECTORS = ['distillguard', 'baseline'] as const;
export type DetectorName = (typeof DETECTORS)[number];

export interface BenchResult {
  schema: 'distillguard.bench/1';
  detector: DetectorName;
  /** The detector's own report-level remarks. */
  detectorNotes: string[];
  /** When the run started (RFC 3339). */
  startedAt: string;
  input: {
    /** "simulated" when bench ran the simulator, "data-dir" when it read existing files. */
    source: 'simulated' | 'data-dir';
    /** Where events/accounts/labels were read from (null when a temporary directory was removed). */
    dir: string | null;
    scale: number | null;
    seed: number | null;
    scenarios: string[] | null;
    /** Simulated window in days when given (null: the simulator's default, or not simulated). */
    days: number | null;
    /** Corpora the simulator drew from (null when bench read an existing output). */
    data: { prompts: string; timing: string; builtIn: boolean } | null;
  };
  timing: {
    simulateSeconds: number | null;
    /** Wall time of analyze: reading, validating, detecting (and the scorer's per-event bookkeeping). */
    analyzeSeconds: number;
    /** Wall time of the final scoring step (per-account and attribution summaries). */
    scoreSeconds: number;
    /** Events analysed per second of analyze wall time. */
    eventsPerSecond: number;
  };
  memory: {
    /** Peak resident set size of the whole bench process (simulation included), in MiB. */
    peakRssMiB: number;
    /** Highest resident set size sampled while analyze ran, in MiB. */
    analyzePeakRssMiB: number;
  };
  /** Events read by analyze, and input lines it rejected. */
  events: number;
  rejected: number;
  score: BenchScore;
  verdicts: BenchVerdicts;
  machine: { cpus: number; node: string; platform: string };
}
