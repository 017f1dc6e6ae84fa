/**
 * `simulate`: labelled traffic for benchmarking. Builds every population (benign personas and the
 * chosen campaigns) from one seed, merges their time-sorted event streams with a heap and streams
 * them to `events.jsonl.gz` (never holding the run in memory), and writes `accounts.jsonl` and
 * `labels.jsonl`. Or, with `injectInto`, mixes the campaigns into someone's own log by time.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openEvents } from '../contract/read-jsonl.js';
import type { AccountRecord, ExchangeEvent, Label } from '../contract/types.js';
import { createJsonlWriter, type JsonlWriter } from '../contract/write-jsonl.js';
import { loadCorpora } from './corpora.js';
import { mergeAsync, mergeByTime } from './merge.js';
import { benignPopulations, CAMPAIGN_NAMES, campaignPopulations } from './populations.js';
import { hash32, Rng } from './rng.js';
import { DAY, loadTiming } from './timing.js';
import { createWorld, iso, type Population, type SimEvent } from './world.js';

/** The default window: 44 days (hydra's public duration) from a fixed Monday. */
export const DEFAULT_START = Date.UTC(2026, 0, 5);
export const DEFAULT_DAYS = 44;
/** Keeps `bench` (simulate + analyze + score) well under five minutes on two cores. */
export const DEFAULT_SCALE = 0.005;
export const MAX_SCALE = 1;

export interface SimulateProgress {
  events: number;
}

export interface SimulateOptions {
  outDir: string;
  seed: number;
  /** 1.0 = the public hydra campaign (25k accounts, 28.8M exchanges) with proportionate traffic. */
  scale: number;
  /** Campaign names (default: all); benign personas are always included. */
  scenarios?: string[];
  /** Directory with prompts/ and timing/ (../shared/data); a built-in generator stands in if absent. */
  dataDir: string;
  /** A host log (JSON Lines, .gz ok, sorted by ts) to mix the campaigns into instead of simulated benign traffic. */
  injectInto?: string;
  /** Length of the simulated window in days (default 44, hydra's duration); ignored when injecting. */
  days?: number;
  onProgress?: (p: SimulateProgress) => void;
  /** Invalid lines of the host log (`path:line: what`), reported once each. Default: stderr. */
  onInvalid?: (message: string) => void;
  /** Remarks for the user (e.g. built-in data in use). Default: stderr. */
  onNotice?: (message: string) => void;
}

export interface SimulateSummary {
  outDir: string;
  files: { events: string; accounts: string; labels: string };
  seed: number;
  scale: number;
  window: { start: string; end: string };
  newModel: { model: string; releasedAt: string };
  events: number;
  accounts: { benign: number; attack: number };
  /** Per persona or campaign: accounts and events. */
  populations: Record<string, { accounts: number; events: number }>;
  data: { prompts: string; timing: string; builtIn: boolean };
  /** Host events kept when injecting (and host lines rejected as invalid). */
  host?: { events: number; rejected: number; accounts: number };
}

/** A problem with the options or inputs, worded for the user. */
export class SimulateError extends Error {
  override name = 'SimulateError';
}

const PROGRESS_EVERY = 10_000;

function checkOptions(opts: SimulateOptions): string[] {
  if (!Number.isFinite(opts.scale) || opts.scale <= 0 || opts.scale > MAX_SCALE)
    throw new SimulateError(`scale must be a number in (0, ${MAX_SCALE}], got ${String(opts.scale)}`);
  if (opts.days !== undefined && (!Number.isFinite(opts.days) || opts.days < 1 || opts.days > 366))
    throw new SimulateError(`days must be a number from 1 to 366, got ${String(opts.days)}`);
  if (!Number.isSafeInteger(opts.seed))
    throw new SimulateError(`seed must be an integer, got ${String(opts.seed)}`);
  const scenarios = opts.scenarios ?? [...CAMPAIGN_NAMES];
  for (const s of scenarios)
    if (!CAMPAIGN_NAMES.includes(s))
      throw new SimulateError(`unknown scenario "${s}"; choose from ${CAMPAIGN_NAMES.join(', ')}`);
  return [...new Set(scenarios)];
}

/** The output record of a simulated event: the contract's field order, id from the run. */
function toEvent(e: SimEvent, id: string): ExchangeEvent {
  return {
    id,
    ts: iso(e.t),
    account_id: e.account_id,
    ...(e.org_id === undefined ? {} : { org_id: e.org_id }),
    ...(e.key_id === undefined ? {} : { key_id: e.key_id }),
    client: e.client,
    api: e.api,
    model: e.model,
    request: e.request,
    ...(e.response === undefined ? {} : { response: e.response }),
  };
}

interface HostScan {
  start: number;
  end: number;
  accounts: string[];
  events: number;
  rejected: number;
}

async function scanHost(path: string, onInvalid: (message: string) => void): Promise<HostScan> {
  const reader = openEvents(path, { onInvalid });
  const seen = new Set<string>();
  const accounts: string[] = [];
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  try {
    for await (const e of reader) {
      const t = Date.parse(e.ts);
      if (t < start) start = t;
      if (t > end) end = t;
      if (!seen.has(e.account_id)) {
        seen.add(e.account_id);
        accounts.push(e.account_id);
      }
    }
  } catch (error) {
    throw new SimulateError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (accounts.length === 0) throw new SimulateError(`${path}: no valid events to inject into`);
  return { start, end: end + 1, accounts, events: reader.stats.valid, rejected: reader.stats.rejected };
}

async function writeAll(path: string, records: Iterable<object>): Promise<void> {
  const out = createJsonlWriter(path);
  for (const r of records) await out.write(r);
  await out.close();
}

/**
 * Runs a simulation and writes its three files into `outDir`.
 *
 * @example
 * const summary = await simulate({ outDir: 'out/sim', seed: 1, scale: 0.005, dataDir: '../shared/data' });
 * console.log(summary.events, summary.accounts);
 */
export async function simulate(opts: SimulateOptions): Promise<SimulateSummary> {
  const scenarios = checkOptions(opts);
  const notice = opts.onNotice ?? ((m: string) => process.stderr.write(`${m}\n`));
  const corpora = loadCorpora(opts.dataDir);
  const timing = loadTiming(opts.dataDir);
  if (corpora.builtIn || timing.builtIn)
    notice(
      `simulate: no data at ${opts.dataDir}; using the built-in prompt and timing generator (pass --data DIR for real corpora)`,
    );

  const host =
    opts.injectInto === undefined
      ? undefined
      : await scanHost(opts.injectInto, opts.onInvalid ?? ((m: string) => process.stderr.write(`${m}\n`)));
  const start = host?.start ?? DEFAULT_START;
  const end = host?.end ?? DEFAULT_START + (opts.days ?? DEFAULT_DAYS) * DAY;
  const world = createWorld({
    start,
    end,
    scale: opts.scale,
    corpora,
    timing,
    ...(host ? { reservedIds: new Set(host.accounts) } : {}),
  });
  const rng = new Rng(opts.seed);
  // With a host log, its accounts are the benign background.
  const populations: Population[] = [
    ...(host ? [] : benignPopulations(world, rng.fork('benign'))),
    ...campaignPopulations(world, rng.fork('campaigns'), scenarios),
  ];

  try {
    mkdirSync(opts.outDir, { recursive: true });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new SimulateError(`cannot create output directory ${opts.outDir} (${code})`);
  }
  const files = {
    events: join(opts.outDir, 'events.jsonl.gz'),
    accounts: join(opts.outDir, 'accounts.jsonl'),
    labels: join(opts.outDir, 'labels.jsonl'),
  };
  const owner = new Map<string, string>();
  const stats: SimulateSummary['populations'] = {};
  const labels: Label[] = host
    ? host.accounts.map((account_id) => ({ account_id, label: 'benign', persona: 'injected-host' }))
    : [];
  for (const p of populations) {
    stats[p.name] = { accounts: p.accounts.length, events: 0 };
    for (const a of p.accounts) owner.set(a.account_id, p.name);
    // A loop, not push(...spread): a million labels would overflow the argument stack.
    for (const l of p.labels) labels.push(l);
  }
  // Sign-up order, as a provider's export would be: grouped by population, the file's own order
  // would tell a detector which accounts belong together.
  const accounts: AccountRecord[] = [];
  for (const p of populations) for (const a of p.accounts) accounts.push(a);
  accounts.sort((a, b) =>
    a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.account_id < b.account_id ? -1 : 1,
  );
  await writeAll(files.accounts, accounts);
  accounts.length = 0;
  labels.sort((a, b) => (a.account_id < b.account_id ? -1 : 1));
  await writeAll(files.labels, labels);
  let benign = 0;
  let attack = 0;
  for (const l of labels) {
    if (l.label === 'attack') attack++;
    else benign++;
  }
  // Records and labels are on disk now; at large scales they are a good part of the heap.
  labels.length = 0;
  for (const p of populations) {
    p.accounts = [];
    p.labels = [];
  }

  const tag = hash32(`run:${opts.seed}`).toString(16).padStart(8, '0');
  const out: JsonlWriter = createJsonlWriter(files.events);
  const simStream = mergeByTime(
    populations.flatMap((p) => p.streams),
    (e: SimEvent) => e.t,
  );
  let seq = 0;
  let hostEvents = 0;
  // Double buffering: when a block has to drain, wait for the previous block instead, so the
  // next block is generated while zlib compresses this one (the two cores overlap).
  let draining: Promise<void> | undefined;
  const emit = (e: SimEvent | ExchangeEvent): Promise<void> | undefined => {
    let flushed: Promise<void> | void;
    if ('t' in e) {
      const name = owner.get(e.account_id);
      if (name !== undefined) (stats[name] as { events: number }).events++;
      flushed = out.write(toEvent(e, `ev_${tag}_${(seq++).toString(36)}`));
    } else {
      hostEvents++;
      flushed = out.write(e);
    }
    const n = seq + hostEvents;
    if (opts.onProgress !== undefined && n % PROGRESS_EVERY === 0) opts.onProgress({ events: n });
    if (flushed === undefined) return undefined;
    const previous = draining;
    draining = flushed;
    return previous;
  };
  try {
    if (opts.injectInto !== undefined) {
      // Invalid lines were already reported by the scan; the second pass skips them quietly.
      const hostReader = openEvents(opts.injectInto, { onInvalid: () => undefined });
      for await (const e of mergeAsync(
        hostReader,
        simStream,
        (h: ExchangeEvent) => Date.parse(h.ts),
        (s: SimEvent) => s.t,
      )) {
        const wait = emit(e);
        if (wait !== undefined) await wait;
      }
    } else {
      for (const e of simStream) {
        const wait = emit(e);
        if (wait !== undefined) await wait;
      }
      await draining;
    }
  } finally {
    await out.close();
  }
  opts.onProgress?.({ events: seq + hostEvents });

  return {
    outDir: opts.outDir,
    files,
    seed: opts.seed,
    scale: opts.scale,
    window: { start: iso(start), end: iso(end) },
    newModel: { model: world.models.next, releasedAt: iso(world.releaseAt) },
    events: seq + hostEvents,
    accounts: { benign, attack },
    populations: stats,
    data: { prompts: corpora.origin, timing: timing.origin, builtIn: corpora.builtIn || timing.builtIn },
    ...(host
      ? { host: { events: hostEvents, rejected: host.rejected, accounts: host.accounts.length } }
      : {}),
  };
}
