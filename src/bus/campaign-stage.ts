/**
 * The single campaign stage of the scale-out detector. It runs the engine (`createDetector`)
 * over every shard's feature messages — with the features the sharded workers already
 * extracted — taken in the events stream's own order (a reorder buffer keyed by events-stream
 * sequence) and then merged across gateways by event time (event-time-order.ts), which is the
 * order `analyze` would see. The shared-signal key index is not here: each step's key joins go
 * to the linking stage, partitioned by key (link-worker.ts, link-client.ts), and the step
 * finishes with its answers — the pairs, groups, campaign scores and decisions stay here.
 * Decisions go to the decisions stream with id `<seq>:<k>`, so a replay republishes nothing new.
 *
 * Checkpoint (see stage-checkpoint.ts): a detector snapshot with the events-stream sequence it
 * covers and the features-stream sequence to resume reading at, written every few seconds or
 * events and on stop. A restarted stage restores it and reads only features after it. Without a
 * usable snapshot it falls back to rebuilding the state by replaying the features stream from
 * its first retained message, republishing nothing up to the saved position.
 */
import { type ConsumerMessages, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { CampaignReport, Decision, ExchangeEvent } from '../contract/types.js';
import { createDetector, type Detector, type LinkStep, restoreDetector } from '../detect/detector.js';
import { extractFeatures } from '../detect/features/extract.js';
import type { ExchangeFeatures } from '../detect/features/types.js';
import type { Policy } from '../detect/policy.js';
import { createEventTimeOrder, type OrderedMessage } from './event-time-order.js';
import type { FeatureMessage } from './feature-worker.js';
import { type LinkClient, LinkClientClosed, startLinkClient } from './link-client.js';
import {
  readStageCheckpoint,
  SNAPSHOT_FILE,
  type StageCheckpoint,
  type StageCounters,
  writeStageCheckpoint,
} from './stage-checkpoint.js';
import { ensureStreams, type Topology } from './topology.js';

export interface CampaignStageOptions {
  nc: NatsConnection;
  topology: Topology;
  /** Directory for the checkpoint files; without it a restart rebuilds from the start of the stream. */
  checkpointDir?: string;
  policy?: Policy;
  /** Event ids remembered for de-duplication (default 1 000 000). */
  dedupeWindow?: number;
  /** How often the checkpoint is written (default 5000 ms)… */
  checkpointEveryMs?: number;
  /**
   * Event-time ordering across gateways: how far (ms of event time) the slowest publisher may
   * lag before it is not waited for (default 10 000; see event-time-order.ts).
   */
  maxLatenessMs?: number;
  /** …or after this many events, whichever comes first (default 100 000). */
  checkpointEveryEvents?: number;
  /** How long `stop()` waits for a step waiting on the linking stage before abandoning it (default 2000 ms). */
  stopGraceMs?: number;
  log?: (line: string) => void;
}

export interface CampaignStageStats {
  /** Distinct events fed to the engine. */
  readonly processed: number;
  readonly accounts: number;
  /** Events whose id was already processed (a gateway retry outside JetStream's window). */
  readonly duplicates: number;
  readonly skipped: number;
  /** Events-stream sequence expected next. */
  readonly nextSeq: number;
  /** Feature messages waiting for an earlier sequence. */
  readonly buffered: number;
  /** Events waiting for every gateway's watermark to pass their ts. */
  readonly heldForTime: number;
  /** Events that arrived behind what was already processed (a publisher lagged too far). */
  readonly late: number;
  readonly decisionsPublished: number;
  /** How this run got its state: a checkpoint snapshot, a replay of the features stream, or a fresh start. */
  readonly resumedFrom: 'snapshot' | 'replay' | 'start';
  /** Events-stream sequence the restored snapshot covered (0 without one). */
  readonly checkpointSeq: number;
  /** Features-stream sequence this run started reading at. */
  readonly featuresFrom: number;
  /** Features-stream sequence of the first message this run read (0 before any). */
  readonly firstFeaturesRead: number;
  /** Events fed to the engine by this run (`processed` counts the whole stream). */
  readonly processedThisRun: number;
  /** Events-stream sequence of the first message this run applied (0 before any). */
  readonly firstSeqApplied: number;
  /** Checkpoints written by this run. */
  readonly checkpointsWritten: number;
  /** Steps this run sent to the linking stage, and the time spent waiting for their answers. */
  readonly linkSteps: number;
  readonly linkWaitMs: number;
}

export interface CampaignStage {
  readonly stats: CampaignStageStats;
  /** Every decision so far, including those rebuilt from the replay. */
  decisions(): Decision[];
  campaigns(): CampaignReport[];
  notes(): string[];
  /** Resolves once every events-stream sequence up to `seq` is processed and its decisions stored. */
  waitFor(seq: number): Promise<void>;
  stop(): Promise<void>;
}

/** Buffered feature messages at which the stage first warns that a shard is missing. */
const BUFFER_WARN = 100_000;

/**
 * Starts the campaign stage; it runs until `stop()`.
 *
 * @example
 * const stage = await startCampaignStage({ nc, topology: topology('dg', 16), checkpointDir: 'ckpt' });
 * await stage.waitFor(lastPublishedSeq);
 * console.log(stage.decisions().length);
 */
export async function startCampaignStage(opts: CampaignStageOptions): Promise<CampaignStage> {
  const t = opts.topology;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const jsm = await jetstreamManager(opts.nc);
  await ensureStreams(jsm, t);
  const js = jetstream(opts.nc);
  const info = await jsm.streams.info(t.eventsStream);

  // The engine asks for the features of the event being processed; the worker already made them.
  let current: ExchangeEvent | undefined;
  let currentFeatures: ExchangeFeatures | undefined;
  const engineOpts = {
    ...(opts.policy === undefined ? {} : { policy: opts.policy }),
    extract: (e: ExchangeEvent) =>
      e === current && currentFeatures !== undefined ? currentFeatures : extractFeatures(e),
  };
  const saved = readStageCheckpoint(opts.checkpointDir, t.eventsStream);
  const { detector, resumed } = openDetector(saved, engineOpts, log);
  const republishAfter = resumed?.lastSeq ?? saved.position?.lastSeq ?? 0;
  let next = Math.max(info.state.first_seq, (resumed?.lastSeq ?? 0) + 1, 1);
  if (resumed !== undefined && next > resumed.lastSeq + 1) {
    log(
      `distillguard detector: events seq ${resumed.lastSeq + 1}..${next - 1} expired from ${t.eventsStream} while the stage was down; continuing at ${next}`,
    );
  }
  const featuresFrom = resumed?.featuresSeq ?? 1;
  const links: LinkClient = await startLinkClient({
    js,
    topology: t,
    lastId: resumed?.linkId ?? 0,
    repliesFrom: resumed?.repliesSeq ?? 0,
    log,
  });

  const dedupeWindow = opts.dedupeWindow ?? 1_000_000;
  const seen = new Set<string>(resumed?.seen);
  const seenOrder: string[] = resumed?.seen.slice() ?? [];
  let seenHead = 0;
  /** Feature messages waiting for an earlier sequence, with the features-stream seq they came in. */
  const buffer = new Map<number, { m: FeatureMessage; from: number }>();
  const decisions: Decision[] = resumed?.decisions ?? [];
  const pending = new Set<Promise<void>>();
  /** Decisions not yet confirmed stored, by message id: a checkpoint carries them over. */
  const unconfirmed = new Map<string, Decision>();
  const waiters: Array<{ seq: number; resolve: () => void }> = [];
  const stats: StageCounters = resumed?.counters ?? {
    processed: 0,
    accounts: 0,
    duplicates: 0,
    skipped: 0,
    decisionsPublished: 0,
  };
  const run = {
    processed: 0,
    firstSeqApplied: 0,
    firstFeaturesRead: 0,
    lastFeaturesRead: featuresFrom - 1,
    checkpoints: 0,
  };
  let savedAtProcessed = stats.processed;

  const remember = (id: string) => {
    seen.add(id);
    seenOrder.push(id);
    if (seenOrder.length - seenHead > dedupeWindow) {
      seen.delete(seenOrder[seenHead] as string);
      seenHead++;
      if (seenHead > 65_536) {
        seenOrder.splice(0, seenHead);
        seenHead = 0;
      }
    }
  };

  const release = () => {
    if (pending.size > 0 || busy || queued.length > queueHead) return;
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i] as { seq: number; resolve: () => void };
      if (next > w.seq && order.lowestHeldSeq() > w.seq) {
        waiters.splice(i, 1);
        w.resolve();
      }
    }
  };

  const publish = (msgID: string, d: Decision) => {
    unconfirmed.set(msgID, d);
    const p = js
      .publish(t.decisionsSubject, JSON.stringify(d), { msgID })
      .then(
        () => {
          unconfirmed.delete(msgID);
          stats.decisionsPublished++;
        },
        (error: unknown) =>
          log(
            `distillguard detector: decision ${msgID} not stored (${String(error)}); kept in the checkpoint, republished on restore`,
          ),
      )
      .finally(() => {
        pending.delete(p);
        release();
      });
    pending.add(p);
  };
  // Decisions a previous run made but never saw stored; JetStream drops the ones that were (same id).
  for (const [msgID, d] of resumed?.unconfirmed ?? []) publish(msgID, d);

  /** Ordered messages not applied yet (a step may wait for the linking stage). */
  const queued: Array<OrderedMessage | undefined> = [];
  let queueHead = 0;
  /** A message is being applied: its step may be open in the engine, so no snapshot now. */
  let busy = false;
  let saveDue = false;
  /** Stopped while a step was open: nothing more is applied or saved by this run. */
  let abandoned = false;

  /** Finishes a step: at once when it joins no key (most events), else with the linking stage's answers. */
  const finish = async (step: LinkStep): Promise<Decision[]> =>
    detector.finish(step, step.joins.length === 0 ? [] : await links.join(step.joins));

  const apply = async (m: OrderedMessage): Promise<void> => {
    if (m.kind === 'skip') {
      stats.skipped++;
      return;
    }
    if (m.kind === 'account') {
      await finish(detector.beginAccount(m.account));
      stats.accounts++;
      return;
    }
    if (seen.has(m.event.id)) {
      stats.duplicates++;
      return;
    }
    remember(m.event.id);
    current = m.event;
    currentFeatures = m.features;
    const step = detector.beginEvent(m.event);
    current = undefined;
    currentFeatures = undefined;
    const made = await finish(step);
    stats.processed++;
    run.processed++;
    if (run.firstSeqApplied === 0) run.firstSeqApplied = m.seq;
    for (let k = 0; k < made.length; k++) {
      const d = made[k] as Decision;
      decisions.push(d);
      if (m.seq > republishAfter) publish(`${m.seq}:${k}`, d);
    }
  };

  /** Applies the queued messages in order, one step at a time. */
  const drain = async (): Promise<void> => {
    while (!abandoned && queueHead < queued.length) {
      busy = true;
      try {
        await apply(queued[queueHead] as OrderedMessage);
      } catch (error) {
        // Stopped while a step waited for the linking stage: the engine holds a half-applied
        // step, so this run takes no more checkpoints; a restart resumes from the last one.
        if (error instanceof LinkClientClosed) {
          abandoned = true;
          return;
        }
        throw error;
      }
      busy = false;
      queued[queueHead++] = undefined; // applied: let it be collected while the rest waits
    }
    queued.length = 0;
    queueHead = 0;
    if (saveDue) save();
  };

  // Gateways' events are processed in event-time order, not the stream's arrival order.
  const order = createEventTimeOrder({
    apply: (m) => queued.push(m),
    maxLatenessMs: opts.maxLatenessMs ?? 10_000,
    log,
    ...(resumed?.eventTime === undefined ? {} : { restore: resumed.eventTime }),
  });

  const save = () => {
    if (opts.checkpointDir === undefined) return;
    // Mid-step or with messages still queued the engine is ahead of no position: save once drained.
    if (busy || queueHead < queued.length) {
      saveDue = true;
      return;
    }
    saveDue = false;
    // Every feature message after `next - 1` is buffered (known stream seq) or not read yet; events
    // held for event time are in neither the snapshot nor the buffer, so the position stops before
    // the first of them and reading resumes where it came in (processed ones are then deduplicated).
    let featuresSeq = Math.min(run.lastFeaturesRead + 1, order.lowestHeldFrom());
    for (const { from } of buffer.values()) if (from < featuresSeq) featuresSeq = from;
    // A checkpoint that cannot be taken or written is logged, never fatal: the previous one stays whole.
    try {
      writeStageCheckpoint(opts.checkpointDir, {
        stream: t.eventsStream,
        lastSeq: Math.min(next - 1, order.lowestHeldSeq() - 1),
        processed: stats.processed,
        savedAt: new Date().toISOString(),
        featuresSeq,
        counters: { ...stats },
        seen: seenOrder.slice(seenHead),
        decisions,
        unconfirmed: [...unconfirmed],
        detector: detector.snapshot(),
        eventTime: order.state(),
        linkId: links.lastId,
        repliesSeq: links.resumeSeq(),
      });
      run.checkpoints++;
      savedAtProcessed = stats.processed;
    } catch (error) {
      log(`distillguard detector: checkpoint not written: ${(error as Error).message}`);
    }
  };
  const everyEvents = opts.checkpointEveryEvents ?? 100_000;
  const timer = setInterval(save, opts.checkpointEveryMs ?? 5000);
  timer.unref();

  const consumer = await js.consumers.get(
    t.featuresStream,
    resumed === undefined
      ? {}
      : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: resumed.featuresSeq },
  );
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 1024 });
  let warnAt = BUFFER_WARN;
  const loop = (async () => {
    for await (const raw of messages) {
      if (run.firstFeaturesRead === 0) run.firstFeaturesRead = raw.seq;
      run.lastFeaturesRead = raw.seq;
      let batch: FeatureMessage[];
      try {
        batch = raw.json<FeatureMessage[]>();
        if (!Array.isArray(batch)) throw new Error('not an array');
      } catch {
        log(`distillguard detector: features message ${raw.seq} is not a JSON array; ignored`);
        continue;
      }
      for (const m of batch) {
        // Older than the replay start, or a second copy of one already buffered or processed.
        if (m.seq < next || buffer.has(m.seq)) continue;
        buffer.set(m.seq, { m, from: raw.seq });
      }
      if (buffer.size >= warnAt) {
        // The gap is one shard's features: its worker is down or far behind.
        log(
          `distillguard detector: ${buffer.size} feature messages wait for events seq ${next} (is a feature worker down?)`,
        );
        warnAt *= 2;
      } else if (buffer.size < BUFFER_WARN) warnAt = BUFFER_WARN;
      let ready = buffer.get(next);
      while (ready !== undefined) {
        buffer.delete(next);
        order.push(ready.m, ready.from);
        next++;
        ready = buffer.get(next);
      }
      await drain();
      if (abandoned) break;
      if (stats.processed - savedAtProcessed >= everyEvents) save();
      release();
    }
  })();
  if (resumed !== undefined) {
    log(
      `distillguard detector: resumed from the checkpoint snapshot at events seq ${resumed.lastSeq}; reading features from seq ${resumed.featuresSeq}`,
    );
  } else if (saved.position !== undefined) {
    log(
      `distillguard detector: rebuilding from the features stream; decisions after events seq ${republishAfter} will be published`,
    );
  }

  return {
    stats: {
      get processed() {
        return stats.processed;
      },
      get accounts() {
        return stats.accounts;
      },
      get duplicates() {
        return stats.duplicates;
      },
      get skipped() {
        return stats.skipped;
      },
      get nextSeq() {
        return next;
      },
      get buffered() {
        return buffer.size;
      },
      get heldForTime() {
        return order.stats.held;
      },
      get late() {
        return order.stats.late;
      },
      get decisionsPublished() {
        return stats.decisionsPublished;
      },
      resumedFrom: resumed !== undefined ? 'snapshot' : saved.position !== undefined ? 'replay' : 'start',
      checkpointSeq: resumed?.lastSeq ?? 0,
      featuresFrom,
      get firstFeaturesRead() {
        return run.firstFeaturesRead;
      },
      get processedThisRun() {
        return run.processed;
      },
      get firstSeqApplied() {
        return run.firstSeqApplied;
      },
      get checkpointsWritten() {
        return run.checkpoints;
      },
      get linkSteps() {
        return links.stats.steps;
      },
      get linkWaitMs() {
        return links.stats.waitedMs;
      },
    },
    decisions: () => decisions.slice(),
    campaigns: () => detector.campaigns(),
    notes: () => detector.notes(),
    waitFor(seq) {
      return new Promise<void>((resolve) => {
        waiters.push({ seq, resolve });
        release();
      });
    },
    async stop() {
      clearInterval(timer);
      // Not awaited yet: closing waits for the loop, which may be in a step waiting for the linking stage.
      const closed = messages.close();
      // A step may be waiting for a linking worker that is gone: give it a moment, then abandon it.
      const grace = new Promise<'late'>((resolve) =>
        setTimeout(() => resolve('late'), opts.stopGraceMs ?? 2000).unref(),
      );
      if ((await Promise.race([loop, grace])) === 'late') {
        log(
          'distillguard detector: a step still waits for the linking stage; stopping without a final checkpoint',
        );
        await links.close();
        await loop;
      }
      await closed;
      await Promise.all(pending);
      save();
      await links.close();
    },
  };
}

/**
 * The engine from the checkpoint snapshot when there is a usable one, else a fresh engine (the
 * caller then replays the features stream), saying clearly why the snapshot was not used.
 */
function openDetector(
  saved: ReturnType<typeof readStageCheckpoint>,
  engineOpts: { policy?: Policy; extract: (e: ExchangeEvent) => ExchangeFeatures },
  log: (line: string) => void,
): { detector: Detector; resumed?: StageCheckpoint } {
  let problem = saved.snapshotProblem;
  if (saved.checkpoint !== undefined) {
    try {
      return { detector: restoreDetector(saved.checkpoint.detector, engineOpts), resumed: saved.checkpoint };
    } catch (error) {
      problem = `${SNAPSHOT_FILE}: ${(error as Error).message}`;
    }
  }
  if (problem !== undefined) {
    log(
      `distillguard detector: checkpoint snapshot not used (${problem}); falling back to replaying the features stream from its start`,
    );
  }
  return { detector: createDetector(engineOpts) };
}
