/**
 * The campaign stage's side of the linking stage: sends one step's key joins to their key
 * partitions and waits for the answers. Steps are numbered by a counter the campaign stage
 * checkpoints, so after a restart the same events make the same requests with the same ids
 * (JetStream drops the re-sent ones; the linking stage skips any it already applied) and their
 * answers are read back from the replies stream from the checkpointed position.
 */
import { type ConsumerMessages, DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import type { KeyJoin } from '../detect/key-index.js';
import { parseJoinReply, partitionOf } from './link-messages.js';
import { publishUntilStored } from './publish-until-stored.js';
import type { Topology } from './topology.js';

export interface LinkClientOptions {
  js: JetStreamClient;
  topology: Topology;
  /** Last step id already answered (from the checkpoint; 0 on a fresh start). */
  lastId: number;
  /** Replies-stream sequence to read from (from the checkpoint; 0 reads the whole stream). */
  repliesFrom: number;
  /** A step waiting this long for a partition logs which one (default 10 000 ms), then every as long again. */
  warnAfterMs?: number;
  log: (line: string) => void;
}

export interface LinkClient {
  /**
   * Answers one step's joins (`found[k]` for `joins[k]`) through the linking stage. Rejects only
   * when the client is closed first.
   */
  join(joins: readonly KeyJoin[]): Promise<number[][]>;
  /** Last step id answered. */
  readonly lastId: number;
  /** Replies-stream sequence a restart should read from (call between steps). */
  resumeSeq(): number;
  readonly stats: { readonly steps: number; readonly waitedMs: number };
  close(): Promise<void>;
}

/** Thrown to a step still waiting when the client closes. */
export class LinkClientClosed extends Error {
  override name = 'LinkClientClosed';
}

/**
 * Starts reading replies and returns the client.
 *
 * @example
 * const links = await startLinkClient({ js, topology: t, lastId: 0, repliesFrom: 0, log });
 * const found = await links.join(step.joins);
 */
export async function startLinkClient(opts: LinkClientOptions): Promise<LinkClient> {
  const t = opts.topology;
  let lastId = opts.lastId;
  let lastRead = Math.max(opts.repliesFrom, 1) - 1;
  /** Replies read before their step asked (after a restart), by `<id>/<partition>`. */
  const arrived = new Map<string, { seq: number; members: number[][] }>();
  const waiting = new Map<string, { resolve: (m: number[][]) => void; reject: (e: Error) => void }>();
  const stats = { steps: 0, waitedMs: 0 };
  let closed = false;
  let closing: Promise<void> = Promise.resolve();

  const consumer = await opts.js.consumers.get(
    t.linkRepliesStream,
    opts.repliesFrom > 0
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: opts.repliesFrom }
      : { deliver_policy: DeliverPolicy.All },
  );
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 1024 });
  const loop = (async () => {
    for await (const m of messages) {
      lastRead = m.seq;
      const parsed = parseJoinReply(m.string());
      if (!parsed.ok) {
        opts.log(`distillguard detector: link reply seq ${m.seq} ignored: ${parsed.error}`);
        continue;
      }
      const r = parsed.value;
      if (r.id <= lastId) continue; // a duplicate of an answer already used
      const key = `${r.id}/${r.partition}`;
      const waiter = waiting.get(key);
      if (waiter !== undefined) {
        waiting.delete(key);
        waiter.resolve(r.members);
      } else if (!arrived.has(key)) arrived.set(key, { seq: m.seq, members: r.members });
    }
  })();

  const publish = async (partition: number, body: string, msgID: string): Promise<void> => {
    const stored = await publishUntilStored(opts.js, t.linkSubject(partition), body, {
      msgID,
      stopped: () => closed,
      log: opts.log,
      what: `join request ${msgID}`,
    });
    if (!stored || closed) throw new LinkClientClosed('link client closed');
  };

  const answer = (key: string): Promise<number[][]> => {
    const early = arrived.get(key);
    if (early !== undefined) {
      arrived.delete(key);
      return Promise.resolve(early.members);
    }
    return new Promise((resolve, reject) => waiting.set(key, { resolve, reject }));
  };

  return {
    async join(joins) {
      const id = lastId + 1;
      const byPartition = new Map<number, number[]>();
      for (let k = 0; k < joins.length; k++) {
        const j = joins[k] as KeyJoin;
        const p = partitionOf(j.kind, j.hash, t.shards);
        const list = byPartition.get(p);
        if (list === undefined) byPartition.set(p, [k]);
        else list.push(k);
      }
      const started = performance.now();
      const warnEvery = opts.warnAfterMs ?? 10_000;
      const warn = setInterval(() => {
        const missing = [...byPartition.keys()].filter((p) => waiting.has(`${id}/${p}`));
        opts.log(
          `distillguard detector: step ${id} waits ${Math.round(performance.now() - started)} ms for links partitions ${missing.join(',')} (is a link worker down?)`,
        );
      }, warnEvery);
      warn.unref();
      try {
        const found: number[][] = new Array(joins.length);
        await Promise.all(
          [...byPartition].map(async ([p, ks]) => {
            const key = `${id}/${p}`;
            const reply = answer(key);
            // Handled here too: if the publish throws first, close() still rejects this promise.
            reply.catch(() => undefined);
            await publish(p, JSON.stringify({ id, joins: ks.map((k) => joins[k]) }), key);
            let members = await reply;
            // Not an answer to this request (a foreign or broken writer): say so and wait for a real one.
            while (members.length !== ks.length) {
              opts.log(
                `distillguard detector: links partition ${p} answered ${members.length} joins of ${ks.length} for step ${id}; ignored`,
              );
              members = await answer(key);
            }
            for (let n = 0; n < ks.length; n++) found[ks[n] as number] = members[n] as number[];
          }),
        );
        lastId = id;
        stats.steps++;
        return found;
      } finally {
        clearInterval(warn);
        stats.waitedMs += performance.now() - started;
      }
    },
    get lastId() {
      return lastId;
    },
    resumeSeq() {
      let seq = lastRead + 1;
      for (const a of arrived.values()) if (a.seq < seq) seq = a.seq;
      return seq;
    },
    // The live counters, read-only to callers.
    stats,
    close() {
      if (!closed) {
        closed = true;
        for (const w of waiting.values()) w.reject(new LinkClientClosed('link client closed'));
        waiting.clear();
        closing = (async () => {
          await messages.close();
          await loop;
        })();
      }
      return closing;
    },
  };
}
