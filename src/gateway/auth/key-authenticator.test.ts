import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite.js';
import type { KeyRow, Store } from '../../store/types.js';
import { createKeyAuthenticator } from './key-authenticator.js';
import { mintKey, newKeyId } from './secrets.js';

const serverSecret = Buffer.from('x'.repeat(32));
const T0 = '2026-01-01T00:00:00.000Z';

/** Wraps a store so every method call is counted (the flood test asserts zero). */
function counting(store: Store): { store: Store; calls: () => number } {
  let calls = 0;
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: wrapped, calls: () => calls };
}

async function seed(store: Store, extra: Partial<KeyRow> = {}): Promise<{ secret: string; row: KeyRow }> {
  await store.putOrg({ id: 'acme', name: 'Acme', created_at: T0, limits: { requestsPerMinute: 1000 } });
  await store.putAccount({
    id: 'a1',
    org_id: 'acme',
    created_at: T0,
    verified: true,
    signup_channel: null,
    payment_fingerprint: null,
    email_domain: null,
    signup_ip: null,
    limits: { requestsPerMinute: 100 },
  });
  const minted = mintKey(serverSecret);
  const row: KeyRow = {
    id: minted.id,
    prefix: minted.prefix,
    hash: minted.hash,
    account_id: 'a1',
    scopes: ['model-a'],
    expires_at: null,
    revoked_at: null,
    limits: { requestsPerMinute: 10 },
    created_at: T0,
    name: null,
    ...extra,
  };
  await store.insertKey(row);
  return { secret: minted.secret, row };
}

describe('cached key authenticator', () => {
  let store: Store;
  afterEach(async () => {
    await store.close();
  });

  it('resolves a valid key to its principal with key, account and org limits', async () => {
    store = openSqliteStore({ path: ':memory:' });
    const { secret, row } = await seed(store);
    const auth = await createKeyAuthenticator({ store, serverSecret });
    expect(auth.authenticate(secret)).toEqual({
      ok: true,
      principal: {
        keyId: row.id,
        accountId: 'a1',
        orgId: 'acme',
        scopes: ['model-a'],
        verified: true,
        keyLimits: { requestsPerMinute: 10 },
        accountLimits: { requestsPerMinute: 100 },
        orgLimits: { requestsPerMinute: 1000 },
      },
    });
  });

  it('distinguishes missing, malformed, unknown, wrong, expired and revoked keys', async () => {
    store = openSqliteStore({ path: ':memory:' });
    const { secret, row } = await seed(store, { expires_at: '2026-02-01T00:00:00.000Z' });
    let now = Date.parse('2026-01-15T00:00:00.000Z');
    const auth = await createKeyAuthenticator({ store, serverSecret, now: () => now });
    expect(auth.authenticate(undefined)).toEqual({ ok: false, reason: 'missing_key' });
    expect(auth.authenticate('sk-nope')).toEqual({ ok: false, reason: 'invalid_key' });
    expect(auth.authenticate(mintKey(serverSecret).secret)).toEqual({ ok: false, reason: 'invalid_key' });
    // Right id, wrong random part: invalid, and the key's state is not revealed.
    const forged = mintKey(serverSecret, row.id).secret;
    expect(auth.authenticate(forged)).toEqual({ ok: false, reason: 'invalid_key' });
    expect(auth.authenticate(secret).ok).toBe(true);
    now = Date.parse('2026-02-01T00:00:00.000Z');
    expect(auth.authenticate(secret)).toEqual({ ok: false, reason: 'expired_key' });
    auth.applyKey({ ...row, expires_at: null, revoked_at: '2026-01-20T00:00:00.000Z' });
    expect(auth.authenticate(secret)).toEqual({ ok: false, reason: 'revoked_key' });
    expect(auth.stats).toMatchObject({
      malformed: 1,
      unknownId: 1,
      badSecret: 1,
      expired: 1,
      revoked: 1,
      accepted: 1,
    });
  });

  it('keeps rejecting wrong secrets and re-hashed keys once a secret has been proven', async () => {
    store = openSqliteStore({ path: ':memory:' });
    const { secret, row } = await seed(store);
    const auth = await createKeyAuthenticator({ store, serverSecret });
    expect(auth.authenticate(secret).ok).toBe(true);
    expect(auth.authenticate(secret).ok).toBe(true);
    // Proven secret remembered for this id: a different secret with the same id still fails.
    expect(auth.authenticate(mintKey(serverSecret, row.id).secret)).toEqual({
      ok: false,
      reason: 'invalid_key',
    });
    // The key was rotated to a new secret: the old proof no longer counts.
    const rotated = mintKey(serverSecret, row.id);
    auth.applyKey({ ...row, hash: rotated.hash });
    expect(auth.authenticate(secret)).toEqual({ ok: false, reason: 'invalid_key' });
    expect(auth.authenticate(rotated.secret).ok).toBe(true);
    expect(auth.stats).toMatchObject({ accepted: 3, badSecret: 2 });
  });

  it('rejects a flood of 10k invalid keys without a single store call', async () => {
    const base = openSqliteStore({ path: ':memory:' });
    const { secret } = await seed(base);
    const c = counting(base);
    store = c.store;
    const auth = await createKeyAuthenticator({ store, serverSecret });
    const afterLoad = c.calls();
    for (let i = 0; i < 5000; i++) {
      expect(auth.authenticate(`dg_${newKeyId()}_${'A'.repeat(43)}`).ok).toBe(false);
      expect(auth.authenticate(`garbage-${i}`).ok).toBe(false);
    }
    expect(c.calls()).toBe(afterLoad);
    expect(auth.stats.unknownId + auth.stats.malformed).toBe(10_000);
    expect(auth.authenticate(secret).ok).toBe(true);
  });

  it('picks up a revocation made by another process on the next refresh', async () => {
    store = openSqliteStore({ path: ':memory:' });
    const { secret, row } = await seed(store);
    const auth = await createKeyAuthenticator({ store, serverSecret });
    expect(await auth.refreshIfChanged()).toBe(false);
    // Written straight to the store, as `distillguard keys revoke` in another process would.
    await store.revokeKey(row.id, T0);
    expect(auth.authenticate(secret).ok).toBe(true);
    expect(await auth.refreshIfChanged()).toBe(true);
    expect(auth.authenticate(secret)).toEqual({ ok: false, reason: 'revoked_key' });
    expect(auth.stats.reloads).toBe(1);
  });

  it('polls for changes on its own when given a refresh interval', async () => {
    store = openSqliteStore({ path: ':memory:' });
    const { secret, row } = await seed(store);
    const auth = await createKeyAuthenticator({ store, serverSecret, refreshMs: 5 });
    await store.revokeKey(row.id, T0);
    const deadline = Date.now() + 2000;
    while (auth.authenticate(secret).ok && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    auth.close();
    expect(auth.authenticate(secret)).toEqual({ ok: false, reason: 'revoked_key' });
  });

  it('applies in-process account changes immediately', async () => {
    store = openSqliteStore({ path: ':memory:' });
    const { secret } = await seed(store);
    const auth = await createKeyAuthenticator({ store, serverSecret });
    const account = await store.getAccount('a1');
    if (account === undefined) throw new Error('seed failed');
    auth.applyAccount({ ...account, verified: false });
    const r = auth.authenticate(secret);
    expect(r.ok && r.principal.verified).toBe(false);
  });
});
