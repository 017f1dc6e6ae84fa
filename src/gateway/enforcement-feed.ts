/**
 * Pushes enforcement changes (detector decisions, operator overrides) and key/account changes
 * (revocations) from the replica where they happen to every other replica, through Redis.
 *
 * - Current state: a Redis hash (account → enforcement JSON) plus a version counter. One Lua
 *   script bumps the version, updates the hash and publishes `{v, account, state}`, so the
 *   hash, the version and the message order always agree.
 * - Live: every replica subscribes to the channel and applies other replicas' changes to its
 *   in-memory table (`apply`: no store write, the origin stored and audited it already).
 * - Catch-up: on every (re)connect, on a gap in versions, and when a periodic version check
 *   finds the counter ahead, the replica reads hash + version in one MULTI and adopts them.
 * - Redis down: the table keeps its last known state and requests keep being enforced by it;
 *   local changes that could not be published are remembered and published on reconnect
 *   before the snapshot is read, so a stale snapshot cannot undo them.
 * - Key revocations: the key cache is told to reload when another replica changed keys,
 *   accounts or orgs (the rows themselves are in the shared PostgreSQL store).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ACTIONS, type Action } from '../contract/types.js';
import type { CachedKeyAuthenticator } from './auth/key-authenticator.js';
import type { PersistentEnforcementTable } from './enforcement-table.js';
import type { Enforcement } from './ports.js';

export interface EnforcementFeedOptions {
  /** Connection for commands (publish, snapshot). */
  redis: Redis;
  /** A second connection, used only for SUBSCRIBE (a subscribed connection cannot run commands). */
  subscriber: Redis;
  table: PersistentEnforcementTable;
  /** Reloaded when another replica changes keys, accounts or orgs. */
  authenticator?: Pick<CachedKeyAuthenticator, 'refreshIfChanged'>;
  /** Key and channel prefix, so several deployments can share one Redis. */
  prefix?: string;
  /** This replica's id in messages (to skip its own); random by default. */
  replicaId?: string;
  /** How often to compare the shared version with ours, to catch lost messages; 0 = never. */
  checkMs?: number;
  log?: (line: string) => void;
}

export interface EnforcementFeed {
  /** The table to hand the gateway, detector and admin API: changes made through it are published. */
  table: PersistentEnforcementTable;
  /** Wraps the key cache so changes applied through it (admin API) are announced to other replicas. */
  announceAuth<T extends CachedKeyAuthenticator>(auth: T): T;
  /** Publishes pending local changes, then adopts the shared snapshot. */
  resync(): Promise<void>;
  /** Version of the shared state this replica has applied. */
  readonly version: number;
  close(): Promise<void>;
}

type State = Enforcement & { source?: string };

interface StateMessage {
  v: number;
  a: string;
  e: string;
  r: string;
}

interface AuthMessage {
  auth: true;
  r: string;
}

const PUBLISH_LUA = `
local v = redis.call('INCR', KEYS[2])
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], ARGV[2]) else redis.call('HSET', KEYS[1], ARGV[2], ARGV[3]) end
redis.call('PUBLISH', ARGV[1], cjson.encode({v = v, a = ARGV[2], e = ARGV[3], r = ARGV[4]}))
return v
`;

/**
 * Parses an enforcement as published (or undefined for "cleared"); throws on anything else.
 *
 * @example
 * parseState('{"action":"block","reasons":[],"caseRef":"c","campaignId":null}');
 */
export function parseState(json: string): State | undefined {
  if (json === '') return undefined;
  const v: unknown = JSON.parse(json);
  if (typeof v !== 'object' || v === null) throw new Error('enforcement must be an object');
  const o = v as Record<string, unknown>;
  if (typeof o.action !== 'string' || !(ACTIONS as readonly string[]).includes(o.action))
    throw new Error(`enforcement.action must be one of ${ACTIONS.join(', ')}`);
  if (!Array.isArray(o.reasons) || !o.reasons.every((r) => typeof r === 'string'))
    throw new Error('enforcement.reasons must be an array of strings');
  if (typeof o.caseRef !== 'string') throw new Error('enforcement.caseRef must be a string');
  if (o.campaignId !== null && typeof o.campaignId !== 'string')
    throw new Error('enforcement.campaignId must be a string or null');
  const state: State = {
    action: o.action as Action,
    reasons: o.reasons as string[],
    caseRef: o.caseRef,
    campaignId: o.campaignId,
    allowlisted: o.allowlisted === true,
  };
  if (typeof o.source === 'string') state.source = o.source;
  return state;
}

function encode(state: State | undefined): string {
  if (state === undefined) return '';
  const { action, reasons, caseRef, campaignId, allowlisted, source } = state;
  return JSON.stringify({ action, reasons, caseRef, campaignId, allowlisted: allowlisted === true, source });
}

/**
 * Starts the feed: subscribes, adopts the shared snapshot if Redis is reachable (otherwise
 * carries on with the table as loaded and catches up once Redis answers).
 *
 * @example
 * const feed = await startEnforcementFeed({ redis, subscriber: redis.duplicate(), table, authenticator: auth });
 * const gateway = createGateway({ ..., enforcement: feed.table, auth: feed.announceAuth(auth) });
 */
export async function startEnforcementFeed(opts: EnforcementFeedOptions): Promise<EnforcementFeed> {
  const { redis, subscriber, table: inner } = opts;
  const prefix = opts.prefix ?? 'dg:enf';
  const stateKey = `${prefix}:state`;
  const versionKey = `${prefix}:version`;
  const channel = `${prefix}:feed`;
  const replica = opts.replicaId ?? randomBytes(6).toString('hex');
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  let version = 0;
  let syncing: Promise<void> | undefined;
  let queued: StateMessage[] | undefined;
  let closed = false;
  /** Accounts whose latest local change is not yet in Redis. */
  const pending = new Set<string>();
  let publishFailureLogged = false;

  const publish = async (accountId: string): Promise<void> => {
    try {
      await redis.eval(
        PUBLISH_LUA,
        2,
        stateKey,
        versionKey,
        channel,
        accountId,
        encode(inner.get(accountId)),
        replica,
      );
      if (publishFailureLogged) {
        publishFailureLogged = false;
        log('distillguard: enforcement feed: publishing to Redis again');
      }
    } catch (error) {
      pending.add(accountId);
      if (!publishFailureLogged) {
        publishFailureLogged = true;
        log(
          `distillguard: enforcement feed: cannot publish to Redis (${error instanceof Error ? error.message : String(error)}); enforcing locally, will publish on reconnect`,
        );
      }
    }
  };

  const flushPending = async (): Promise<void> => {
    for (const accountId of [...pending]) {
      pending.delete(accountId);
      await publish(accountId);
      if (pending.has(accountId)) throw new Error('Redis unavailable');
    }
  };

  const applyMessage = (m: StateMessage): void => {
    if (m.v <= version) return;
    if (m.v > version + 1) {
      // A gap: we missed messages (e.g. reconnect); the snapshot has them all.
      void resync();
      return;
    }
    version = m.v;
    if (m.r === replica || pending.has(m.a)) return;
    inner.apply(m.a, parseState(m.e));
  };

  const adoptSnapshot = async (): Promise<void> => {
    const res = await redis.multi().get(versionKey).hgetall(stateKey).exec();
    if (res === null) throw new Error('snapshot transaction aborted');
    const [vRes, hRes] = res;
    if (vRes?.[0] || hRes?.[0]) throw vRes?.[0] ?? hRes?.[0];
    const v = vRes?.[1];
    if (v === null || v === undefined) {
      // Redis has no state (first start, or it lost its data): seed it with ours.
      for (const [accountId] of inner.entries()) await publish(accountId);
      if (pending.size > 0) throw new Error('Redis unavailable');
      return;
    }
    const snapshot = (hRes?.[1] ?? {}) as Record<string, string>;
    for (const [accountId, json] of Object.entries(snapshot)) {
      if (!pending.has(accountId)) inner.apply(accountId, parseState(json));
    }
    for (const [accountId] of inner.entries()) {
      if (!(accountId in snapshot) && !pending.has(accountId)) inner.apply(accountId, undefined);
    }
    version = Number(v);
  };

  const resync = (): Promise<void> => {
    syncing ??= (async () => {
      queued = [];
      try {
        await flushPending();
        await adoptSnapshot();
        await opts.authenticator?.refreshIfChanged();
        for (const m of queued) applyMessage(m);
      } finally {
        queued = undefined;
        syncing = undefined;
      }
    })();
    return syncing;
  };

  const resyncQuietly = (): void => {
    if (closed) return;
    resync().catch((error: unknown) => {
      log(
        `distillguard: enforcement feed: catch-up failed (${error instanceof Error ? error.message : String(error)}); keeping last known enforcement`,
      );
    });
  };

  // The key cache coalesces overlapping refreshes into one, which may have read the revision
  // before the change we were just told about; so a notice during a refresh queues another.
  let authRunning = false;
  let authAgain = false;
  const refreshAuth = (): void => {
    const auth = opts.authenticator;
    if (auth === undefined) return;
    if (authRunning) {
      authAgain = true;
      return;
    }
    authRunning = true;
    auth
      .refreshIfChanged()
      .catch(() => undefined)
      .finally(() => {
        authRunning = false;
        if (authAgain) {
          authAgain = false;
          refreshAuth();
        }
      });
  };

  let badMessageLogged = false;
  subscriber.on('message', (ch: string, raw: string) => {
    if (ch !== channel) return;
    try {
      const m = JSON.parse(raw) as StateMessage | AuthMessage;
      if ('auth' in m) {
        if (m.r !== replica) refreshAuth();
        return;
      }
      if (typeof m.v !== 'number' || typeof m.a !== 'string' || typeof m.e !== 'string')
        throw new Error('bad shape');
      if (queued !== undefined) queued.push(m);
      else applyMessage(m);
    } catch (error) {
      if (!badMessageLogged) {
        badMessageLogged = true;
        log(`distillguard: enforcement feed: ignoring a malformed message (${String(error)})`);
      }
    }
  });
  // ioredis re-subscribes by itself after a reconnect; we catch up on what we missed meanwhile.
  let connectedOnce = false;
  subscriber.on('ready', () => {
    if (connectedOnce) resyncQuietly();
    connectedOnce = true;
  });

  try {
    await subscriber.subscribe(channel);
    connectedOnce = true;
    await resync();
  } catch (error) {
    log(
      `distillguard: enforcement feed: Redis unavailable at start (${error instanceof Error ? error.message : String(error)}); enforcing the stored state, catching up when Redis answers`,
    );
  }

  const checkMs = opts.checkMs ?? 5000;
  const timer =
    checkMs > 0
      ? setInterval(() => {
          if (syncing !== undefined) return;
          redis
            .get(versionKey)
            .then((v) => {
              if (pending.size > 0 || v === null || Number(v) > version) resyncQuietly();
            })
            .catch(() => undefined);
        }, checkMs)
      : undefined;
  timer?.unref();

  const announce = (): void => {
    redis.publish(channel, JSON.stringify({ auth: true, r: replica })).catch(() => undefined);
  };

  const table: PersistentEnforcementTable = {
    get: (accountId) => inner.get(accountId),
    set(accountId, enforcement) {
      const before = inner.get(accountId);
      inner.set(accountId, enforcement);
      if (inner.get(accountId) !== before) void publish(accountId);
    },
    clear(accountId) {
      const before = inner.get(accountId);
      inner.clear(accountId);
      if (before !== undefined) void publish(accountId);
    },
    async override(accountId, o) {
      const result = await inner.override(accountId, o);
      await publish(accountId);
      return result;
    },
    entries: () => inner.entries(),
    flush: () => inner.flush(),
    apply: (accountId, state) => inner.apply(accountId, state),
  };

  return {
    table,
    announceAuth(auth) {
      return {
        ...auth,
        applyKey(key) {
          auth.applyKey(key);
          announce();
        },
        applyAccount(account) {
          auth.applyAccount(account);
          announce();
        },
        applyOrg(org) {
          auth.applyOrg(org);
          announce();
        },
      };
    },
    resync,
    get version() {
      return version;
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
