import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyIndex, type KeyJoin } from '../detect/key-index.js';
import { keyHash } from '../detect/linker.js';
import { startLinkClient } from './link-client.js';
import { partitionOf } from './link-messages.js';
import { startLinkWorker } from './link-worker.js';
import { connectForTest, uniquePrefix } from './test-helpers/nats.js';
import { deleteStreams, ensureStreams, type Topology, topology } from './topology.js';

const connections: NatsConnection[] = [];
const cleanups: Topology[] = [];
const conn = async () => {
  const nc = await connectForTest();
  connections.push(nc);
  return nc;
};
afterAll(async () => {
  const nc = await connectForTest();
  const jsm = await jetstreamManager(nc);
  for (const t of cleanups) await deleteStreams(jsm, t);
  await nc.close();
  for (const c of connections) if (!c.isClosed()) await c.close();
});

/** 200 steps of 1–3 joins over a few dozen keys, so keys are shared and answers non-trivial. */
function steps(): KeyJoin[][] {
  const kinds = ['payment', 'template', 'client', 'signup', 'network', 'coactivity'] as const;
  return Array.from({ length: 200 }, (_, s) =>
    Array.from({ length: 1 + (s % 3) }, (_, k) => ({
      kind: kinds[(s + k) % kinds.length]!,
      hash: keyHash(`key-${(s * 7 + k) % 37}`),
      account: s % 50,
    })),
  );
}

function fresh(): Topology {
  const t = topology(uniquePrefix(), 4);
  cleanups.push(t);
  return t;
}

describe('linking stage over NATS', () => {
  it('answers each step as one in-process key index would, with partitions split over two workers', async () => {
    const t = fresh();
    const workers = [
      await startLinkWorker({ nc: await conn(), topology: t, shard: { index: 0, count: 2 } }),
      await startLinkWorker({ nc: await conn(), topology: t, shard: { index: 1, count: 2 } }),
    ];
    const client = await startLinkClient({
      js: jetstream(await conn()),
      topology: t,
      lastId: 0,
      repliesFrom: 0,
      log: () => undefined,
    });
    const local = new KeyIndex();
    for (const joins of steps()) {
      const expected = joins.map((j) => [...local.join(j.kind, j.hash, j.account).members]);
      expect(await client.join(joins)).toEqual(expected);
    }
    expect(client.lastId).toBe(200);
    expect(workers[0]!.stats.applied).toBeGreaterThan(0);
    expect(workers[1]!.stats.applied).toBeGreaterThan(0);
    await client.close();
    for (const w of workers) await w.stop();
  });

  it('skips re-sent steps, logs bad requests, and a restarted worker resumes from its checkpoint', async () => {
    const t = fresh();
    const dir = mkdtempSync(join(tmpdir(), 'dg-links-'));
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const all = steps();
    let worker = await startLinkWorker({
      nc: await conn(),
      topology: t,
      shard: { index: 0, count: 1 },
      checkpointDir: dir,
      log,
    });
    const client = await startLinkClient({
      js: jetstream(await conn()),
      topology: t,
      lastId: 0,
      repliesFrom: 0,
      log,
    });
    const local = new KeyIndex();
    const answer = (joins: KeyJoin[]) => joins.map((j) => [...local.join(j.kind, j.hash, j.account).members]);
    for (const joins of all.slice(0, 100)) expect(await client.join(joins)).toEqual(answer(joins));
    await worker.stop();
    expect(readdirSync(dir).filter((f) => f.endsWith('.snap'))).toHaveLength(4);

    // A bad request and a re-send of step 5 (outside JetStream's duplicate window it would be stored).
    const js = jetstream(await conn());
    await js.publish(t.linkSubject(0), '{"id":"x"}');
    await js.publish(t.linkSubject(0), JSON.stringify({ id: 5, joins: [all[4]![0]] }));

    // An unreadable partition checkpoint: that partition rebuilds from its part of the links stream.
    writeFileSync(join(dir, 'links-3.snap'), 'not a checkpoint');
    worker = await startLinkWorker({
      nc: await conn(),
      topology: t,
      shard: { index: 0, count: 1 },
      checkpointDir: dir,
      log,
    });
    expect(worker.stats.restored).toBe(3);
    expect(lines.join('\n')).toContain(
      'links partition 3 checkpoint not used (' +
        join(dir, 'links-3.snap') +
        ': not a linking-stage checkpoint (bad magic bytes)); re-reading the links stream from its start',
    );
    for (const joins of all.slice(100)) expect(await client.join(joins)).toEqual(answer(joins));
    // Only what came after the checkpoints was read: the second 100 steps, the bad one, the re-send.
    expect(worker.stats.invalid).toBe(1);
    expect(worker.stats.duplicates).toBe(1);
    expect(worker.stats.applied).toBeLessThanOrEqual(100 * 3);
    expect(lines.join('\n')).toMatch(/links seq \d+ skipped: needs an integer id and a joins array/);
    await client.close();
    await worker.stop();
  });

  it('a campaign side rebuilding from the start gets the stored answers back, nothing re-applied', async () => {
    const t = fresh();
    const worker = await startLinkWorker({ nc: await conn(), topology: t, shard: { index: 0, count: 1 } });
    const js = jetstream(await conn());
    const all = steps();
    const first = await startLinkClient({ js, topology: t, lastId: 0, repliesFrom: 0, log: () => undefined });
    const answers: number[][][] = [];
    for (const joins of all.slice(0, 60)) answers.push(await first.join(joins));
    await first.close();
    // One request per step and partition it touches.
    const requests = all
      .slice(0, 60)
      .reduce((n, joins) => n + new Set(joins.map((j) => partitionOf(j.kind, j.hash, t.shards))).size, 0);
    // The last reply can reach the client just before the worker counts it.
    for (let i = 0; i < 500 && worker.stats.applied < requests; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(worker.stats.applied).toBe(requests);
    // Same step ids again (a campaign stage replaying without its snapshot): JetStream drops the
    // re-sent requests by message id and the answers are read back from the replies stream.
    const second = await startLinkClient({
      js,
      topology: t,
      lastId: 0,
      repliesFrom: 0,
      log: () => undefined,
    });
    for (let s = 0; s < 60; s++) expect(await second.join(all[s]!)).toEqual(answers[s]);
    expect(worker.stats.applied).toBe(requests);
    await second.close();
    await worker.stop();
  });

  it('a malformed answer is logged and ignored; the step waits for a real one', async () => {
    const t = fresh();
    const nc = await conn();
    await ensureStreams(await jetstreamManager(nc), t);
    const js = jetstream(nc);
    const lines: string[] = [];
    const client = await startLinkClient({
      js,
      topology: t,
      lastId: 0,
      repliesFrom: 0,
      log: (l) => lines.push(l),
    });
    const partition = partitionOf('payment', 7, t.shards);
    const pending = client.join([{ kind: 'payment', hash: 7, account: 1 }]);
    // Acting as the linking stage: first a reply that answers two joins for a one-join request.
    await js.publish(t.linkRepliesSubject, JSON.stringify({ id: 1, partition, members: [[1], [2]] }));
    await js.publish(t.linkRepliesSubject, JSON.stringify({ id: 1, partition, members: [[3]] }));
    expect(await pending).toEqual([[3]]);
    expect(lines.join('\n')).toContain(
      `links partition ${partition} answered 2 joins of 1 for step 1; ignored`,
    );
    await client.close();
  });
});
