/**
 * `distillguard detector`: a scale-out detector process on NATS JetStream. `--role worker`
 * extracts features for its `--shard i/n` of the account-sharded events stream and holds the
 * same share of the key-partitioned linking stage; `--role campaign` runs the single campaign
 * stage (profiles, pairs, campaigns, policy; decisions to the decisions stream); `both` does
 * the two in one process. `--checkpoint DIR` keeps each part's checkpoint there.
 * SIGINT/SIGTERM stop gracefully (in-flight work acked, checkpoints written, `--report` saved).
 */
import { writeFileSync } from 'node:fs';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Command } from 'commander';
import type { CampaignStage } from '../../bus/campaign-stage.js';
import type { DetectorWorker } from '../../bus/detector-worker.js';
import { DEFAULT_SHARDS, parseShardSpec, type ShardSpec } from '../../bus/shard.js';
import type { Report } from '../../contract/types.js';
import { loadPolicy } from '../../detect/policy.js';
import { UsageError } from '../errors.js';
import { intOption } from '../int-option.js';

interface DetectorFlags {
  bus: string;
  role: string;
  shard: string;
  shards: number;
  prefix: string;
  checkpoint?: string;
  policy?: string;
  report?: string;
  maxLateness: number;
}

const ROLES = ['worker', 'campaign', 'both'] as const;
type Role = (typeof ROLES)[number];

/**
 * Checks `--bus` and returns the server list for the NATS client.
 *
 * @example
 * busServers('nats://10.0.0.5:4222'); // ['nats://10.0.0.5:4222']
 */
export function busServers(url: string): string[] {
  const servers = url.split(',').map((s) => s.trim());
  for (const s of servers) {
    if (!/^nats:\/\/[^\s/]+$/.test(s)) throw new UsageError(`--bus must be nats://host:port (got "${s}")`);
  }
  return servers;
}

/** Connects or turns an unreachable server into a user-facing error. */
async function connectOrExplain(servers: string[], name: string): Promise<NatsConnection> {
  try {
    const { connect } = await import('@nats-io/transport-node');
    return await connect({ servers, name, timeout: 5000, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  } catch (error) {
    throw new UsageError(
      `cannot reach NATS at ${servers.join(',')}: ${error instanceof Error ? error.message : String(error)}`,
      1,
    );
  }
}

/**
 * Adds the `detector` subcommand.
 *
 * @example
 * register(program); // distillguard detector --bus nats://127.0.0.1:4222 --shard 0/2 --role both --checkpoint ckpt
 */
export function register(program: Command): void {
  program
    .command('detector')
    .description(
      'Run a scale-out detector process on NATS JetStream (a worker: feature + linking stages for a shard; the campaign stage; or both).',
    )
    .requiredOption('--bus <url>', 'NATS server, nats://host:port')
    .option('--role <role>', `what this worker runs: ${ROLES.join(' | ')}`, 'both')
    .option('--shard <i/n>', 'this worker is i of n workers (0-based)', '0/1')
    .option(
      '--shards <n>',
      'subject shards of the deployment (all gateways and workers must agree)',
      intOption('--shards', 1, 1024),
      DEFAULT_SHARDS,
    )
    .option('--prefix <name>', 'stream/subject prefix of the deployment', 'dg')
    .option(
      '--checkpoint <dir>',
      'keep checkpoints here (campaign stage: detector snapshot + stream positions; worker: its key partitions)',
    )
    .option('--policy <file>', 'campaign stage: policy file (default: built-in)')
    .option('--report <file>', 'campaign stage: write report/1 here on shutdown')
    .option(
      '--max-lateness <ms>',
      'campaign stage: event time (ms) the slowest gateway may lag the fastest before it is not waited for',
      intOption('--max-lateness', 0, 365 * 86_400_000),
      10_000,
    )
    .action(async (flags: DetectorFlags) => {
      if (!(ROLES as readonly string[]).includes(flags.role)) {
        throw new UsageError(`--role must be one of ${ROLES.join(', ')} (got "${flags.role}")`);
      }
      const role = flags.role as Role;
      // The NATS client and the stages load here, not at start-up: every other command (serve
      // included) would otherwise carry their memory.
      const { topology } = await import('../../bus/topology.js');
      let shard: ShardSpec;
      let t: ReturnType<typeof topology>;
      try {
        shard = parseShardSpec(flags.shard);
        t = topology(flags.prefix, flags.shards);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      if (role === 'worker' && flags.report !== undefined) {
        throw new UsageError('--report belongs to the campaign stage (--role campaign or both)');
      }
      let policy: ReturnType<typeof loadPolicy> | undefined;
      if (flags.policy !== undefined) {
        try {
          policy = loadPolicy(flags.policy);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
      }
      const servers = busServers(flags.bus);
      const nc = await connectOrExplain(servers, `distillguard-detector-${role}-${flags.shard}`);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      let worker: DetectorWorker | undefined;
      let stage: CampaignStage | undefined;
      const { startDetectorWorker } = await import('../../bus/detector-worker.js');
      const { startCampaignStage } = await import('../../bus/campaign-stage.js');
      if (role !== 'campaign') {
        worker = await startDetectorWorker({
          nc,
          topology: t,
          shard,
          log,
          ...(flags.checkpoint === undefined ? {} : { checkpointDir: flags.checkpoint }),
        });
      }
      if (role !== 'worker') {
        stage = await startCampaignStage({
          nc,
          topology: t,
          log,
          maxLatenessMs: flags.maxLateness,
          ...(flags.checkpoint === undefined ? {} : { checkpointDir: flags.checkpoint }),
          ...(policy === undefined ? {} : { policy }),
        });
      }
      log(
        `distillguard detector: ${role} on ${servers.join(',')} (prefix ${t.prefix}, ${t.shards} shards, worker ${shard.index}/${shard.count})`,
      );
      const status = setInterval(() => {
        const parts: string[] = [];
        if (worker !== undefined)
          parts.push(`features ${worker.features.processed}, key joins ${worker.links.applied}`);
        if (stage !== undefined)
          parts.push(
            `events ${stage.stats.processed}, decisions ${stage.decisions().length}, waiting ${stage.stats.buffered}, held for event time ${stage.stats.heldForTime}, late ${stage.stats.late}`,
          );
        log(`distillguard detector: ${parts.join('; ')}`);
      }, 10_000);
      status.unref();
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      clearInterval(status);
      await worker?.stop();
      await stage?.stop();
      if (stage !== undefined && flags.report !== undefined) {
        writeFileSync(flags.report, `${JSON.stringify(stageReport(stage), null, 2)}\n`);
        log(`distillguard detector: report written to ${flags.report}`);
      }
      await nc.drain();
      log('distillguard detector: stopped');
    });
}

/**
 * The campaign stage's report/1 (what `--report` writes on shutdown).
 *
 * @example
 * writeFileSync('report.json', JSON.stringify(stageReport(stage)));
 */
export function stageReport(stage: CampaignStage): Report & { notes: string[] } {
  return {
    schema: 'distillguard.report/1',
    events: stage.stats.processed,
    rejected: stage.stats.skipped,
    decisions: stage.decisions(),
    campaigns: stage.campaigns(),
    notes: stage.notes(),
  };
}
