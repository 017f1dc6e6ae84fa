/**
 * Offline analysis: runs an online detector over an event stream in ts order — the same code
 * path the live system uses — and collects what it decided into a report (report/1).
 */
import { ACTIONS, type Action, type Decision, type Report } from '../contract/types.js';
import { createDetector } from './detector.js';
import type { AccountRecord, ExchangeEvent, OnlineDetector } from './types.js';

export interface AnalyzeProgress {
  /** Events processed so far. */
  events: number;
}

export interface AnalyzeOptions {
  /** Events in ts order. A JsonlReader is read through its `batches()` for speed. */
  events: AsyncIterable<ExchangeEvent> | Iterable<ExchangeEvent>;
  /** Account records, all fed to the detector before the first event. */
  accounts?: Iterable<AccountRecord> | AsyncIterable<AccountRecord>;
  /** Default: the distillguard engine, `createDetector()` with the built-in policy. */
  detector?: OnlineDetector;
  /** Called every PROGRESS_EVERY events and once at the end. */
  onProgress?: (p: AnalyzeProgress) => void;
}

/** What `analyze` adds to report/1 beyond the required fields (the schema allows extra ones). */
export interface ReportSummary {
  /** Distinct accounts seen in events. */
  accounts: number;
  /** Account records given. */
  accountRecords: number;
  /** ts of the first and last event, or null for an empty stream. */
  firstEventAt: string | null;
  lastEventAt: string | null;
  /** Decisions made, per action. */
  decisions: Record<Action, number>;
  /** Accounts whose highest action is each rung of the ladder. */
  accountsAtAction: Record<Action, number>;
  campaigns: number;
}

/** The report `analyze` returns: report/1 plus `notes` and `summary`. */
export interface AnalyzeReport extends Report {
  notes: string[];
  summary: ReportSummary;
}

/** Progress is reported this often (events); frequent enough for a bar, rare enough to be free. */
export const PROGRESS_EVERY = 10_000;

/** Events taken at a time from a plain (synchronous) iterable. */
const SYNC_BATCH = 1024;

interface Batched<T> {
  batches(): AsyncIterable<T[]>;
}

function isBatched<T>(value: object): value is Batched<T> {
  return 'batches' in value && typeof value.batches === 'function';
}

/** Iterates batches of events whatever the source, so the hot loop has one shape. */
async function* eventBatches(
  events: AsyncIterable<ExchangeEvent> | Iterable<ExchangeEvent>,
): AsyncGenerator<ExchangeEvent[]> {
  if (isBatched<ExchangeEvent>(events)) {
    yield* events.batches();
    return;
  }
  if (Symbol.iterator in events) {
    let batch: ExchangeEvent[] = [];
    for (const event of events) {
      batch.push(event);
      if (batch.length === SYNC_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  for await (const event of events) yield [event];
}

const zeroPerAction = (): Record<Action, number> => ({ monitor: 0, throttle: 0, degrade: 0, block: 0 });

function highestActions(decisions: Decision[]): Record<Action, number> {
  const rank = new Map<string, number>();
  for (const d of decisions) {
    const r = ACTIONS.indexOf(d.action);
    if (r > (rank.get(d.account_id) ?? -1)) rank.set(d.account_id, r);
  }
  const out = zeroPerAction();
  for (const r of rank.values()) out[ACTIONS[r]!] += 1;
  return out;
}

/**
 * Runs `detector` over `events` (accounts first) and returns report/1 with notes and a summary.
 * `rejected` is left for the caller, who knows how many input lines its readers refused.
 *
 * @example
 * const reader = openEvents('events.jsonl.gz');
 * const report = await analyze({ events: reader });
 * report.rejected = reader.stats.rejected;
 */
export async function analyze(opts: AnalyzeOptions): Promise<AnalyzeReport> {
  const detector = opts.detector ?? createDetector();
  let accountRecords = 0;
  if (opts.accounts !== undefined) {
    for await (const record of opts.accounts) {
      detector.addAccount(record);
      accountRecords += 1;
    }
  }
  const decisions: Decision[] = [];
  const accounts = new Set<string>();
  let events = 0;
  let firstEventAt: string | null = null;
  let lastEventAt: string | null = null;
  let nextProgress = PROGRESS_EVERY;
  for await (const batch of eventBatches(opts.events)) {
    for (const event of batch) {
      firstEventAt ??= event.ts;
      lastEventAt = event.ts;
      accounts.add(event.account_id);
      const made = detector.process(event);
      for (const decision of made) decisions.push(decision);
      events += 1;
      if (events === nextProgress) {
        opts.onProgress?.({ events });
        nextProgress += PROGRESS_EVERY;
      }
    }
  }
  opts.onProgress?.({ events });
  const campaigns = detector.campaigns();
  const notes = detector.notes();
  const decisionsPerAction = zeroPerAction();
  for (const d of decisions) decisionsPerAction[d.action] += 1;
  return {
    schema: 'distillguard.report/1',
    events,
    decisions,
    campaigns,
    notes,
    summary: {
      accounts: accounts.size,
      accountRecords,
      firstEventAt,
      lastEventAt,
      decisions: decisionsPerAction,
      accountsAtAction: highestActions(decisions),
      campaigns: campaigns.length,
    },
  };
}
