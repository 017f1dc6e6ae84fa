import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedGateway, startEmbedded } from './embedded.js';
import { post } from './testing/harness.js';

const ADMIN = 'admin-token-0123456789';
let running: EmbeddedGateway;
beforeAll(async () => {
  running = await startEmbedded({
    port: 0,
    dbPath: ':memory:',
    mockUpstream: true,
    env: { DG_SERVER_SECRET: 's'.repeat(40), DG_ADMIN_TOKEN: ADMIN },
    log: () => {},
  });
});
afterAll(() => running.close());

async function admin(path: string, body: object) {
  return post(running.url, `/admin/v1${path}`, ADMIN, body);
}

describe('embedded gateway (serve)', () => {
  it('authenticates store keys, serves both APIs via the mock, logs exchanges and applies operator blocks', async () => {
    expect((await admin('/accounts', { id: 'acct-1', verified: true })).status).toBe(201);
    const created = await admin('/keys', { account_id: 'acct-1' });
    const secret = created.json().secret as string;
    const messages = [{ role: 'user', content: 'hello' }];
    expect(
      (await post(running.url, '/v1/chat/completions', secret, { model: 'mock-small', messages })).status,
    ).toBe(200);
    const claude = await post(
      running.url,
      '/v1/messages',
      undefined,
      { model: 'mock-claude', max_tokens: 20, messages },
      { 'x-api-key': secret },
    );
    expect(claude.json()).toMatchObject({ type: 'message', model: expect.any(String) });
    expect(
      (await post(running.url, '/v1/chat/completions', 'dg_nope_nope', { model: 'mock-small', messages }))
        .status,
    ).toBe(401);
    let stored = 0;
    for (let i = 0; i < 100 && stored < 2; i++) {
      stored = await running.store.countEvents();
      if (stored < 2) await new Promise((r) => setTimeout(r, 10));
    }
    expect(stored).toBe(2);
    expect(
      (await admin('/enforcement/acct-1', { action: 'block', reason: 'test', case_ref: 'T-1' })).status,
    ).toBe(200);
    const blocked = await post(running.url, '/v1/chat/completions', secret, {
      model: 'mock-small',
      messages,
    });
    expect(blocked.status).toBe(403);
    expect(blocked.json()).toMatchObject({
      error: { type: 'account_blocked', message: expect.stringContaining('T-1') },
    });
  });
});
