/**
 * The embedded deployment in one process: SQLite store, cached key authentication, in-memory
 * limiter, persistent enforcement table, exchange log → in-process bus → live detector →
 * decisions, the admin API, and optionally the mock upstream for a zero-config trial. `serve`
 * is a thin shell over this; tests start it directly.
 */
import { announceAccounts } from '../bus/announce-accounts.js';
import { createInProcessBus } from '../bus/in-process.js';
import type { EventBus } from '../bus/types.js';
import { consoleAppLoader } from '../console/app-asset.js';
import { createConsoleHandler } from '../console/console-handler.js';
import type { Policy } from '../detect/policy.js';
import { createDecisionRecorder } from '../store/decision-recorder.js';
import type { ContentMode, Store } from '../store/types.js';
import { ADMIN_TOKEN_ENV } from './admin/admin-token.js';
import { createAdminHandler } from './admin/handler.js';
import { createKeyAuthenticator } from './auth/key-authenticator.js';
import { batchingSink } from './batching-sink.js';
import { type GatewayConfig, parseGatewayConfig } from './config.js';
import {
  accountLookup,
  attachDetector,
  countedDecisions,
  seedAccounts,
  storedAccounts,
} from './detector-link.js';
import { loadEnforcementTable } from './enforcement-table.js';
import { createEventTimeTracker, type EventTimeTracker } from './event-time.js';
import { createExchangeLog } from './exchange-log.js';
import { createLimiter } from './limits/limiter.js';
import { createGatewayMetrics } from './metrics.js';
import { type MockUpstream, startMockUpstream } from './mock-upstream/server.js';
import { startExchangeThread } from './offload/exchange-thread.js';
import type { EnforcementTable, ExchangeSink } from './ports.js';
import { createGateway, type Gateway } from './server.js';
import { boundStaleness, openConfiguredStore, startSharedState } from './shared-state.js';

export interface EmbeddedOptions {
  /** Parsed config; with `mockUpstream` and no config, a config routing to the mock is used. */
  config?: GatewayConfig;
  port: number;
  host?: string;
  /** SQLite file (`:memory:` for tests; then DG_SERVER_SECRET must be set in `env`). */
  dbPath: string;
  /** Start the mock upstream in-process. */
  mockUpstream?: boolean;
  content?: ContentMode;
  retentionDays?: number;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Stamp exchanges with the replay header's time (demo and tests only; see GatewayOptions). */
  replayTimestamps?: boolean;
  /**
   * Scale-out: publish exchange events to NATS JetStream for the detector workers (and apply the
   * decisions they publish) instead of running the detector in-process.
   */
  natsBus?: { url: string; shards: number; prefix: string; spoolPath: string; gatewayId: string };
  /** Scale-out: a `postgres://` URL (shared by replicas) used instead of the SQLite `dbPath`. */
  storeUrl?: string;
  /** Scale-out: Redis for limits shared across replicas and the enforcement feed. */
  redis?: { url: string; prefix?: string };
  /** With `storeUrl`: how long cached keys are trusted while the store is unreachable (default 10 min). */
  maxStaleKeysMs?: number;
  /**
   * With a SQLite file and no NATS bus: run the exchange log and the detector on their own thread
   * (default true). False keeps them on the request thread, as with `:memory:` or PostgreSQL.
   */
  exchangeThread?: boolean;
  /** The in-process detector's policy and the file it came from (default: the built-in policy). */
  policy?: { value: Policy; path: string };
}

export interface EmbeddedGateway {
  url: string;
  gateway: Gateway;
  mock: MockUpstream | undefined;
  store: Store;
  /** Standing enforcement per account (what the next request of each account gets). */
  enforcement: EnforcementTable;
  /** Graceful: stop accepting, finish in-flight, drain log, bus, detector decisions, close the store. */
  close(): Promise<void>;
}

/**
 * The config used by `serve --mock-upstream` without `--config`: both wire formats, three models.
 *
 * @example
 * mockConfig('http://127.0.0.1:9000').models.has('mock-claude'); // true
 */
export function mockConfig(mockUrl: string): GatewayConfig {
  return parseGatewayConfig(
    {
      upstreams: {
        'mock-openai': { kind: 'openai-compatible', baseUrl: `${mockUrl}/v1` },
        'mock-anthropic': { kind: 'anthropic', baseUrl: mockUrl },
      },
      models: {
        'mock-small': { targets: [{ upstream: 'mock-openai' }] },
        'mock-reasoner': { targets: [{ upstream: 'mock-openai' }] },
        'mock-claude': { targets: [{ upstream: 'mock-anthropic', model: 'mock-large' }] },
      },
    },
    {},
  );
}

/**
 * Starts everything and listens.
 *
 * @example
 * const running = await startEmbedded({ port: 8080, dbPath: 'distillguard.db', mockUpstream: true });
 * process.once('SIGTERM', () => running.close());
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedGateway> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const mock = options.mockUpstream === true ? await startMockUpstream({ port: 0 }) : undefined;
  const config = options.config ?? (mock === undefined ? undefined : mockConfig(mock.url));
  if (config === undefined) throw new Error('startEmbedded needs a config or mockUpstream');

  const opened = await openConfiguredStore({ location: options.storeUrl ?? options.dbPath, env, log });
  const { store, serverSecret } = opened;
  const cachedAuth = await createKeyAuthenticator({ store, serverSecret, refreshMs: 2000 });
  // A networked store can go away: answer from the key cache, but only for a bounded time.
  const auth =
    options.storeUrl === undefined
      ? cachedAuth
      : boundStaleness(cachedAuth, { maxStaleMs: options.maxStaleKeysMs ?? 600_000, log });
  const localLimiter = createLimiter({ sweepMs: 60_000 });
  const localEnforcement = await loadEnforcementTable({ store });
  const shared =
    options.redis === undefined
      ? undefined
      : await startSharedState({
          redisUrl: options.redis.url,
          prefix: options.redis.prefix,
          table: localEnforcement,
          authenticator: auth,
          fallback: localLimiter,
          log,
        });
  const limiter = shared?.limiter ?? localLimiter;
  const enforcement = shared?.enforcement ?? localEnforcement;
  const recorder = createDecisionRecorder({ store, enforcement });
  const metrics = createGatewayMetrics();
  const recorded = countedDecisions(recorder, metrics);
  const toRecordOf = accountLookup(store);
  let seeded: number;
  let eventTime: EventTimeTracker | undefined;
  let where = 'detector in the detector workers';
  /** Where finished exchanges go, and how to shut that down without losing any. */
  let exchanges: { sink: ExchangeSink; close(): Promise<void> };
  if (options.natsBus !== undefined) {
    // Detection runs in the detector workers: accounts go out on the bus, decisions come back on it.
    const { gatewayId, ...busOptions } = options.natsBus;
    // Events carry this gateway's event-time watermark so the campaign stage merges replicas in ts order.
    eventTime = createEventTimeTracker({ replay: options.replayTimestamps === true });
    const tracker = eventTime;
    // NATS client loaded only for scale-out: the embedded gateway does not carry its memory.
    const { createNatsBus } = await import('../bus/nats.js');
    const nats = createNatsBus({
      ...busOptions,
      log,
      watermark: { publisher: gatewayId, low: () => tracker.low(), published: (e) => tracker.published(e) },
    });
    const knownAccounts = await storedAccounts(store);
    for (const record of knownAccounts) nats.publishAccount(record);
    nats.onDecisions((d) => recorded.record([d]), `${options.natsBus.prefix}-gateway-${gatewayId}`);
    const bus = announceAccounts(nats, toRecordOf, new Set(knownAccounts.map((r) => r.account_id)));
    seeded = knownAccounts.length;
    exchanges = inThreadLog(bus);
  } else if (
    options.exchangeThread !== false &&
    options.storeUrl === undefined &&
    options.dbPath !== ':memory:'
  ) {
    // A SQLite file: the log and the detector run on their own thread, off the request thread.
    const thread = await startExchangeThread({
      dbPath: options.dbPath,
      content: options.content ?? 'full',
      ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }),
      ...(options.policy === undefined ? {} : { policy: options.policy.value }),
      log,
      onDecisions: (decisions, campaigns) => recorded.record(decisions, campaigns),
      onDropped: (count) => metrics.exchangesDropped.inc(count),
    });
    seeded = thread.seeded;
    exchanges = { sink: thread, close: () => thread.close() };
    where = 'exchange log and detector on their own thread';
  } else {
    // In memory (tests) or on PostgreSQL without NATS: log and detector on this thread, the
    // detector's work in 10 ms batches rather than between every two requests of a client.
    const bus = createInProcessBus({ delayMs: 10 });
    // Loaded here: with the exchange thread the detector's code lives only in that thread.
    const { createDetector } = await import('../detect/detector.js');
    const detector = createDetector(options.policy === undefined ? {} : { policy: options.policy.value });
    // The exchange thread reads the stored accounts itself; only this path needs them here.
    seeded = seedAccounts(detector, await storedAccounts(store));
    attachDetector({ bus, detector, decisions: recorded, lookupAccount: toRecordOf });
    exchanges = inThreadLog(bus);
    where = 'exchange log and detector on the request thread';
  }
  function inThreadLog(bus: EventBus): { sink: ExchangeSink; close(): Promise<void> } {
    const exchangeLog = createExchangeLog({
      store,
      bus,
      content: options.content,
      retentionDays: options.retentionDays,
    });
    return {
      sink: exchangeLog,
      async close() {
        await exchangeLog.close();
        await bus.close();
      },
    };
  }
  const admin = createAdminHandler({
    store,
    adminToken: env[ADMIN_TOKEN_ENV],
    serverSecret,
    enforcement,
    authenticator: shared?.authenticator ?? auth,
  });
  // The analyst console at /console rides on the admin API (same services, same audit trail).
  const consoleHandler = createConsoleHandler({
    store,
    enforcement,
    // In process the detector runs --policy (or the built-in one); with a bus, the workers decide.
    ...(options.natsBus !== undefined
      ? {
          policySource:
            'detector workers (distillguard detector --policy FILE); shown: the built-in default they use without one',
        }
      : options.policy === undefined
        ? {}
        : { policy: options.policy.value, policySource: options.policy.path }),
    adminToken: env[ADMIN_TOKEN_ENV],
    admin,
    appJs: consoleAppLoader(),
  });
  // Hand the log its events in 10 ms batches: one SQLite transaction per batch, not per request.
  const sink = batchingSink(exchanges.sink, { delayMs: 10, onDrop: () => metrics.exchangesDropped.inc() });
  const gateway = createGateway({
    config,
    auth,
    limiter,
    enforcement,
    sink,
    admin: async (req, res) => (await consoleHandler(req, res)) || admin(req, res),
    metrics,
    replayTimestamps: options.replayTimestamps,
    eventTime,
  });
  const { url } = await gateway.listen(options.port, options.host ?? '127.0.0.1');
  log(
    `distillguard gateway listening on ${url} (db ${opened.description}${shared === undefined ? '' : ', shared limits and enforcement via Redis'}, ${seeded} accounts known to the detector, ${where}${options.natsBus === undefined ? '' : `; events to NATS ${options.natsBus.url}`})`,
  );
  if (mock !== undefined)
    log(`mock upstream on ${mock.url}; models: ${[...config.models.keys()].join(', ')}`);
  if (env[ADMIN_TOKEN_ENV] === undefined)
    log(`admin API disabled: set ${ADMIN_TOKEN_ENV} to enable /admin/v1 and the console`);
  else log(`analyst console on ${url}/console (sign in with ${ADMIN_TOKEN_ENV})`);

  let closing: Promise<void> | undefined;
  return {
    url,
    gateway,
    mock,
    store,
    enforcement,
    close() {
      closing ??= (async () => {
        await gateway.close();
        await exchanges.close();
        await recorder.flush();
        await enforcement.flush();
        await shared?.close();
        auth.close();
        localLimiter.close();
        await store.close();
        await mock?.close();
      })();
      return closing;
    },
  };
}
