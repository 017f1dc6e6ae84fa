/**
 * The sharded stage of the scale-out detector: a worker owns some subject shards of the events
 * stream, reads each through a durable consumer (explicit ack, at-least-once), extracts the
 * per-exchange features — the costly, per-account part of detection — and publishes them in
 * batches (a JSON array of feature messages, each keyed by its events-stream sequence number) to
 * the features stream: a JetStream round trip per event, not extraction, would be the cost. A
 * message is acked only after the batch holding its features is stored, so a killed worker loses
 * nothing (redelivered messages may reappear in another batch; the campaign stage keeps the first
 * copy of each sequence number), and its durable consumer is its
 * checkpoint (the server keeps the ack floor).
 */
import {
  AckPolicy,
  type ConsumerMessages,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';
import type { AccountRecord, ExchangeEvent } from '../contract/types.js';
import { validateAccount, validateEvent } from '../contract/validate.js';
import { extractFeatures } from '../detect/features/extract.js';
import type { ExchangeFeatures } from '../detect/features/types.js';
import type { WatermarkPayload } from './nats.js';
import { type ShardSpec, shardsOwned } from './shard.js';
import { ensureStreams, KIND_HEADER, PUBLISHER_HEADER, type Topology, WATERMARK_HEADER } from './topology.js';

/** What the feature stage hands the campaign stage, per events-stream sequence number. */
export type FeatureMessage =
  | {
      seq: number;
      kind: 'event';
      event: ExchangeEvent;
      features: ExchangeFeatures;
      /** The publishing gateway and its watermark (absent for publishers that send none). */
      origin?: EventOrigin;
    }
  | { seq: number; kind: 'account'; account: AccountRecord }
  /** A gateway's watermark on its own (idle heartbeat, or `leaving` at shutdown). */
  | { seq: number; kind: 'watermark'; publisher: string; watermark: number; leaving: boolean }
  /** A message that was not a valid event or account: still sent so the sequence has no gap. */
  | { seq: number; kind: 'skip'; reason: string };

export interface FeatureWorkerOptions {
  nc: NatsConnection;
  topology: Topology;
  shard: ShardSpec;
  /** Unacked messages per shard consumer (default 1024): bounds redelivery after a crash. */
  maxAckPending?: number;
  /** Redelivery delay of an unacked message, e.g. after a crash (default 30 000 ms). */
  ackWaitMs?: number;
  /** Feature messages per JetStream message (default 64). */
  batchSize?: number;
  log?: (line: string) => void;
}

export interface FeatureWorker {
  readonly stats: { readonly processed: number; readonly skipped: number };
  /** Stops consuming; in-flight publishes finish and are acked. */
  stop(): Promise<void>;
}

/**
 * Turns one events-stream message into its feature message.
 *
 * @example
 * toFeatureMessage(7, 'event', JSON.stringify(event)).kind; // 'event'
 */
export function toFeatureMessage(
  seq: number,
  kind: string | undefined,
  data: string,
  origin?: EventOrigin,
): FeatureMessage {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { seq, kind: 'skip', reason: 'payload is not JSON' };
  }
  if (kind === 'watermark') {
    const w = value as Partial<WatermarkPayload>;
    if (typeof w.publisher !== 'string' || w.publisher === '' || !Number.isFinite(w.watermark)) {
      return { seq, kind: 'skip', reason: 'watermark needs a publisher and a numeric watermark' };
    }
    return {
      seq,
      kind: 'watermark',
      publisher: w.publisher,
      watermark: w.watermark as number,
      leaving: w.leaving === true,
    };
  }
  if (kind === 'account') {
    const v = validateAccount(value);
    return v.ok ? { seq, kind: 'account', account: v.value } : { seq, kind: 'skip', reason: v.error };
  }
  const v = validateEvent(value);
  if (!v.ok) return { seq, kind: 'skip', reason: v.error };
  return {
    seq,
    kind: 'event',
    event: v.value,
    features: extractFeatures(v.value),
    ...(origin === undefined ? {} : { origin }),
  };
}

/** Who published an event and the watermark it carried. */
export interface EventOrigin {
  publisher: string;
  watermark: number;
}

/**
 * The origin headers of an events-stream message, if both are present and well formed.
 *
 * @example
 * originOf(m.headers?.get('dg-pub'), m.headers?.get('dg-wm')); // { publisher: 'gw0', watermark: 1764… }
 */
export function originOf(
  publisher: string | undefined,
  watermark: string | undefined,
): EventOrigin | undefined {
  if (publisher === undefined || publisher === '' || watermark === undefined || watermark === '')
    return undefined;
  const w = Number(watermark);
  return Number.isFinite(w) ? { publisher, watermark: w } : undefined;
}

/**
 * Starts consuming the worker's shards.
 *
 * @example
 * const worker = await startFeatureWorker({ nc, topology: topology('dg', 16), shard: { index: 0, count: 2 } });
 * process.once('SIGTERM', () => worker.stop());
 */
export async function startFeatureWorker(opts: FeatureWorkerOptions): Promise<FeatureWorker> {
  const t = opts.topology;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const jsm = await jetstreamManager(opts.nc);
  await ensureStreams(jsm, t);
  const js = jetstream(opts.nc);
  const stats = { processed: 0, skipped: 0 };
  const batchSize = opts.batchSize ?? 64;
  const loops: Promise<void>[] = [];
  const iterators: ConsumerMessages[] = [];
  for (const shard of shardsOwned(opts.shard, t.shards)) {
    const name = t.featureConsumer(shard);
    try {
      await jsm.consumers.info(t.eventsStream, name);
    } catch {
      await jsm.consumers.add(t.eventsStream, {
        durable_name: name,
        ack_policy: AckPolicy.Explicit,
        filter_subject: t.eventSubject(shard),
        max_ack_pending: opts.maxAckPending ?? 1024,
        ack_wait: nanos(opts.ackWaitMs ?? 30_000),
      });
    }
    const consumer = await js.consumers.get(t.eventsStream, name);
    const messages = await consumer.consume({ max_messages: 512 });
    iterators.push(messages);
    loops.push(
      (async () => {
        const pending = new Set<Promise<void>>();
        let batch: Array<{ m: JsMsg; out: FeatureMessage }> = [];
        let timer: NodeJS.Timeout | undefined;
        // One JetStream message per batch: the server round trip, not extraction, is the cost per event.
        const send = () => {
          if (timer !== undefined) clearTimeout(timer);
          timer = undefined;
          if (batch.length === 0) return;
          const sent = batch;
          batch = [];
          const first = (sent[0] as { m: JsMsg }).m.seq;
          const last = (sent[sent.length - 1] as { m: JsMsg }).m.seq;
          const p = js
            .publish(t.featureSubject(shard), JSON.stringify(sent.map((x) => x.out)), {
              // A redelivered batch with the same bounds is stored once; a differently cut one is
              // harmless: the campaign stage ignores sequences it already has.
              msgID: `${first}-${last}-${sent.length}`,
            })
            .then(
              () => {
                for (const x of sent) x.m.ack();
                stats.processed += sent.length;
              },
              // Not acked: JetStream redelivers them after ack_wait.
              (error: unknown) =>
                log(`distillguard detector: features of seq ${first}..${last} not stored: ${String(error)}`),
            )
            .finally(() => pending.delete(p));
          pending.add(p);
        };
        for await (const m of messages) {
          const out = toFeatureMessage(
            m.seq,
            m.headers?.get(KIND_HEADER),
            m.string(),
            originOf(m.headers?.get(PUBLISHER_HEADER), m.headers?.get(WATERMARK_HEADER)),
          );
          if (out.kind === 'skip') {
            stats.skipped++;
            log(`distillguard detector: events seq ${m.seq} skipped: ${out.reason}`);
          }
          batch.push({ m, out });
          // Full batch, or nothing more waiting on the server: send now; else at most 5 ms later.
          if (batch.length >= batchSize || m.info.pending === 0) send();
          else timer ??= setTimeout(send, 5);
          if (pending.size >= 64) await Promise.race(pending);
        }
        send();
        await Promise.all(pending);
      })(),
    );
  }
  return {
    stats,
    async stop() {
      for (const it of iterators) await it.close();
      await Promise.all(loops);
    },
  };
}
