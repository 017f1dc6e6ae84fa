/**
 * The linking stage of the scale-out detector: the shared-signal key index (which accounts carry
 * each payment fingerprint, template, client stack, subnet, sign-up window, co-activity bucket),
 * partitioned by key. A worker owns some key partitions; for each it reads the campaign stage's
 * join requests in stream order (an ordered consumer from its checkpointed position), applies
 * them to the partition's `KeyIndex` and publishes who carried each key before. One partition's
 * requests come in the campaign stage's order, so its answers are exactly those of the single
 * in-process index `analyze` uses.
 *
 * At-least-once without double counting: a request whose step id is not above the last one
 * applied is a re-send and is skipped (its reply is already stored); replies carry the message
 * id `<id>/<partition>`, so a re-published reply is dropped by JetStream. A partition is
 * checkpointed only between requests whose replies are stored, so a restarted worker never
 * skips a request whose answer was lost.
 */
import { type ConsumerMessages, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { KeyIndex } from '../detect/key-index.js';
import { readLinkCheckpoint, writeLinkCheckpoint } from './link-checkpoint.js';
import { type JoinReply, parseJoinRequest } from './link-messages.js';
import { publishUntilStored } from './publish-until-stored.js';
import { type ShardSpec, shardsOwned } from './shard.js';
import { ensureStreams, type Topology } from './topology.js';

export interface LinkWorkerOptions {
  nc: NatsConnection;
  topology: Topology;
  /** Which key partitions this worker owns (partition p goes to worker p mod n, as shards do). */
  shard: ShardSpec;
  /** Directory for the partitions' checkpoints; without it a restart re-reads the links stream. */
  checkpointDir?: string;
  /** How often changed partitions are checkpointed (default 5000 ms). */
  checkpointEveryMs?: number;
  log?: (line: string) => void;
}

export interface LinkWorkerStats {
  /** Join requests applied by this run. */
  readonly applied: number;
  /** Requests skipped as re-sends of ones already applied. */
  readonly duplicates: number;
  /** Requests that were not valid join requests. */
  readonly invalid: number;
  /** Partitions restored from a checkpoint at start. */
  readonly restored: number;
  readonly checkpointsWritten: number;
}

export interface LinkWorker {
  readonly stats: LinkWorkerStats;
  /** Stops reading; the request in flight finishes, then every partition is checkpointed. */
  stop(): Promise<void>;
}

interface Partition {
  partition: number;
  index: KeyIndex;
  seq: number;
  lastId: number;
  /** A request is applied but its reply not stored yet: not a checkpointable state. */
  busy: boolean;
  dirty: boolean;
}

/**
 * Starts the linking stage for the worker's partitions.
 *
 * @example
 * const links = await startLinkWorker({ nc, topology: topology('dg', 16), shard: { index: 0, count: 2 }, checkpointDir: 'ckpt' });
 * process.once('SIGTERM', () => links.stop());
 */
export async function startLinkWorker(opts: LinkWorkerOptions): Promise<LinkWorker> {
  const t = opts.topology;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const jsm = await jetstreamManager(opts.nc);
  await ensureStreams(jsm, t);
  const js = jetstream(opts.nc);
  const stats = { applied: 0, duplicates: 0, invalid: 0, restored: 0, checkpointsWritten: 0 };
  let stopping = false;

  const partitions: Partition[] = [];
  for (const p of shardsOwned(opts.shard, t.shards)) {
    partitions.push(restore(p));
  }

  function restore(partition: number): Partition {
    const fresh = { partition, index: new KeyIndex(), seq: 0, lastId: 0, busy: false, dirty: false };
    if (opts.checkpointDir === undefined) return fresh;
    try {
      const cp = readLinkCheckpoint(opts.checkpointDir, t.linksStream, partition);
      if (cp === undefined) return fresh;
      const index = KeyIndex.fromState(cp.index);
      stats.restored++;
      return { ...fresh, index, seq: cp.seq, lastId: cp.lastId };
    } catch (error) {
      log(
        `distillguard detector: links partition ${partition} checkpoint not used (${(error as Error).message}); re-reading the links stream from its start`,
      );
      return fresh;
    }
  }

  const save = (part: Partition) => {
    if (opts.checkpointDir === undefined || part.busy || !part.dirty) return;
    try {
      writeLinkCheckpoint(opts.checkpointDir, {
        stream: t.linksStream,
        partition: part.partition,
        seq: part.seq,
        lastId: part.lastId,
        index: part.index.toState(),
      });
      part.dirty = false;
      stats.checkpointsWritten++;
    } catch (error) {
      log(
        `distillguard detector: links partition ${part.partition} checkpoint not written: ${(error as Error).message}`,
      );
    }
  };
  const timer = setInterval(() => {
    for (const part of partitions) save(part);
  }, opts.checkpointEveryMs ?? 5000);
  timer.unref();

  /** Publishes a reply until it is stored (the campaign stage waits for it) or the worker stops. */
  const reply = (r: JoinReply): Promise<boolean> =>
    publishUntilStored(js, t.linkRepliesSubject, JSON.stringify(r), {
      msgID: `${r.id}/${r.partition}`,
      stopped: () => stopping,
      log,
      what: `links reply ${r.id}/${r.partition}`,
    });

  const subscriptions: Array<{ part: Partition; messages: ConsumerMessages }> = [];
  for (const part of partitions) {
    const consumer = await js.consumers.get(t.linksStream, {
      filter_subjects: t.linkSubject(part.partition),
      ...(part.seq > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: part.seq + 1 }
        : { deliver_policy: DeliverPolicy.All }),
    });
    subscriptions.push({ part, messages: await consumer.consume({ max_messages: 256 }) });
  }
  const loops = subscriptions.map(async ({ part, messages }) => {
    for await (const m of messages) {
      const parsed = parseJoinRequest(m.string());
      part.dirty = true;
      if (!parsed.ok) {
        stats.invalid++;
        log(`distillguard detector: links seq ${m.seq} skipped: ${parsed.error}`);
        part.seq = m.seq;
        continue;
      }
      const req = parsed.value;
      if (req.id <= part.lastId) {
        stats.duplicates++;
        part.seq = m.seq;
        continue;
      }
      part.busy = true;
      const members = req.joins.map((j) => [...part.index.join(j.kind, j.hash, j.account).members]);
      // Stopping with the reply unstored: the partition stays busy, so its state is not saved.
      if (!(await reply({ id: req.id, partition: part.partition, members }))) return;
      part.seq = m.seq;
      part.lastId = req.id;
      part.busy = false;
      stats.applied++;
    }
  });

  return {
    // The live counters, read-only to callers.
    stats,
    async stop() {
      stopping = true;
      clearInterval(timer);
      for (const { messages } of subscriptions) await messages.close();
      await Promise.all(loops);
      for (const part of partitions) save(part);
    },
  };
}
