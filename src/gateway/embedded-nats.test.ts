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
import { deleteStreams, topology } from '../bus/topology.js';
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
    const jsm = await jetstreamManager(nc);
    // The event, then the account's record (announced on its first event).
    await until(async () => (await jsm.streams.info(t.eventsStream)).state.messages === 2);
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
