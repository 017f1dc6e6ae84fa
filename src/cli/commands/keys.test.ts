import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKeyAuthenticator } from '../../gateway/auth/key-authenticator.js';
import { resolveServerSecret } from '../../gateway/auth/server-secret.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { main } from '../main.js';

describe('distillguard keys', () => {
  let dir: string;
  let db: string;
  let out: string[];
  let err: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dg-keys-'));
    db = join(dir, 'gw.db');
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    vi.stubEnv('DG_SERVER_SECRET', '');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (...args: string[]) => main(['node', 'distillguard', 'keys', ...args]);
  const lastJson = (): Record<string, unknown> =>
    JSON.parse(out.join('').trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;

  async function authenticate(secret: string) {
    const store = openSqliteStore({ path: db });
    try {
      const auth = await createKeyAuthenticator({
        store,
        serverSecret: resolveServerSecret({ dbPath: db, env: {} }),
      });
      return auth.authenticate(secret);
    } finally {
      await store.close();
    }
  }

  it('creates an account and a key, printing a working secret once', async () => {
    const code = await run(
      'create',
      '--db',
      db,
      '--account',
      'acct-1',
      '--org',
      'acme',
      '--verified',
      '--channel',
      'education',
      '--scopes',
      'gpt-x,claude-y',
      '--expires',
      '30d',
      '--rpm',
      '60',
      '--daily-budget',
      '2.5',
      '--actor',
      'ana',
    );
    expect(code).toBe(0);
    const text = out.join('');
    const secret = /\n {2}(dg_\S+)\n/.exec(text)?.[1] ?? '';
    expect(text).toMatch(/Created key \w+ for account acct-1 \(new account\), expires /);
    expect(text).toMatch(/shown once/);
    const r = await authenticate(secret);
    expect(r).toMatchObject({
      ok: true,
      principal: {
        accountId: 'acct-1',
        orgId: 'acme',
        verified: true,
        scopes: ['gpt-x', 'claude-y'],
        keyLimits: { requestsPerMinute: 60, dailyBudgetUsd: 2.5 },
      },
    });

    out.length = 0;
    expect(await run('list', '--db', db)).toBe(0);
    const listing = out.join('');
    expect(listing).toMatch(/^KEY\s+ACCOUNT\s+STATUS/);
    expect(listing).toContain('acct-1');
    expect(listing).toContain('active');
    expect(listing).toContain('gpt-x,claude-y');
    expect(listing).not.toContain(secret);
  });

  it('revokes and rotates keys; audit records the actor and reason', async () => {
    await run('create', '--db', db, '--account', 'a1', '--json');
    const first = lastJson();
    const secret = String(first.secret);
    expect(first).toMatchObject({ account_id: 'a1', account_created: true });
    expect(first).not.toHaveProperty('hash');

    await run('rotate', String(first.prefix), '--db', db, '--grace', '1h', '--json');
    const rotated = lastJson();
    expect((await authenticate(secret)).ok).toBe(true);
    expect((await authenticate(String(rotated.secret))).ok).toBe(true);

    expect(
      await run('revoke', String(first.id), '--db', db, '--reason', 'leaked in CI log', '--actor', 'bo'),
    ).toBe(0);
    expect(out.join('')).toMatch(/Revoked key \w+ \(account a1\)/);
    expect(await authenticate(secret)).toEqual({ ok: false, reason: 'revoked_key' });

    out.length = 0;
    await run('list', '--db', db, '--account', 'a1', '--json');
    const statuses = out
      .join('')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { status: string }).status);
    expect(statuses.sort()).toEqual(['active', 'revoked']);

    const store = openSqliteStore({ path: db });
    const audit = await store.listAudit();
    await store.close();
    expect(audit[0]).toMatchObject({ actor: 'bo', action: 'key.revoke', reason: 'leaked in CI log' });
  });

  it('reports user errors cleanly with an exit code', async () => {
    await run('create', '--db', db, '--account', 'exists');
    err.length = 0;
    expect(await run('create', '--db', db, '--account', 'exists', '--verified', '--org', 'o')).toBe(0);
    expect(err.join('')).toContain('account exists already exists; --org, --verified ignored');
    err.length = 0;
    expect(await run('list', '--db', join(dir, 'typo.db'))).toBe(2);
    expect(err.join('')).toContain('--db: no database at');
    expect(existsSync(join(dir, 'typo.db'))).toBe(false);
    err.length = 0;
    expect(await run('revoke', 'nosuchkey', '--db', db)).toBe(1);
    expect(err.join('')).toContain('distillguard: no key with id "nosuchkey"');
    err.length = 0;
    expect(await run('create', '--db', db, '--account', 'a1', '--expires', 'tomorrow')).toBe(2);
    expect(err.join('')).toMatch(/--expires must be a duration like 30d/);
    err.length = 0;
    expect(await run('create', '--db', db, '--account', 'a1', '--rpm', 'lots')).toBe(2);
    expect(err.join('')).toMatch(/--rpm must be a whole number/);
    err.length = 0;
    expect(await run('create', '--db', join(dir, 'missing', 'x.db'), '--account', 'a1')).toBe(2);
    expect(err.join('')).toMatch(/server secret file|cannot open database/);
    err.length = 0;
    expect(await run('create', '--db', db, '--account', 'bad id!')).toBe(2);
    expect(err.join('')).toMatch(/account id must be/);
  });
});
