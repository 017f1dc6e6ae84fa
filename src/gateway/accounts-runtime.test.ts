import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAccountsRuntime } from './accounts-runtime.js';

const TOKEN = 'runtime-admin-token-123';

describe('accounts runtime', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dg-rt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('wires admin API, authenticator, limiter, log and enforcement on one database and closes without loss', async () => {
    const dbPath = join(dir, 'gw.db');
    const rt = await openAccountsRuntime({ dbPath, env: {}, adminToken: TOKEN, keyRefreshMs: 0 });
    const server = createServer((req, res) => void rt.admin(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    await post('/admin/v1/accounts', { id: 'a1' });
    const key = await post('/admin/v1/keys', { account_id: 'a1' });
    await post('/admin/v1/enforcement/a1', { action: 'throttle', reason: 'suspicious volume' });
    await new Promise((r) => server.close(r));

    const auth = rt.authenticator.authenticate(String(key.secret));
    if (!auth.ok) throw new Error(`key refused: ${auth.reason}`);
    // Unverified account: the built-in lower defaults apply.
    const verdict = rt.limiter.acquire(auth.principal, {
      estimatedTokens: 10,
      estimatedCostUsd: 0,
      factor: 1,
    });
    expect(verdict.headers['x-ratelimit-limit-requests']).toBe('60');
    expect(rt.enforcement.get('a1')?.action).toBe('throttle');
    rt.decisions.record([
      {
        at: '2026-01-01T00:00:00.000Z',
        event_id: 'e1',
        account_id: 'a2',
        action: 'block',
        score: 1,
        reasons: ['r'],
      },
    ]);
    for (let i = 0; i < 50; i++) {
      rt.exchangeLog.offer({
        id: `e${i}`,
        ts: '2026-01-01T00:00:00.000Z',
        account_id: 'a1',
        client: { ip: '10.0.0.1' },
        api: 'openai.chat',
        model: 'm',
        request: { messages: [] },
      });
    }
    await rt.close();

    const again = await openAccountsRuntime({ dbPath, env: {}, keyRefreshMs: 0 });
    expect(await again.store.countEvents()).toBe(50);
    expect((await again.store.listDecisions()).map((d) => d.account_id)).toEqual(['a2']);
    expect(again.enforcement.get('a2')?.action).toBe('block');
    expect(again.authenticator.authenticate(String(key.secret)).ok).toBe(true);
    await again.close();
  });
});
