/**
 * `serve --bus`: the embedded gateway publishing to the real NATS JetStream instead of the
 * in-process detector, and applying decisions that detector workers publish.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectForTest, NATS_URL, uniquePrefix } from '../bus/test-helpers/nats.js';
import { deleteStreams, KIND_HEADER, PUBLISHER_HEADER, topology, WATERMARK_HEADER } from '../bus/topology.js';
import type { Decision } from '../contract/types.js';
import { type EmbeddedGateway, startEmbedded } from './embedded.js';
import { post } from './testing/harness.js';

const ADMIN = 'admin-token-0123456789';
const prefix = uniquePrefix();
const t = topology(prefix, 4);
let running: EmbeddedGateway;
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connectForTest();
  running = await startEmbedded({
    port: 0,
    dbPath: ':memory:',
    mockUpstream: true,
    env: { DG_SERVER_SECRET: 's'.repeat(40), DG_ADMIN_TOKEN: ADMIN },
    log: () => {},
    natsBus: {
      url: NATS_URL,
      shards: 4,
      prefix,
      spoolPath: join(mkdtempSync(join(tmpdir(), 'dg-embnats-')), 'spool'),
      gatewayId: 'test',
    },
  });
});
afterAll(async () => {
  await running.close();
  await deleteStreams(await jetstreamManager(nc), t);
  await nc.close();
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not met in time');
}

/** Kind, publisher and watermark headers of every message on `stream` so far. */
async function streamHeaders(
  stream: string,
): Promise<Array<{ kind: string; publisher: string | undefined; watermark: number }>> {
  const jsm = await jetstreamManager(nc);
  const last = (await jsm.streams.info(stream)).state.last_seq;
  const out: Array<{ kind: string; publisher: string | undefined; watermark: number }> = [];
  for (let seq = 1; seq <= last; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    if (m === null) continue;
    out.push({
      kind: m.header.get(KIND_HEADER),
      publisher: m.header.get(PUBLISHER_HEADER) || undefined,
      watermark: Number(m.header.get(WATERMARK_HEADER)),
    });
  }
  return out;
}

describe('embedded gateway with --bus', () => {
  it('publishes exchanges and the account record to NATS and enforces decisions from the decisions stream', async () => {
    expect(
      (await post(running.url, '/admin/v1/accounts', ADMIN, { id: 'acct-n', verified: true })).status,
    ).toBe(201);
    const secret = (await post(running.url, '/admin/v1/keys', ADMIN, { account_id: 'acct-n' })).json()
      .secret as string;
    const messages = [{ role: 'user', content: 'hello' }];
    expect(
      (await post(running.url, '/v1/chat/completions', secret, { model: 'mock-small', messages })).status,
    ).toBe(200);
    // The event (stamped with this gateway's event-time watermark), then the account's record
    // (announced on its first event); idle heartbeats carry the watermark alone.
    let seen: Array<{ kind: string; publisher: string | undefined; watermark: number }> = [];
    await until(async () => {
      seen = await streamHeaders(t.eventsStream);
      const kinds = seen.filter((m) => m.kind !== 'watermark').map((m) => m.kind);
      return kinds.length === 2 && kinds[0] === 'event' && kinds[1] === 'account';
    });
    const stamped = seen.filter((m) => m.kind !== 'account');
    expect(stamped.some((m) => m.kind === 'watermark')).toBe(true);
    for (const m of stamped) {
      expect(m.publisher).toBe('test');
      expect(Math.abs(m.watermark - Date.now())).toBeLessThan(60_000);
    }
    const decision: Decision = {
      at: new Date().toISOString(),
      event_id: 'ev-test',
      account_id: 'acct-n',
      action: 'block',
      score: 0.99,
      reasons: ['test: decided by a detector worker'],
    };
    await jetstream(nc).publish(t.decisionsSubject, JSON.stringify(decision), { msgID: 'test:1' });
    await until(async () => {
      const r = await post(running.url, '/v1/chat/completions', secret, { model: 'mock-small', messages });
      return r.status === 403;
    });
  });
});
