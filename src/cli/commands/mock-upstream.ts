/**
 * `distillguard mock-upstream`: runs the deterministic OpenAI/Anthropic-compatible mock model
 * server until SIGINT/SIGTERM, for trying the gateway and benchmarking it without a real model.
 */
import type { Command } from 'commander';
import { startMockUpstream } from '../../gateway/mock-upstream/server.js';
import { intOption } from '../int-option.js';

interface MockUpstreamFlags {
  port: number;
  host: string;
  latencyMs: number;
  chunkDelayMs: number;
  replyTokens: number;
  failStatus?: number;
  switchedOff?: string[];
}

/**
 * Adds the `mock-upstream` subcommand.
 *
 * @example
 * register(program); // distillguard mock-upstream --port 9000 --latency-ms 20
 */
export function register(program: Command): void {
  program
    .command('mock-upstream')
    .description(
      'Run a deterministic OpenAI + Anthropic compatible mock model server (faults via POST /_mock/faults).',
    )
    .option('--port <n>', 'port to listen on', intOption('--port', 0, 65535), 9000)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--latency-ms <n>', 'delay before the response headers', intOption('--latency-ms', 0, 600_000), 0)
    .option(
      '--chunk-delay-ms <n>',
      'delay between streamed events',
      intOption('--chunk-delay-ms', 0, 60_000),
      0,
    )
    .option('--reply-tokens <n>', 'reply length in tokens', intOption('--reply-tokens', 0, 100_000), 16)
    .option(
      '--fail-status <code>',
      'answer every request with this HTTP status',
      intOption('--fail-status', 100, 599),
    )
    .option('--switched-off <models...>', 'models that answer 404 as if switched off')
    .action(async (flags: MockUpstreamFlags) => {
      const mock = await startMockUpstream({
        port: flags.port,
        host: flags.host,
        latencyMs: flags.latencyMs,
        chunkDelayMs: flags.chunkDelayMs,
        replyTokens: flags.replyTokens,
        faults: { failStatus: flags.failStatus, switchedOff: flags.switchedOff },
      });
      process.stderr.write(`mock upstream listening on ${mock.url} (OpenAI base URL ${mock.url}/v1)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await mock.close();
    });
}
