import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { MIGRATIONS, migrate } from './migrations.js';
import { configureConnection, openSqliteStore } from './sqlite.js';
import {
  expectBackfilled,
  expectOneMoreAt0007,
  LOGGED_BEFORE_ROLLUP,
} from './test-helpers/rollup-backfill.js';
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

describe('SQLite connection settings', () => {
  it("bound the page cache when asked and keep SQLite's default otherwise", () => {
    const bounded = new Database(':memory:');
    configureConnection(bounded, { path: ':memory:', cacheKib: 4096 });
    expect(bounded.pragma('cache_size', { simple: true })).toBe(-4096);
    const plain = new Database(':memory:');
    const before = plain.pragma('cache_size', { simple: true });
    configureConnection(plain, { path: ':memory:' });
    expect(plain.pragma('cache_size', { simple: true })).toBe(before);
  });

  it('refuse a page cache bound that is not a positive whole number of KiB', () => {
    expect(() => openSqliteStore({ path: ':memory:', cacheKib: 0 })).toThrow(/positive whole number/);
    expect(() => openSqliteStore({ path: ':memory:', cacheKib: 1.5 })).toThrow(/positive whole number/);
  });
});

const ev4: ExchangeEvent = {
  id: 'e4',
  ts: '2026-01-01T00:07:05.000Z',
  account_id: 'a',
  client: { ip: '10.0.0.1' },
  api: 'openai.chat',
  model: 'm',
  request: { messages: [] },
};

describe('SQLite store file', () => {
  let store: Store;
  let dir: string;
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backfills the per-minute roll-up once from a log written before it existed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dg-store-'));
    const path = join(dir, 'db.sqlite');
    // A database at schema 1 (an earlier release) with exchanges already logged.
    const old = new Database(path);
    migrate(old, MIGRATIONS.slice(0, 1));
    const insert = old.prepare(
      "INSERT INTO events(id, ts, account_id, content, body) VALUES (?, ?, 'a', 'full', ?)",
    );
    for (const { id, ts, body } of LOGGED_BEFORE_ROLLUP) insert.run(id, ts, body);
    old.close();
    store = openSqliteStore({ path });
    const minutes = () => {
      const db = new Database(path, { readonly: true });
      const rows = db.prepare('SELECT minute, exchanges, errors FROM event_minutes ORDER BY minute').all();
      db.close();
      return rows;
    };
    await expectBackfilled(minutes(), store);
    // Reopening does not backfill again; new batches add to the roll-up.
    await store.close();
    store = openSqliteStore({ path });
    await store.insertEvents([{ ...ev4, id: 'e5', ts: '2026-01-01T00:07:30.000Z' }], 'full');
    expectOneMoreAt0007(minutes());
  });

  it('reads whole-minute windows from the roll-up, not the log', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dg-store-'));
    const path = join(dir, 'db.sqlite');
    store = openSqliteStore({ path });
    await store.insertEvents([ev4], 'full');
    // Only the roll-up is changed behind the store's back: the whole-minute answer follows it,
    // the unaligned one (counted from the log) does not.
    const db = new Database(path);
    db.prepare('UPDATE event_minutes SET exchanges = 99').run();
    db.close();
    const q = { from: '2026-01-01T00:00:00.000Z', bucketMs: 60_000 };
    expect(await store.countEventsByTime({ ...q, to: '2026-01-01T01:00:00.000Z' })).toEqual([
      { start: '2026-01-01T00:07:00.000Z', exchanges: 99, errors: 0 },
    ]);
    expect(await store.countEventsByTime({ ...q, to: '2026-01-01T00:59:59.999Z' })).toEqual([
      { start: '2026-01-01T00:07:00.000Z', exchanges: 1, errors: 0 },
    ]);
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
