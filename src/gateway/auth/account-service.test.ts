import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite.js';
import type { Store } from '../../store/types.js';
import { createAccountService } from './account-service.js';

const ops = { actor: 'ops@example.com', reason: 'onboarding' };

describe('account service', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore({ path: ':memory:' });
  });
  afterEach(() => store.close());

  it('creates accounts (and their org), audits, and refuses duplicates', async () => {
    const svc = createAccountService({ store, now: () => new Date('2026-01-01T00:00:00Z') });
    const a = await svc.createAccount(
      { id: 'a1', orgId: 'acme', verified: true, signupChannel: 'education' },
      ops,
    );
    expect(a).toMatchObject({ id: 'a1', org_id: 'acme', verified: true, signup_channel: 'education' });
    expect(await store.getOrg('acme')).toBeDefined();
    await expect(svc.createAccount({ id: 'a1' }, ops)).rejects.toMatchObject({ kind: 'conflict' });
    const audit = await store.listAudit();
    expect(audit.map((e) => e.action)).toEqual(['account.create', 'org.create']);
    expect(audit[0]).toMatchObject({ actor: 'ops@example.com', reason: 'onboarding', target: 'account:a1' });
  });

  it('validates ids and reports unknown accounts', async () => {
    const svc = createAccountService({ store });
    await expect(svc.createAccount({ id: 'bad id' }, ops)).rejects.toMatchObject({
      kind: 'invalid',
      message: /account id must be/,
    });
    await expect(svc.getAccount('ghost')).rejects.toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('updates verification and limits with a before/after audit record', async () => {
    const svc = createAccountService({ store });
    await svc.createAccount({ id: 'a1' }, ops);
    const after = await svc.updateAccount(
      'a1',
      { verified: true, limits: { requestsPerMinute: 5 } },
      { actor: 'ops' },
    );
    expect(after).toMatchObject({ verified: true, limits: { requestsPerMinute: 5 } });
    const [entry] = await store.listAudit({ target: 'account:a1' });
    expect(entry?.details).toEqual({
      before: { verified: false, limits: {} },
      after: { verified: true, limits: { requestsPerMinute: 5 } },
    });
  });

  it('ensureAccount returns an existing account untouched', async () => {
    const svc = createAccountService({ store });
    expect((await svc.ensureAccount({ id: 'a1', verified: true }, ops)).created).toBe(true);
    const again = await svc.ensureAccount({ id: 'a1', verified: false }, ops);
    expect(again).toMatchObject({ created: false, account: { verified: true } });
  });
});
