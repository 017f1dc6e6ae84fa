/**
 * The shared setting of one simulation run — window, corpora, timing, models, id allocation —
 * and the shapes personas and campaigns hand back: account records, labels, and event streams
 * that are each already sorted by time (merge.ts interleaves them).
 */
import type { AccountRecord, ClientInfo, ExchangeEvent, Label } from '../contract/types.js';
import type { Corpora } from './corpora.js';
import type { Rng } from './rng.js';
import type { TimingSource } from './timing.js';
import { buildRequest, buildResponse, type RequestSpec, type ResponseSpec } from './wire.js';

/** An event before it gets its id; `t` is epoch ms (ts is derived from it on output). */
export interface SimEvent extends Omit<ExchangeEvent, 'id' | 'ts'> {
  t: number;
}

/** What a persona or campaign contributes to a run. */
export interface Population {
  name: string;
  accounts: AccountRecord[];
  labels: Label[];
  /** Each stream yields events in non-decreasing `t`, within [world.start, world.end). */
  streams: Array<Iterable<SimEvent>>;
}

/** The model catalogue: `next` is released mid-run (minimax pivots to it). */
export interface Models {
  fast: string;
  pro: string;
  next: string;
}

export interface World {
  start: number;
  end: number;
  scale: number;
  corpora: Corpora;
  timing: TimingSource;
  models: Models;
  /** When `models.next` becomes available (epoch ms). */
  releaseAt: number;
  /** A fresh account id, unique in this run (and not one of `reservedIds`). */
  accountId(rng: Rng): string;
  /** A fresh API key id. */
  keyId(rng: Rng): string;
}

export const DEFAULT_MODELS: Models = { fast: 'atlas-3-mini', pro: 'atlas-3-pro', next: 'atlas-4-pro' };

/**
 * A world over [start, end). `reservedIds` are account ids that must not be reused (those of a
 * host log campaigns are injected into).
 *
 * @example
 * const world = createWorld({ start, end, scale: 0.01, corpora, timing });
 */
export function createWorld(opts: {
  start: number;
  end: number;
  scale: number;
  corpora: Corpora;
  timing: TimingSource;
  reservedIds?: ReadonlySet<string>;
  releaseAt?: number;
}): World {
  const used = new Set<string>();
  const fresh = (rng: Rng, prefix: string, reserved?: ReadonlySet<string>): string => {
    for (;;) {
      const id = `${prefix}${rng.hex(16)}`;
      if (!used.has(id) && !reserved?.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
  return {
    start: opts.start,
    end: opts.end,
    scale: opts.scale,
    corpora: opts.corpora,
    timing: opts.timing,
    models: DEFAULT_MODELS,
    releaseAt: opts.releaseAt ?? Math.round(opts.start + (opts.end - opts.start) / 2 + 18 * 3_600_000),
    accountId: (rng) => fresh(rng, 'acct_', opts.reservedIds),
    keyId: (rng) => fresh(rng, 'key_'),
  };
}

/** Identity of one simulated account as its events carry it. */
export interface Identity {
  account_id: string;
  key_id: string;
  org_id?: string;
}

/**
 * One simulated exchange: the request as the client sends it and the response the gateway logs.
 *
 * @example
 * exchange(rng, id, t, client, spec, { outputTokens: 120, text: 'Sure…' });
 */
export function exchange(
  rng: Rng,
  who: Identity,
  t: number,
  client: ClientInfo,
  spec: RequestSpec,
  res: ResponseSpec,
): SimEvent {
  const event: SimEvent = {
    t,
    account_id: who.account_id,
    ...(who.org_id === undefined ? {} : { org_id: who.org_id }),
    key_id: who.key_id,
    client,
    api: spec.api,
    model: spec.model,
    request: buildRequest(spec),
    response: buildResponse(rng, spec, res),
  };
  return event;
}

/** Common consumer e-mail domains; companies and universities add their own. */
export const CONSUMER_DOMAINS: ReadonlyArray<readonly [string, number]> = [
  ['gmail.com', 50],
  ['outlook.com', 12],
  ['yahoo.com', 6],
  ['icloud.com', 8],
  ['proton.me', 4],
  ['hotmail.com', 5],
  ['qq.com', 3],
];

/**
 * Scaled count with a floor: public sizes times `scale`, but never fewer than `floor`.
 *
 * @example
 * scaled(world, 25_000, 40); // 125 at scale 0.005, never below 40
 */
export function scaled(world: World, atScaleOne: number, floor: number): number {
  return Math.max(floor, Math.round(atScaleOne * world.scale));
}

/**
 * An opaque payment-instrument fingerprint.
 *
 * @example
 * paymentFingerprint(rng); // 'pf_3f9a…' (24 hex digits)
 */
export function paymentFingerprint(rng: Rng): string {
  return `pf_${rng.hex(24)}`;
}

/**
 * RFC 3339 UTC with milliseconds.
 *
 * @example
 * iso(Date.UTC(2026, 0, 5)); // '2026-01-05T00:00:00.000Z'
 */
export function iso(t: number): string {
  return new Date(t).toISOString();
}
