/**
 * `distillguard serve`: the gateway in its embedded form (SQLite, in-process bus and detector,
 * admin API when DG_ADMIN_TOKEN is set). `--mock-upstream` starts the mock model server in the
 * same process for a zero-config trial. SIGINT/SIGTERM shut down gracefully: stop accepting,
 * finish in-flight requests, drain the exchange log and the detector's decisions.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_SHARDS } from '../../bus/shard.js';
import { loadPolicy, PolicyError } from '../../detect/policy.js';
import { ConfigError, loadGatewayConfig } from '../../gateway/config.js';
import { startEmbedded } from '../../gateway/embedded.js';
import { limitOldSpaceGrowth } from '../../gateway/heap-growth.js';
import { isPostgresUrl } from '../../gateway/shared-state.js';
import { keepWasmOnBaselineCompiler } from '../../gateway/wasm-tier.js';
import { StoreUnavailableError } from '../../store/errors.js';
import { UsageError } from '../errors.js';
import { intOption } from '../int-option.js';
import { busServers } from './detector.js';

interface ServeFlags {
  config?: string;
  port: number;
  host: string;
  db: string;
  mockUpstream?: boolean;
  content: string;
  retentionDays?: number;
  bus?: string;
  busShards: number;
  busPrefix: string;
  spool?: string;
  gatewayId?: string;
  store?: string;
  redis?: string;
  redisPrefix: string;
  policy?: string;
  exchangeThread: boolean;
}

/**
 * Adds the `serve` subcommand.
 *
 * @example
 * register(program); // distillguard serve --config gateway.json --port 8080
 */
export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the gateway: OpenAI/Anthropic-compatible proxy with keys, limits, exchange log, live detection and enforcement.',
    )
    .option('--config <file>', 'gateway config (JSON; see docs/gateway.md)')
    .option('--port <n>', 'port to listen on', intOption('--port', 0, 65535), 8080)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--db <path>', 'SQLite database file', 'distillguard.db')
    .option(
      '--mock-upstream',
      'start the deterministic mock model server in-process (used when --config is absent)',
    )
    .option('--content <mode>', 'exchange log content: full | fingerprint', 'full')
    .option(
      '--retention-days <n>',
      'delete logged exchanges older than this',
      intOption('--retention-days', 1, 36_500),
    )
    .option(
      '--bus <url>',
      'scale-out: publish events to NATS JetStream (nats://host:port) for `detector` workers',
    )
    .option(
      '--bus-shards <n>',
      'subject shards (same on every gateway and worker)',
      intOption('--bus-shards', 1, 1024),
      DEFAULT_SHARDS,
    )
    .option('--bus-prefix <name>', 'stream/subject prefix of the deployment', 'dg')
    .option('--spool <file>', 'where events wait while NATS is unreachable (default: <db>.bus-spool)')
    .option(
      '--store <location>',
      'state store: a SQLite file, or postgres://user@host:5432/db[?schema=name] shared by replicas (default: --db)',
    )
    .option(
      '--redis <url>',
      'redis://host:6379 — limits shared across replicas and enforcement pushed to each',
    )
    .option('--redis-prefix <name>', 'Redis key/channel prefix of the deployment', 'dg')
    .option(
      '--policy <file>',
      'detector policy file (default: built-in); with --bus, give it to the detector workers',
    )
    .option(
      '--no-exchange-thread',
      'keep the exchange log and the in-process detector on the request thread (about 10 MB less memory, a longer latency tail)',
    )
    .option(
      '--gateway-id <id>',
      "this gateway's name, unique per deployment: its decisions consumer and its event-time watermark (default: gw-<port>)",
    )
    .action(async (flags: ServeFlags) => {
      if (flags.config === undefined && flags.mockUpstream !== true) {
        throw new UsageError('serve needs --config FILE (or --mock-upstream for a zero-config trial)');
      }
      if (flags.content !== 'full' && flags.content !== 'fingerprint') {
        throw new UsageError(`--content must be "full" or "fingerprint", got "${flags.content}"`);
      }
      if (flags.bus !== undefined) {
        busServers(flags.bus);
        try {
          // Imported here: the NATS client is loaded only when --bus asks for it.
          const { topology } = await import('../../bus/topology.js');
          topology(flags.busPrefix, flags.busShards);
        } catch (error) {
          throw new UsageError(`--bus-prefix: ${(error as Error).message}`);
        }
      }
      const gatewayId = flags.gatewayId ?? `gw-${flags.port}`;
      if (!/^[A-Za-z0-9_-]+$/.test(gatewayId)) {
        throw new UsageError(`--gateway-id must be letters, digits, - or _ (got "${gatewayId}")`);
      }
      if (flags.redis !== undefined && !/^rediss?:\/\/[^/]/i.test(flags.redis)) {
        throw new UsageError(`--redis must be a redis:// or rediss:// URL (got "${flags.redis}")`);
      }
      if (!/^[A-Za-z0-9_.-]+$/.test(flags.redisPrefix)) {
        throw new UsageError(
          `--redis-prefix must be letters, digits, ., - or _ (got "${flags.redisPrefix}")`,
        );
      }
      if (flags.policy !== undefined && flags.bus !== undefined) {
        throw new UsageError(
          '--policy applies to the in-process detector; with --bus the detector workers decide: distillguard detector --policy FILE',
        );
      }
      let policy: { value: ReturnType<typeof loadPolicy>; path: string } | undefined;
      try {
        policy =
          flags.policy === undefined
            ? undefined
            : { value: loadPolicy(flags.policy), path: resolve(flags.policy) };
      } catch (error) {
        if (error instanceof PolicyError) throw new UsageError(`--policy: ${error.message}`);
        throw error;
      }
      const storeUrl = flags.store !== undefined && isPostgresUrl(flags.store) ? flags.store : undefined;
      const dbPath = storeUrl === undefined ? (flags.store ?? flags.db) : flags.db;
      let config: ReturnType<typeof loadGatewayConfig> | undefined;
      try {
        config = flags.config === undefined ? undefined : loadGatewayConfig(flags.config, process.env);
      } catch (error) {
        if (error instanceof ConfigError) throw new UsageError(`config: ${error.message}`);
        throw error;
      }
      // The gateway's live heap is small (~17–22 MB); without this V8 lets old space grow to ~4× that
      // before collecting, and peak RSS follows how long the load ran. 25 % over the live heap: in
      // 4 alternating pairs against 50 %, peak RSS 146–151 vs 149–158 MB with no loss of throughput
      // (docs/benchmarks.md, Gateway). `node --heap-growing-percent=N` still wins when given.
      limitOldSpaceGrowth(25);
      // undici's parser tiered up to TurboFan leaves ~8 MB of compiler memory resident (wasm-tier.ts).
      keepWasmOnBaselineCompiler();
      let running: Awaited<ReturnType<typeof startEmbedded>>;
      try {
        running = await startEmbedded({
          config,
          port: flags.port,
          host: flags.host,
          dbPath,
          storeUrl,
          redis: flags.redis === undefined ? undefined : { url: flags.redis, prefix: flags.redisPrefix },
          mockUpstream: flags.mockUpstream === true,
          content: flags.content,
          retentionDays: flags.retentionDays,
          exchangeThread: flags.exchangeThread,
          ...(policy === undefined ? {} : { policy }),
          ...(flags.bus === undefined
            ? {}
            : {
                natsBus: {
                  url: flags.bus,
                  shards: flags.busShards,
                  prefix: flags.busPrefix,
                  spoolPath: flags.spool ?? `${flags.db}.bus-spool`,
                  gatewayId,
                },
              }),
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE')
          throw new UsageError(`port ${flags.port} on ${flags.host} is already in use`, 1);
        if (code === 'EACCES')
          throw new UsageError(`not allowed to listen on ${flags.host}:${flags.port}`, 1);
        if (error instanceof Error && error.name === 'ServerSecretError')
          throw new UsageError(error.message, 1);
        if (error instanceof StoreUnavailableError) throw new UsageError(error.message, 1);
        if (storeUrl !== undefined && error instanceof Error && 'code' in error) {
          throw new UsageError(`cannot open the PostgreSQL store: ${error.message}`, 1);
        }
        if (error instanceof Error && /SQLITE|database/i.test(error.message)) {
          throw new UsageError(`cannot open database ${dbPath}: ${error.message}`, 1);
        }
        throw error;
      }
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`${signal}: finishing in-flight requests and draining the exchange log…\n`);
          resolve();
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      await running.close();
      process.stderr.write('stopped\n');
    });
}
