import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from './migrations.js';
import { openSqliteStore } from './sqlite.js';
import { account, describeStoreContract } from './test-helpers/store-contract.js';
import type { Store } from './types.js';

describe('migrations', () => {
  it('apply once and record the version', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)?.version);
  });

  it('refuse a database from a newer release', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(/schema version 999 is newer/);
  });
});

describeStoreContract('SQLite in memory', () => openSqliteStore({ path: ':memory:' }));

describe('SQLite store file', () => {
  let store: Store;
  let dir: string;
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('persists across reopen of a file in WAL mode', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dg-store-'));
    const path = join(dir, 'db.sqlite');
    store = openSqliteStore({ path });
    await store.putAccount(account('a1'));
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    store = openSqliteStore({ path });
    expect(await store.getAccount('a1')).toBeDefined();
  });
});
