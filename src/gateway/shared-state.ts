/**
 * Scale-out composition of the gateway's state: which store to open (`--store`: a SQLite file by
 * default, or a `postgres://` URL shared by every replica) and, with `--redis`, the shared
 * limiter and the enforcement feed that replace the per-process ones. `embedded.ts` calls these
 * so the embedded default is unchanged when neither flag is given.
 */
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import type { CachedKeyAuthenticator } from './auth/key-authenticator.js';
import { resolveServerSecret, SERVER_SECRET_ENV, ServerSecretError } from './auth/server-secret.js';
import { type EnforcementFeed, startEnforcementFeed } from './enforcement-feed.js';
import type { PersistentEnforcementTable } from './enforcement-table.js';
import { createLimiter, type LimitDefaults, type MemoryLimiter } from './limits/limiter.js';
import { createRedisLimiter, type RedisLimiter } from './limits/redis-limiter.js';

/**
 * True for a PostgreSQL connection URL.
 *
 * @example
 * isPostgresUrl('postgres://db:5432/dg'); // true
 */
export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s);
}

export interface OpenedStore {
  store: Store;
  serverSecret: Buffer;
  /** For log lines: the file, or the server without credentials. */
  description: string;
}

/**
 * Opens the configured store. `location` is a SQLite path or a `postgres://…` URL; a
 * `?schema=name` parameter on the URL selects the schema (default `public`). A PostgreSQL store
 * is shared by replicas, so the server secret must come from DG_SERVER_SECRET (the same on every
 * replica), never from a file beside a database that is not on this machine.
 *
 * @example
 * const { store, serverSecret } = await openConfiguredStore({ location: 'postgres://127.0.0.1/dg' });
 */
export async function openConfiguredStore(opts: {
  location: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): Promise<OpenedStore> {
  const env = opts.env ?? process.env;
  if (!isPostgresUrl(opts.location)) {
    const store = openSqliteStore({ path: opts.location });
    try {
      return {
        store,
        serverSecret: resolveServerSecret({ dbPath: opts.location, env }),
        description: opts.location,
      };
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  const fromEnv = env[SERVER_SECRET_ENV];
  if (fromEnv === undefined || fromEnv === '') {
    throw new ServerSecretError(
      `a PostgreSQL store is shared by every replica: set ${SERVER_SECRET_ENV} (the same value on each)`,
    );
  }
  const serverSecret = resolveServerSecret({ dbPath: ':memory:', env });
  return { ...(await openPostgresLocation(opts.location, opts.log)), serverSecret };
}

/**
 * Opens (and migrates) the PostgreSQL store a `postgres://…[?schema=name]` URL names; the
 * `schema` parameter is ours, not libpq's, so it is taken off the URL before connecting.
 *
 * @example
 * const { store } = await openPostgresLocation('postgres://postgres@127.0.0.1:5432/test?schema=dg_a');
 */
export async function openPostgresLocation(
  location: string,
  log?: (line: string) => void,
): Promise<{ store: Store; description: string }> {
  const url = new URL(location);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  // Loaded only when asked for: the embedded gateway never pays pg's memory (see loadRedis).
  const { openPostgresStore } = await import('../store/postgres.js');
  const store = await openPostgresStore({ url: url.toString(), schema, log });
  return {
    store,
    description: `postgres ${url.hostname}:${url.port || '5432'}${url.pathname}${schema ? ` schema ${schema}` : ''}`,
  };
}

export interface SharedState {
  limiter: RedisLimiter;
  /** Publishes local changes and applies other replicas'. */
  enforcement: PersistentEnforcementTable;
  /** Announces key/account changes made through it (admin API) to other replicas. */
  authenticator: CachedKeyAuthenticator;
  feed: EnforcementFeed;
  close(): Promise<void>;
}

/**
 * Connects to Redis and starts the shared limiter (falling back to a local in-memory one while
 * Redis is unreachable) and the enforcement feed. Never fails because Redis is down: the
 * gateway starts on local limits and its stored enforcement and catches up when Redis answers.
 *
 * @example
 * const shared = await startSharedState({ redisUrl: 'redis://127.0.0.1:6379', table, authenticator: auth });
 * createGateway({ ..., limiter: shared.limiter, enforcement: shared.enforcement });
 */
export async function startSharedState(opts: {
  redisUrl: string;
  table: PersistentEnforcementTable;
  authenticator: CachedKeyAuthenticator;
  defaults?: LimitDefaults;
  /** Local limiter used while Redis is unreachable (the caller closes it); created if absent. */
  fallback?: MemoryLimiter;
  /** Prefix of every Redis key and channel (several deployments on one Redis). */
  prefix?: string;
  log?: (line: string) => void;
}): Promise<SharedState> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const prefix = opts.prefix ?? 'dg';
  // No offline queue: while disconnected, calls fail at once and the limiter uses its fallback
  // instead of holding requests; a short command timeout bounds a hung server the same way.
  const common = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 250,
    lazyConnect: true,
    retryStrategy: (attempt: number) => Math.min(2000, 50 * attempt),
  };
  const Redis = await loadRedis();
  const redis = new Redis(opts.redisUrl, common);
  // The subscriber's offline queue stays on so ioredis can re-subscribe after a reconnect.
  const subscriber = new Redis(opts.redisUrl, {
    ...common,
    enableOfflineQueue: true,
    commandTimeout: undefined,
  });
  let errorLogged = false;
  for (const client of [redis, subscriber]) {
    client.on('error', (error: Error) => {
      if (errorLogged) return;
      errorLogged = true;
      log(`distillguard: Redis ${redactUrl(opts.redisUrl)}: ${error.message} (retrying in the background)`);
    });
    client.on('ready', () => {
      errorLogged = false;
    });
  }
  await Promise.all([redis.connect().catch(() => undefined), subscriber.connect().catch(() => undefined)]);

  const ownFallback = opts.fallback === undefined;
  const fallback: MemoryLimiter =
    opts.fallback ?? createLimiter({ defaults: opts.defaults, sweepMs: 60_000 });
  const limiter = createRedisLimiter({
    redis,
    fallback,
    defaults: opts.defaults,
    prefix: `${prefix}:lim`,
    log,
  });
  const feed = await startEnforcementFeed({
    redis,
    subscriber,
    table: opts.table,
    authenticator: opts.authenticator,
    prefix: `${prefix}:enf`,
    log,
  });
  return {
    limiter,
    enforcement: feed.table,
    authenticator: feed.announceAuth(opts.authenticator),
    feed,
    async close() {
      await feed.close();
      if (ownFallback) fallback.close();
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'server';
  }
}

/**
 * Wraps a key cache so it refuses to vouch for keys once the store has been unreachable for
 * longer than `maxStaleMs`: until then requests are answered from the cache (a PostgreSQL
 * outage does not take the API down); after that a revocation made meanwhile could be missed,
 * so authentication fails with `key_store_unavailable` (the gateway answers an API-shaped 503
 * with retry-after) until the store answers again. The cause is logged once per outage.
 *
 * @example
 * const auth = boundStaleness(await createKeyAuthenticator({ store, serverSecret }), { maxStaleMs: 600_000 });
 */
export function boundStaleness<T extends CachedKeyAuthenticator>(
  auth: T,
  opts: { maxStaleMs: number; checkMs?: number; now?: () => number; log?: (line: string) => void },
): T & { readonly staleForMs: number } {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let lastOk = now();
  let refusing = false;
  const ok = () => {
    lastOk = now();
    if (refusing) log('distillguard: key store reachable again; accepting API keys');
    refusing = false;
  };
  const check = (): void => {
    auth.refreshIfChanged().then(ok, () => undefined);
  };
  const timer = setInterval(check, opts.checkMs ?? 1000);
  timer.unref();
  return {
    ...auth,
    get staleForMs() {
      return now() - lastOk;
    },
    authenticate(secret: string | undefined) {
      const stale = now() - lastOk;
      if (stale > opts.maxStaleMs) {
        if (!refusing) {
          log(
            `distillguard: key store unreachable for ${Math.round(stale / 1000)} s (limit ${Math.round(opts.maxStaleMs / 1000)} s); refusing to authenticate from a stale cache (503) until it answers`,
          );
        }
        refusing = true;
        return { ok: false, reason: 'key_store_unavailable' } as const;
      }
      return auth.authenticate(secret);
    },
    refreshIfChanged: async () => {
      const changed = await auth.refreshIfChanged();
      ok();
      return changed;
    },
    close() {
      clearInterval(timer);
      auth.close();
    },
  };
}

/**
 * ioredis, imported on first use: loaded at start-up it cost every `serve` ~10 MB of RSS whether
 * or not Redis was configured (the RSS bar is 150 MB).
 */
async function loadRedis(): Promise<typeof import('ioredis').Redis> {
  return (await import('ioredis')).Redis;
}
