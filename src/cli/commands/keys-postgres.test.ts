/**
 * `distillguard keys … --store postgres://…` against the real PostgreSQL server (a fresh schema per
 * test): the keys the CLI writes are the keys every gateway replica on that store accepts.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKeyAuthenticator } from '../../gateway/auth/key-authenticator.js';
import { openPostgresLocation } from '../../gateway/shared-state.js';
import {
  dropSchema,
  freshSchemaName,
  requirePostgres,
  TEST_POSTGRES_URL,
} from '../../store/test-helpers/postgres-env.js';
import { main } from '../main.js';
import { captureCli } from '../test-helpers/cli-capture.js';

const SECRET = 'ab'.repeat(32);

describe('distillguard keys --store postgres://…', () => {
  const cli = captureCli('dg-keys-pg-');
  let schema: string;
  let location: string;

  beforeAll(() => requirePostgres());
  beforeEach(() => {
    schema = freshSchemaName();
    const url = new URL(TEST_POSTGRES_URL);
    url.searchParams.set('schema', schema);
    location = url.toString();
    vi.stubEnv('DG_SERVER_SECRET', SECRET);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await dropSchema(schema);
  });

  const run = (...args: string[]) => main(['node', 'distillguard', 'keys', ...args]);
  const jsonLines = (): Array<Record<string, unknown>> =>
    cli.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  async function authenticate(secret: string) {
    const { store } = await openPostgresLocation(location, () => undefined);
    try {
      const auth = await createKeyAuthenticator({ store, serverSecret: Buffer.from(SECRET) });
      const result = auth.authenticate(secret);
      auth.close();
      return result;
    } finally {
      await store.close();
    }
  }

  it('creates, lists, rotates and revokes keys in the shared store (schema made by the migrations)', async () => {
    expect(await run('create', '--store', location, '--account', 'acct-1', '--verified', '--json')).toBe(0);
    const created = jsonLines()[0] as Record<string, unknown>;
    expect(created).toMatchObject({ account_id: 'acct-1', account_created: true });
    const secret = String(created.secret);
    expect(await authenticate(secret)).toMatchObject({
      ok: true,
      principal: { accountId: 'acct-1', verified: true },
    });

    cli.stdout = '';
    expect(await run('rotate', String(created.id), '--store', location, '--grace', '1h', '--json')).toBe(0);
    const rotated = jsonLines()[0] as Record<string, unknown>;
    expect((await authenticate(String(rotated.secret))).ok).toBe(true);
    expect((await authenticate(secret)).ok).toBe(true);

    cli.stdout = '';
    expect(await run('revoke', String(created.id), '--store', location, '--reason', 'leaked')).toBe(0);
    expect(cli.stdout).toMatch(/Revoked key \w+ \(account acct-1\)/);
    expect(await authenticate(secret)).toEqual({ ok: false, reason: 'revoked_key' });

    cli.stdout = '';
    expect(await run('list', '--store', location, '--json')).toBe(0);
    expect(jsonLines().map((k) => k.status)).toEqual(expect.arrayContaining(['active', 'revoked']));
    expect(jsonLines()).toHaveLength(2);

    const { store } = await openPostgresLocation(location, () => undefined);
    const audit = await store.listAudit();
    await store.close();
    expect(audit[0]).toMatchObject({ action: 'key.revoke', reason: 'leaked' });
  });

  it('needs the replicas’ server secret, never a new one', async () => {
    vi.stubEnv('DG_SERVER_SECRET', '');
    expect(await run('list', '--store', location)).toBe(2);
    expect(cli.stderr).toContain(
      'a PostgreSQL store is shared by the gateway replicas: set DG_SERVER_SECRET (or --secret-file)',
    );
  });

  it('says which PostgreSQL server it cannot reach, without a stack', async () => {
    expect(await run('list', '--store', 'postgres://postgres@127.0.0.1:1/test')).toBe(1);
    const text = cli.stderr;
    expect(text).toMatch(/--store: PostgreSQL at 127\.0\.0\.1:1\/test is unavailable/);
    expect(text).not.toMatch(/\n\s+at /);
  });
});
