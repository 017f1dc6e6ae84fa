import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite.js';
import type { Store } from '../../store/types.js';
import { createAccountService } from './account-service.js';
import { type CachedKeyAuthenticator, createKeyAuthenticator } from './key-authenticator.js';
import { createKeyService } from './key-service.js';

const serverSecret = Buffer.from('k'.repeat(32));
const ops = { actor: 'ops' };

describe('key service', () => {
  let store: Store;
  let auth: CachedKeyAuthenticator;
  let now: Date;
  beforeEach(async () => {
    store = openSqliteStore({ path: ':memory:' });
    now = new Date('2026-01-01T00:00:00Z');
    auth = await createKeyAuthenticator({ store, serverSecret, now: () => now.getTime() });
    await createAccountService({ store, authenticator: auth }).createAccount(
      { id: 'a1', verified: true },
      ops,
    );
  });
  afterEach(() => store.close());

  const service = () => createKeyService({ store, serverSecret, authenticator: auth, now: () => now });

  it('creates a key that authenticates at once, never exposing the hash', async () => {
    const { key, secret } = await service().createKey(
      { accountId: 'a1', scopes: ['m1'], limits: { requestsPerMinute: 3 } },
      ops,
    );
    expect(key).not.toHaveProperty('hash');
    expect(secret.startsWith(`${key.prefix}_`)).toBe(true);
    const r = auth.authenticate(secret);
    expect(r.ok && r.principal).toMatchObject({
      accountId: 'a1',
      scopes: ['m1'],
      keyLimits: { requestsPerMinute: 3 },
      verified: true,
    });
    expect(JSON.stringify(await store.listAudit())).not.toContain(secret);
    expect((await service().listKeys({ accountId: 'a1' })).map((k) => k.id)).toEqual([key.id]);
  });

  it('refuses keys for unknown accounts and bad expiry', async () => {
    await expect(service().createKey({ accountId: 'ghost' }, ops)).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(service().createKey({ accountId: 'a1', expiresAt: 'soon' }, ops)).rejects.toMatchObject({
      kind: 'invalid',
      message: /expires_at must be an RFC 3339/,
    });
  });

  it('revocation is effective on the next request', async () => {
    const { key, secret } = await service().createKey({ accountId: 'a1' }, ops);
    expect(auth.authenticate(secret).ok).toBe(true);
    await service().revokeKey(key.id, { actor: 'ops', reason: 'leaked' });
    expect(auth.authenticate(secret)).toEqual({ ok: false, reason: 'revoked_key' });
    expect((await store.listAudit({ target: `key:${key.id}` }))[0]).toMatchObject({
      action: 'key.revoke',
      reason: 'leaked',
    });
    await expect(service().revokeKey('nope', ops)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('rotates immediately or with a grace period', async () => {
    const first = await service().createKey({ accountId: 'a1', scopes: ['m'] }, ops);
    const rotated = await service().rotateKey(first.key.id, { actor: 'ops', graceSeconds: 60 });
    expect(rotated.key.scopes).toEqual(['m']);
    expect(auth.authenticate(first.secret).ok).toBe(true);
    expect(auth.authenticate(rotated.secret).ok).toBe(true);
    now = new Date(now.getTime() + 61_000);
    expect(auth.authenticate(first.secret)).toEqual({ ok: false, reason: 'expired_key' });

    const again = await service().rotateKey(rotated.key.id, ops);
    expect(auth.authenticate(rotated.secret)).toEqual({ ok: false, reason: 'revoked_key' });
    expect(auth.authenticate(again.secret).ok).toBe(true);
    await expect(service().rotateKey(rotated.key.id, ops)).rejects.toMatchObject({ kind: 'conflict' });
  });
});
