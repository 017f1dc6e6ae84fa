/**
 * The single campaign stage of the scale-out detector. Campaign linking needs the whole
 * cross-account graph, so one process runs the full engine (`createDetector`) over every shard's
 * feature messages — with the features the sharded workers already extracted — taken in the
 * events stream's own order (a reorder buffer keyed by events-stream sequence) and then merged
 * across gateways by event time (event-time-order.ts), which is the order `analyze` would see.
 * Decisions go to the decisions stream with id `<seq>:<k>`, so a replay republishes nothing new.
 *
 * Checkpoint: the engine's state is not serialisable (it is a black box still being tuned, with
 * union-find, sketches and typed arrays inside), so the checkpoint is the position — the last
 * events-stream sequence processed — and a restart rebuilds the state by replaying the features
 * stream, which is bounded by its retention (max_age). Decisions up to the checkpoint are
 * rebuilt but not republished.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ConsumerMessages, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { CampaignReport, Decision, ExchangeEvent } from '../contract/types.js';
import { createDetector } from '../detect/detector.js';
import { extractFeatures } from '../detect/features/extract.js';
import type { ExchangeFeatures } from '../detect/features/types.js';
import type { Policy } from '../detect/policy.js';
import { createEventTimeOrder, type OrderedMessage } from './event-time-order.js';
import type { FeatureMessage } from './feature-worker.js';
import { ensureStreams, type Topology } from './topology.js';

export interface CampaignStageOptions {
  nc: NatsConnection;
  topology: Topology;
  /** Directory for `campaign-stage.json`; without it a restart republishes nothing it can't dedupe. */
  checkpointDir?: string;
  policy?: Policy;
  /** Event ids remembered for de-duplication (default 1 000 000). */
  dedupeWindow?: number;
  /** How often the checkpoint is written (default 2000 ms). */
  checkpointEveryMs?: number;
  /**
   * Event-time ordering across gateways: how far (ms of event time) the slowest publisher may
   * lag before it is not waited for (default 10 000; see event-time-order.ts).
   */
  maxLatenessMs?: number;
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

interface Checkpoint {
  stream: string;
  lastSeq: number;
  processed: number;
  savedAt: string;
}

const FILE = 'campaign-stage.json';
/** Buffered feature messages at which the stage first warns that a shard is missing. */
const BUFFER_WARN = 100_000;

function readCheckpoint(dir: string | undefined, stream: string): Checkpoint | undefined {
  if (dir === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(join(dir, FILE), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as Partial<Checkpoint>;
  if (parsed.stream !== stream || typeof parsed.lastSeq !== 'number') {
    throw new Error(`${join(dir, FILE)}: not a checkpoint of stream ${stream}`);
  }
  return parsed as Checkpoint;
}

function writeCheckpoint(dir: string, cp: Checkpoint): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${FILE}.tmp`);
  // Write then rename: a crash mid-write leaves the previous checkpoint intact.
  writeFileSync(tmp, `${JSON.stringify(cp)}\n`);
  renameSync(tmp, join(dir, FILE));
}

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
  const checkpoint = readCheckpoint(opts.checkpointDir, t.eventsStream);
  const republishAfter = checkpoint?.lastSeq ?? 0;
  const info = await jsm.streams.info(t.eventsStream);
  let next = Math.max(info.state.first_seq, 1);

  // The engine asks for the features of the event being processed; the worker already made them.
  let current: ExchangeEvent | undefined;
  let currentFeatures: ExchangeFeatures | undefined;
  const detector = createDetector({
    ...(opts.policy === undefined ? {} : { policy: opts.policy }),
    extract: (e) => (e === current && currentFeatures !== undefined ? currentFeatures : extractFeatures(e)),
  });

  const dedupeWindow = opts.dedupeWindow ?? 1_000_000;
  const seen = new Set<string>();
  const seenOrder: string[] = [];
  let seenHead = 0;
  const buffer = new Map<number, FeatureMessage>();
  const decisions: Decision[] = [];
  const pending = new Set<Promise<void>>();
  const waiters: Array<{ seq: number; resolve: () => void }> = [];
  const stats = { processed: 0, accounts: 0, duplicates: 0, skipped: 0, decisionsPublished: 0 };

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
    if (pending.size > 0) return;
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i] as { seq: number; resolve: () => void };
      if (next > w.seq && order.lowestHeldSeq() > w.seq) {
        waiters.splice(i, 1);
        w.resolve();
      }
    }
  };

  const apply = (m: OrderedMessage) => {
    if (m.kind === 'skip') {
      stats.skipped++;
      return;
    }
    if (m.kind === 'account') {
      detector.addAccount(m.account);
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
    const made = detector.process(m.event);
    current = undefined;
    currentFeatures = undefined;
    stats.processed++;
    for (let k = 0; k < made.length; k++) {
      const d = made[k] as Decision;
      decisions.push(d);
      if (m.seq <= republishAfter) continue;
      const p = js
        .publish(t.decisionsSubject, JSON.stringify(d), { msgID: `${m.seq}:${k}` })
        .then(
          () => {
            stats.decisionsPublished++;
          },
          (error: unknown) =>
            log(`distillguard detector: decision of seq ${m.seq} not stored: ${String(error)}`),
        )
        .finally(() => {
          pending.delete(p);
          release();
        });
      pending.add(p);
    }
  };

  // Gateways' events are processed in event-time order, not the stream's arrival order.
  const order = createEventTimeOrder({ apply, maxLatenessMs: opts.maxLatenessMs ?? 10_000, log });

  const save = () => {
    if (opts.checkpointDir === undefined) return;
    writeCheckpoint(opts.checkpointDir, {
      stream: t.eventsStream,
      // Not past an event still held for time: a restart must process (and publish) it.
      lastSeq: Math.max(Math.min(next - 1, order.lowestHeldSeq() - 1), republishAfter),
      processed: stats.processed,
      savedAt: new Date().toISOString(),
    });
  };
  const timer = setInterval(save, opts.checkpointEveryMs ?? 2000);
  timer.unref();

  const consumer = await js.consumers.get(t.featuresStream);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 1024 });
  let warnAt = BUFFER_WARN;
  const loop = (async () => {
    for await (const raw of messages) {
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
        buffer.set(m.seq, m);
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
        order.push(ready);
        next++;
        ready = buffer.get(next);
      }
      release();
    }
  })();
  if (checkpoint !== undefined) {
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
      await messages.close();
      await loop;
      await Promise.all(pending);
      save();
    },
  };
}
