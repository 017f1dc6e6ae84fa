/**
 * A scale-out detector worker: the feature stage for its share of the account shards and the
 * linking stage for the same share of the key partitions, on one NATS connection. Both halves
 * are stateless to the campaign stage's eyes — it only sees their messages — so any number of
 * workers can split the shards (`--shard i/n`).
 */
import { type FeatureWorker, type FeatureWorkerOptions, startFeatureWorker } from './feature-worker.js';
import { type LinkWorker, startLinkWorker } from './link-worker.js';

export interface DetectorWorkerOptions extends FeatureWorkerOptions {
  /** Directory for the key partitions' checkpoints (see link-checkpoint.ts). */
  checkpointDir?: string;
  /** How often changed key partitions are checkpointed (default 5000 ms). */
  checkpointEveryMs?: number;
}

export interface DetectorWorker {
  readonly features: FeatureWorker['stats'];
  readonly links: LinkWorker['stats'];
  /** Stops both halves: in-flight work finishes, key partitions are checkpointed. */
  stop(): Promise<void>;
}

/**
 * Starts both stages for worker `shard`.
 *
 * @example
 * const worker = await startDetectorWorker({ nc, topology: topology('dg', 16), shard: { index: 0, count: 2 }, checkpointDir: 'ckpt' });
 * process.once('SIGTERM', () => worker.stop());
 */
export async function startDetectorWorker(opts: DetectorWorkerOptions): Promise<DetectorWorker> {
  const features = await startFeatureWorker(opts);
  const links = await startLinkWorker({
    nc: opts.nc,
    topology: opts.topology,
    shard: opts.shard,
    ...(opts.checkpointDir === undefined ? {} : { checkpointDir: opts.checkpointDir }),
    ...(opts.checkpointEveryMs === undefined ? {} : { checkpointEveryMs: opts.checkpointEveryMs }),
    ...(opts.log === undefined ? {} : { log: opts.log }),
  });
  return {
    features: features.stats,
    links: links.stats,
    async stop() {
      await features.stop();
      await links.stop();
    },
  };
}
