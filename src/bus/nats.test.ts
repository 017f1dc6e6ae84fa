/**
 * The NATS bus against the real JetStream, with a TCP relay in front of it standing in for the
 * network: while the relay is down the gateway spools to disk; when it comes back the spool is
 * replayed and every event is stored exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { createNatsBus } from './nats.js';
import { shardOf } from './shard.js';
import { connectForTest, NATS_URL, uniquePrefix } from './test-helpers/nats.js';
import { deleteStreams, type Topology, topology } from './topology.js';

const dir = mkdtempSync(join(tmpdir(), 'dg-natsbus-'));
const target = new URL(NATS_URL);
let nc: NatsConnection;
const cleanups: Topology[] = [];

function event(i: number): ExchangeEvent {
  return {
    id: `ev-${i}`,
    ts: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    account_id: `acct-${i % 7}`,
    client: { ip: '203.0.113.9' },
    api: 'openai.chat',
    model: 'mock-small',
    request: { messages: [{ role: 'user', content: `question ${i}` }] },
  };
}

/** A relay to the real NATS that can be cut (every socket destroyed) and restored on the same port. */
function relay(port: number) {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  return {
    async start() {
      server = createServer((client) => {
        const upstream = createConnection(Number(target.port || 4222), target.hostname);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    },
    async cut() {
      for (const s of sockets) s.destroy();
      sockets.clear();
      await new Promise<void>((resolve) =>
        server === undefined ? resolve() : server.close(() => resolve()),
      );
      server = undefined;
    },
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function waitUntil(check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  nc = await connectForTest();
});

afterAll(async () => {
  const jsm = await jetstreamManager(nc);
  for (const t of cleanups) await deleteStreams(jsm, t);
  await nc.close();
});

describe('createNatsBus', () => {
  it('shards subjects by account and stores a republished event once', async () => {
    const prefix = uniquePrefix();
    const t = topology(prefix, 4);
    cleanups.push(t);
    const bus = createNatsBus({ url: NATS_URL, prefix, shards: 4, spoolPath: join(dir, `${prefix}.spool`) });
    for (let i = 0; i < 20; i++) bus.publish(event(i));
    bus.publish(event(3));
    await bus.flush();
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(t.eventsStream)).state.messages).toBe(20);
    const m = await jsm.streams.getMessage(t.eventsStream, { seq: 1 });
    expect(m?.subject).toBe(t.eventSubject(shardOf('acct-0', 4)));
    await bus.close();
  });

  it('spools while NATS is unreachable and replays on (re)connect, each event stored once', async () => {
    const prefix = uniquePrefix();
    const t = topology(prefix, 4);
    cleanups.push(t);
    const port = await freePort();
    const link = relay(port);
    const logs: string[] = [];
    const bus = createNatsBus({
      url: `nats://127.0.0.1:${port}`,
      prefix,
      shards: 4,
      spoolPath: join(dir, `${prefix}.spool`),
      connectGraceMs: 100,
      log: (line) => logs.push(line),
    });
    // Down from the start: after the grace period the events are on disk.
    for (let i = 0; i < 30; i++) bus.publish(event(i));
    await waitUntil(() => bus.stats.spooled === 30);
    await link.start();
    await waitUntil(() => bus.stats.replayed === 30);
    // Cut mid-life: events published meanwhile are spooled, then replayed after the relay returns.
    await link.cut();
    await waitUntil(() => !bus.connected);
    for (let i = 30; i < 60; i++) bus.publish(event(i));
    await waitUntil(() => bus.stats.spooled === 60);
    await link.start();
    await waitUntil(() => bus.stats.replayed === 60);
    await bus.flush();
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(t.eventsStream)).state.messages).toBe(60);
    expect(logs.some((l) => l.includes('connection lost'))).toBe(true);
    await bus.close();
    await link.cut();
  }, 60_000);
});
