/**
 * `distillguard serve`: the gateway in its embedded form (SQLite, in-process bus and detector,
 * admin API when DG_ADMIN_TOKEN is set). `--mock-upstream` starts the mock model server in the
 * same process for a zero-config trial. SIGINT/SIGTERM shut down gracefully: stop accepting,
 * finish in-flight requests, drain the exchange log and the detector's decisions.
 */
import type { Command } from 'commander';
import { ConfigError, loadGatewayConfig } from '../../gateway/config.js';
import { startEmbedded } from '../../gateway/embedded.js';
import { UsageError } from '../errors.js';
import { intOption } from '../int-option.js';

interface ServeFlags {
  config?: string;
  port: number;
  host: string;
  db: string;
  mockUpstream?: boolean;
  content: string;
  retentionDays?: number;
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
    .action(async (flags: ServeFlags) => {
      if (flags.config === undefined && flags.mockUpstream !== true) {
        throw new UsageError('serve needs --config FILE (or --mock-upstream for a zero-config trial)');
      }
      if (flags.content !== 'full' && flags.content !== 'fingerprint') {
        throw new UsageError(`--content must be "full" or "fingerprint", got "${flags.content}"`);
      }
      let config: ReturnType<typeof loadGatewayConfig> | undefined;
      try {
        config = flags.config === undefined ? undefined : loadGatewayConfig(flags.config, process.env);
      } catch (error) {
        if (error instanceof ConfigError) throw new UsageError(`config: ${error.message}`);
        throw error;
      }
      let running: Awaited<ReturnType<typeof startEmbedded>>;
      try {
        running = await startEmbedded({
          config,
          port: flags.port,
          host: flags.host,
          dbPath: flags.db,
          mockUpstream: flags.mockUpstream === true,
          content: flags.content,
          retentionDays: flags.retentionDays,
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE')
          throw new UsageError(`port ${flags.port} on ${flags.host} is already in use`, 1);
        if (code === 'EACCES')
          throw new UsageError(`not allowed to listen on ${flags.host}:${flags.port}`, 1);
        if (error instanceof Error && error.name === 'ServerSecretError')
          throw new UsageError(error.message, 1);
        if (error instanceof Error && /SQLITE|database/i.test(error.message)) {
          throw new UsageError(`cannot open database ${flags.db}: ${error.message}`, 1);
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
