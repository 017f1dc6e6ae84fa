/**
 * The scale-out EventBus on NATS JetStream. Gateways publish each exchange event to
 * `<p>.events.<shard>` (shard = stable hash of the account) with the event id as JetStream
 * message id, so a retry or a spool replay is stored once. `publish` never waits on the network:
 * messages queue in memory and a pump keeps a bounded number of publishes in flight. While NATS
 * is unreachable (or a publish fails) messages go to an append-only local spool, replayed in
 * order when the connection comes back; while the spool holds anything, new messages queue
 * behind it so the stream keeps the gateway's order.
 */
import { AckPolicy, type JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import type { AccountRecord, Decision, ExchangeEvent } from '../contract/types.js';
import { shardOf } from './shard.js';
import { openSpool, type Spool, type SpooledMessage } from './spool.js';
import {
  ensureStreams,
  KIND_HEADER,
  PUBLISHER_HEADER,
  type Topology,
  topology,
  WATERMARK_HEADER,
} from './topology.js';
import type { EventBus } from './types.js';

export interface NatsBusOptions {
  /** `nats://host:port` (comma-separate several servers). */
  url: string;
  /** Stream/subject prefix (default `dg`). */
  prefix?: string;
  /** Subject shards (default 16); every gateway and worker of a deployment must agree. */
  shards: number;
  /** Spool file used while NATS is unreachable. */
  spoolPath: string;
  /** Spool bound in bytes (default 256 MiB); beyond it messages are dropped and counted. */
  spoolMaxBytes?: number;
  /** Messages held in memory before they go to the spool (default 100 000). */
  capacity?: number;
  /** How long events wait in memory for the first connection before going to the spool (default 2000 ms). */
  connectGraceMs?: number;
  /** Publishes awaiting a JetStream ack at once (default 256). */
  maxInFlight?: number;
  /** Connection and spool remarks (default: stderr). */
  log?: (line: string) => void;
  /**
   * Stamp events with this gateway's event-time watermark (and send it alone while idle), so the
   * campaign stage can merge several gateways in event-time order. Without it events carry no
   * publisher and the campaign stage takes them in stream order.
   */
  watermark?: PublisherWatermark;
}

/** A gateway's event-time watermark source (src/gateway/event-time.ts). */
export interface PublisherWatermark {
  /** This gateway's name; unique within the deployment. */
  publisher: string;
  /** Every event not yet published has ts >= this (ms). */
  low(): number;
  /** Called as `event` is taken, after `low()` was read for it. */
  published(event: ExchangeEvent): void;
  /** While no event is published, send the watermark alone this often (default 500 ms). */
  heartbeatMs?: number;
}

/** Payload of a watermark message on the events stream. */
export interface WatermarkPayload {
  publisher: string;
  watermark: number;
  /** The gateway is shutting down: wait for it no longer. */
  leaving: boolean;
}

export interface NatsBus extends EventBus {
  /** Publishes an account record on the account's shard (ordered with its events). */
  publishAccount(record: AccountRecord): void;
  /**
   * Receives decisions from the decisions stream. With `durable` (one name per gateway) a
   * restarted gateway gets what it missed and nothing twice; without, every decision from the
   * start of the stream. Returns a stop function.
   */
  onDecisions(handler: (decision: Decision) => void, durable?: string): () => void;
  /** Resolves once everything published so far is acked by JetStream (spool replayed too); waits while NATS is down. */
  flush(): Promise<void>;
  readonly connected: boolean;
  readonly stats: {
    readonly published: number;
    readonly spooled: number;
    readonly replayed: number;
    readonly dropped: number;
    readonly queued: number;
  };
}

type Outgoing = SpooledMessage;

const REPLAY_BATCH = 256;

/**
 * Connects in the background and returns at once; until connected, events are spooled.
 *
 * @example
 * const bus = createNatsBus({ url: 'nats://127.0.0.1:4222', shards: 16, spoolPath: 'bus.spool' });
 * bus.publish(event); // returns at once
 * await bus.close();  // publishes or spools what is queued, then disconnects
 */
export function createNatsBus(options: NatsBusOptions): NatsBus {
  const t: Topology = topology(options.prefix ?? 'dg', options.shards);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const spool: Spool = openSpool(options.spoolPath, options.spoolMaxBytes ?? 256 * 1024 * 1024);
  const capacity = options.capacity ?? 100_000;
  const maxInFlight = options.maxInFlight ?? 256;
  const queue: Outgoing[] = [];
  let qHead = 0;
  let nc: NatsConnection | undefined;
  let js: JetStreamClient | undefined;
  let up = false;
  // Until the first connection attempt has had a fair chance, hold events in memory rather than spool them.
  let connecting = true;
  const firstConnectGrace = setTimeout(() => {
    connecting = false;
    pump();
  }, options.connectGraceMs ?? 2000);
  firstConnectGrace.unref();
  let replaying = false;
  let closed = false;
  let inFlight = 0;
  const waiters: Array<() => void> = [];
  const stats = { published: 0, spooled: 0, replayed: 0, dropped: 0 };
  const stops: Array<() => void> = [];

  const queued = () => queue.length - qHead;
  const settle = () => {
    if (queued() === 0 && inFlight === 0 && !replaying && spool.bytes === 0) {
      for (const w of waiters.splice(0)) w();
    }
  };
  const toSpool = (m: Outgoing) => {
    if (spool.append(m)) stats.spooled++;
    else stats.dropped++;
  };
  const send = (client: JetStreamClient, m: SpooledMessage) => {
    const h = headers();
    h.set(KIND_HEADER, m.kind);
    if (m.origin !== undefined) {
      h.set(PUBLISHER_HEADER, m.origin.publisher);
      h.set(WATERMARK_HEADER, String(m.origin.watermark));
    }
    return client.publish(m.subject, m.data, { msgID: m.id, headers: h, timeout: 5000 });
  };

  const pump = () => {
    while (
      queued() > 0 &&
      up &&
      !replaying &&
      spool.bytes === 0 &&
      js !== undefined &&
      inFlight < maxInFlight
    ) {
      const m = queue[qHead] as Outgoing;
      queue[qHead++] = undefined as unknown as Outgoing;
      if (qHead > 4096 && qHead * 2 > queue.length) {
        queue.splice(0, qHead);
        qHead = 0;
      }
      inFlight++;
      send(js, m).then(
        () => {
          stats.published++;
          inFlight--;
          pump();
          settle();
        },
        (error: unknown) => {
          inFlight--;
          // Not acked: keep it on disk; the next replay republishes it (deduplicated by id).
          toSpool(m);
          log(
            `distillguard bus: publish failed, spooling (${error instanceof Error ? error.message : String(error)})`,
          );
          scheduleReplay(1000);
          settle();
        },
      );
    }
    // Connection down (or spool not yet drained): what is queued goes to disk, oldest first.
    if (((!up && !connecting) || closed) && !replaying) {
      while (queued() > 0) toSpool(queue[qHead++] as Outgoing);
      queue.length = 0;
      qHead = 0;
    }
    settle();
  };

  let replayTimer: NodeJS.Timeout | undefined;
  const scheduleReplay = (ms: number) => {
    if (replayTimer !== undefined || closed) return;
    replayTimer = setTimeout(() => {
      replayTimer = undefined;
      void replay();
    }, ms);
    replayTimer.unref();
  };

  /** Republishes the spool in order; clears it only when every message is acked. */
  const replay = async (): Promise<void> => {
    if (replaying || !up || js === undefined || spool.bytes === 0) return;
    while (inFlight > 0) await new Promise<void>((r) => setTimeout(r, 5));
    replaying = true;
    const client = js;
    const messages = spool.readAll();
    try {
      for (let i = 0; i < messages.length; i += REPLAY_BATCH) {
        await Promise.all(messages.slice(i, i + REPLAY_BATCH).map((m) => send(client, m)));
      }
      spool.clear();
      stats.replayed += messages.length;
      stats.published += messages.length;
      if (messages.length > 0) log(`distillguard bus: replayed ${messages.length} spooled messages`);
    } catch (error) {
      log(
        `distillguard bus: spool replay interrupted (${error instanceof Error ? error.message : String(error)})`,
      );
      scheduleReplay(1000);
    } finally {
      replaying = false;
    }
    pump();
  };

  const ready = (async () => {
    const conn = await connect({
      servers: options.url.split(','),
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      name: 'distillguard-gateway',
    });
    if (closed) {
      await conn.close();
      return undefined;
    }
    nc = conn;
    await ensureStreams(await jetstreamManager(conn), t);
    js = jetstream(conn);
    up = true;
    connecting = false;
    clearTimeout(firstConnectGrace);
    void (async () => {
      for await (const s of conn.status()) {
        if (s.type === 'disconnect') {
          up = false;
          log('distillguard bus: NATS connection lost; spooling events');
        } else if (s.type === 'reconnect') {
          up = true;
          log('distillguard bus: NATS reconnected; replaying spool');
          await replay();
        }
      }
    })();
    await replay();
    pump();
    return conn;
  })();
  ready.catch((error: unknown) => {
    log(
      `distillguard bus: cannot connect to ${options.url}: ${error instanceof Error ? error.message : String(error)}`,
    );
  });

  const enqueue = (m: Outgoing) => {
    if (closed) {
      stats.dropped++;
      return;
    }
    if (queued() >= capacity) {
      toSpool(m);
      return;
    }
    queue.push(m);
    pump();
  };

  const wm = options.watermark;
  // Watermark messages need ids of their own (JetStream de-duplicates by id): one per bus instance.
  const boot = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  let wmCount = 0;
  let busy = false;
  const sendWatermark = (leaving: boolean) => {
    if (wm === undefined) return;
    const payload: WatermarkPayload = { publisher: wm.publisher, watermark: wm.low(), leaving };
    enqueue({
      subject: t.eventSubject(shardOf(wm.publisher, t.shards)),
      id: `wm:${wm.publisher}:${boot}:${wmCount++}`,
      data: JSON.stringify(payload),
      kind: 'watermark',
      origin: { publisher: wm.publisher, watermark: payload.watermark },
    });
  };
  let heartbeat: NodeJS.Timeout | undefined;
  if (wm !== undefined) {
    // Announce this publisher at once, then speak up whenever a beat passed without an event.
    sendWatermark(false);
    heartbeat = setInterval(() => {
      if (!busy) sendWatermark(false);
      busy = false;
    }, wm.heartbeatMs ?? 500);
    heartbeat.unref();
  }

  return {
    publish(event: ExchangeEvent) {
      const shard = shardOf(event.account_id, t.shards);
      let origin: SpooledMessage['origin'];
      if (wm !== undefined) {
        origin = { publisher: wm.publisher, watermark: wm.low() };
        wm.published(event);
        busy = true;
      }
      enqueue({
        subject: t.eventSubject(shard),
        id: event.id,
        data: JSON.stringify(event),
        kind: 'event',
        ...(origin === undefined ? {} : { origin }),
      });
    },
    publishAccount(record: AccountRecord) {
      const shard = shardOf(record.account_id, t.shards);
      const data = JSON.stringify(record);
      // Same record, same id: republishing an unchanged record is a no-op within the window.
      enqueue({
        subject: t.eventSubject(shard),
        id: `account:${record.account_id}:${data.length}:${hash(data)}`,
        data,
        kind: 'account',
      });
    },
    subscribe(handler) {
      return consumeStream(
        ready,
        t.eventsStream,
        (data, kind) => {
          if (kind === 'event') handler(JSON.parse(data) as ExchangeEvent);
        },
        log,
      );
    },
    onDecisions(handler, durable) {
      return consumeStream(
        ready,
        t.decisionsStream,
        (data) => handler(JSON.parse(data) as Decision),
        log,
        durable,
      );
    },
    flush() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      });
    },
    async close() {
      if (heartbeat !== undefined) clearInterval(heartbeat);
      // Everything this gateway will publish is queued: the campaign stage may stop waiting for it.
      if (!closed) sendWatermark(true);
      // Bounded: if NATS goes away during shutdown, what is left stays in the spool for next time.
      if (up) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([this.flush(), new Promise<void>((r) => (timer = setTimeout(r, 10_000)))]);
        clearTimeout(timer);
      }
      closed = true;
      pump();
      for (const stop of stops) stop();
      if (replayTimer !== undefined) clearTimeout(replayTimer);
      clearTimeout(firstConnectGrace);
      const conn = nc;
      if (conn === undefined) {
        // Still connecting: make the pending connect give up.
        void ready.then(
          (c) => c?.close(),
          () => undefined,
        );
        return;
      }
      await conn.drain();
    },
    get connected() {
      return up;
    },
    stats: {
      get published() {
        return stats.published;
      },
      get spooled() {
        return stats.spooled;
      },
      get replayed() {
        return stats.replayed;
      },
      get dropped() {
        return stats.dropped + spool.dropped;
      },
      get queued() {
        return queued();
      },
    },
  };
}

/** FNV-1a of a string, as hex: a short content tag for account-record message ids. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

/**
 * Reads a stream until stopped: with an ordered (ephemeral) consumer from its start, or with the
 * named durable consumer (explicit ack after the handler) so progress survives restarts.
 */
function consumeStream(
  ready: Promise<NatsConnection | undefined>,
  stream: string,
  handler: (data: string, kind: string | undefined) => void,
  log: (line: string) => void,
  durable?: string,
): () => void {
  let stopped = false;
  let stopMessages: (() => void) | undefined;
  void (async () => {
    const conn = await ready;
    if (conn === undefined || stopped) return;
    if (durable !== undefined) {
      const jsm = await jetstreamManager(conn);
      try {
        await jsm.consumers.info(stream, durable);
      } catch {
        await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit });
      }
    }
    const js = jetstream(conn);
    const consumer =
      durable === undefined ? await js.consumers.get(stream) : await js.consumers.get(stream, durable);
    const messages = await consumer.consume();
    stopMessages = () => void messages.close();
    if (stopped) stopMessages();
    for await (const m of messages) {
      try {
        handler(m.string(), m.headers?.get(KIND_HEADER));
      } catch (error) {
        log(`distillguard bus: bad message on ${stream} seq ${m.seq}: ${String(error)}`);
      }
      if (durable !== undefined) m.ack();
    }
  })().catch((error: unknown) => log(`distillguard bus: consumer on ${stream} stopped: ${String(error)}`));
  return () => {
    stopped = true;
    stopMessages?.();
  };
}
