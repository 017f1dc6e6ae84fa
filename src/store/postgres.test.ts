import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { startTcpProxy } from '../gateway/testing/tcp-proxy.js';
import { isConnectionError, StoreUnavailableError } from './errors.js';
import { MIGRATIONS } from './migrations.js';
import { assertSameVersions, PG_MIGRATIONS } from './pg-migrations.js';
import { openPostgresStore } from './postgres.js';
import {
  dropSchema,
  freshSchemaName,
  openTestPostgresStore,
  requirePostgres,
  TEST_POSTGRES_URL,
} from './test-helpers/postgres-env.js';
import {
  expectBackfilled,
  expectOneMoreAt0007,
  LOGGED_BEFORE_ROLLUP,
} from './test-helpers/rollup-backfill.js';
import { describeStoreContract } from './test-helpers/store-contract.js';
import type { Store } from './types.js';

beforeAll(() => requirePostgres());

describeStoreContract('PostgreSQL', () => openTestPostgresStore());

function ev(id: string, ts: string): ExchangeEvent {
  return {
    id,
    ts,
    account_id: 'a',
    client: { ip: '10.0.0.1' },
    api: 'openai.chat',
    model: 'm',
    request: { messages: [{ role: 'user', content: 'hi' }] },
  };
}

async function partitions(schema: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await c.connect();
  try {
    const r = await c.query<{ t: string }>(
      `SELECT tablename AS t FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'events_p%' ORDER BY 1`,
      [schema],
    );
    return r.rows.map((row) => row.t);
  } finally {
    await c.end();
  }
}

async function minutes(
  schema: string,
): Promise<Array<{ minute: number; exchanges: number; errors: number }>> {
  const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await c.connect();
  try {
    const r = await c.query<{ minute: string; exchanges: string; errors: string }>(
      `SELECT minute, exchanges, errors FROM ${schema}.event_minutes ORDER BY minute`,
    );
    return r.rows.map((row) => ({
      minute: Number(row.minute),
      exchanges: Number(row.exchanges),
      errors: Number(row.errors),
    }));
  } finally {
    await c.end();
  }
}

describe('PostgreSQL store specifics', () => {
  let store: (Store & { schema: string }) | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('keeps one migration list per schema version for both backends', () => {
    expect(() => assertSameVersions(MIGRATIONS, PG_MIGRATIONS)).not.toThrow();
    expect(() => assertSameVersions(MIGRATIONS, [])).toThrow(/migration lists differ/);
  });

  it('partitions events by UTC day and retention drops whole days', async () => {
    store = await openTestPostgresStore();
    await store.insertEvents(
      [
        ev('e1', '2026-03-01T10:00:00.000Z'),
        ev('e2', '2026-03-01T23:59:59.999Z'),
        ev('e3', '2026-03-02T08:00:00.000Z'),
        ev('e4', '2026-03-03T00:00:00.000Z'),
      ],
      'full',
    );
    expect(await partitions(store.schema)).toEqual([
      'events_p20260301',
      'events_p20260302',
      'events_p20260303',
    ]);
    // Day 1 goes whole (dropped), day 2 loses the rows before 12:00, day 3 stays.
    expect(await store.deleteEventsBefore('2026-03-02T12:00:00.000Z')).toBe(3);
    expect(await partitions(store.schema)).toEqual(['events_p20260302', 'events_p20260303']);
    expect((await store.listEvents()).map((e) => e.id)).toEqual(['e4']);
    // A dropped day can be written again (partition re-created).
    await store.insertEvents([ev('e0', '2026-03-01T11:00:00.000Z')], 'fingerprint');
    expect(await store.countEvents()).toBe(2);
  });

  it('backfills the per-minute roll-up once from a log written before it existed', async () => {
    const schema = freshSchemaName();
    // A schema at version 1 (an earlier release) with exchanges already logged.
    const c = new pg.Client({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` });
    await c.connect();
    try {
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.query(PG_MIGRATIONS[0]?.sql ?? '');
      await c.query(
        'CREATE TABLE schema_version (version integer NOT NULL); INSERT INTO schema_version VALUES (1)',
      );
      await c.query(
        `CREATE TABLE events_p20260101 PARTITION OF events FOR VALUES FROM ('2026-01-01T00:00:00Z') TO ('2026-01-02T00:00:00Z')`,
      );
      for (const { id, ts, body } of LOGGED_BEFORE_ROLLUP) {
        await c.query(
          `INSERT INTO events(id, ts, account_id, content, body) VALUES ($1, $2, 'a', 'full', $3)`,
          [id, ts, body],
        );
      }
    } finally {
      await c.end();
    }
    store = await openTestPostgresStore(schema);
    await expectBackfilled(await minutes(schema), store);
    // A second process opening the schema does not backfill again; new batches add to it.
    const other = await openPostgresStore({ url: TEST_POSTGRES_URL, schema, poolSize: 1 });
    try {
      await other.insertEvents([ev('e4', '2026-01-01T00:07:30.000Z')], 'full');
    } finally {
      await other.close();
    }
    expectOneMoreAt0007(await minutes(schema));
  });

  it('reads whole-minute windows from the roll-up, not the log, and drops it with day partitions', async () => {
    store = await openTestPostgresStore();
    await store.insertEvents(
      [ev('e1', '2026-05-01T00:07:05.000Z'), ev('e2', '2026-05-02T00:00:00.000Z')],
      'full',
    );
    // Only the roll-up is changed behind the store's back: the whole-minute answer follows it,
    // the unaligned one (counted from the log) does not.
    const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await c.connect();
    await c.query(`UPDATE ${store.schema}.event_minutes SET exchanges = 99 WHERE minute = $1`, [
      Date.parse('2026-05-01T00:07:00.000Z') / 60_000,
    ]);
    await c.end();
    const q = { from: '2026-05-01T00:00:00.000Z', bucketMs: 60_000 };
    expect(await store.countEventsByTime({ ...q, to: '2026-05-01T01:00:00.000Z' })).toEqual([
      { start: '2026-05-01T00:07:00.000Z', exchanges: 99, errors: 0 },
    ]);
    expect(await store.countEventsByTime({ ...q, to: '2026-05-01T00:59:59.999Z' })).toEqual([
      { start: '2026-05-01T00:07:00.000Z', exchanges: 1, errors: 0 },
    ]);
    // Retention dropping the whole day takes that day's minutes with it.
    expect(await store.deleteEventsBefore('2026-05-02T00:00:00.000Z')).toBe(1);
    expect(await minutes(store.schema)).toEqual([
      { minute: Date.parse('2026-05-02T00:00:00.000Z') / 60_000, exchanges: 1, errors: 0 },
    ]);
  });

  it('keeps the roll-up exact under replicas writing the same minutes at once', async () => {
    store = await openTestPostgresStore();
    const replicas = [
      store,
      await openPostgresStore({ url: TEST_POSTGRES_URL, schema: store.schema, poolSize: 4 }),
    ];
    try {
      // Every batch spans minutes 0..4 in its own order, so unsorted row locks could deadlock.
      const batch = (r: number, b: number): ExchangeEvent[] =>
        Array.from({ length: 25 }, (_, i) => {
          const minute = (i * (b + 1) + r) % 5;
          return {
            ...ev(`r${r}-b${b}-${i}`, `2026-06-01T00:0${minute}:${String(i).padStart(2, '0')}.000Z`),
            response: { status: i % 4 === 0 ? 500 : 200 },
          };
        });
      await Promise.all(
        replicas.flatMap((s, r) => Array.from({ length: 8 }, (_, b) => s.insertEvents(batch(r, b), 'full'))),
      );
      const window = { from: '2026-06-01T00:00:00.000Z', to: '2026-06-01T00:05:00.000Z' };
      const rollup = await store.countEventsByTime({ ...window, bucketMs: 60_000 });
      const log = await store.countEventsByTime({
        ...window,
        to: '2026-06-01T00:04:59.999Z',
        bucketMs: 60_000,
      });
      expect(rollup).toEqual(log);
      expect(rollup.reduce((n, b) => n + b.exchanges, 0)).toBe(2 * 8 * 25);
      expect(rollup.reduce((n, b) => n + b.errors, 0)).toBe(2 * 8 * 7);
    } finally {
      await replicas[1]?.close();
    }
  });

  it('recreates a partition dropped by another process', async () => {
    store = await openTestPostgresStore();
    const other = await openPostgresStore({ url: TEST_POSTGRES_URL, schema: store.schema, poolSize: 1 });
    try {
      await store.insertEvents([ev('e1', '2026-04-01T10:00:00.000Z')], 'full');
      expect(await other.deleteEventsBefore('2026-04-02T00:00:00.000Z')).toBe(1);
      await store.insertEvents([ev('e2', '2026-04-01T11:00:00.000Z')], 'full');
      expect(await store.countEvents()).toBe(1);
      // The failed first attempt added nothing to the roll-up; the retry added its one exchange.
      expect(await minutes(store.schema)).toEqual([
        { minute: Date.parse('2026-04-01T11:00:00.000Z') / 60_000, exchanges: 1, errors: 0 },
      ]);
    } finally {
      await other.close();
    }
  });

  it('two processes opening one schema at once migrate it once', async () => {
    const schema = freshSchemaName();
    try {
      const stores = await Promise.all(
        [1, 2, 3].map(() => openPostgresStore({ url: TEST_POSTGRES_URL, schema, poolSize: 1 })),
      );
      await Promise.all(stores.map((s) => s.close()));
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      const r = await c.query(`SELECT version FROM ${schema}.schema_version`);
      await c.end();
      expect(r.rows).toEqual(PG_MIGRATIONS.map((m) => ({ version: m.version })));
    } finally {
      await dropSchema(schema);
    }
  });

  it('a connection cut mid-transaction fails those calls cleanly and never crashes the process', async () => {
    const schema = freshSchemaName();
    const proxy = await startTcpProxy(Number(new URL(TEST_POSTGRES_URL).port || 5432));
    const url = new URL(TEST_POSTGRES_URL);
    url.host = `127.0.0.1:${proxy.port}`;
    const store = await openPostgresStore({ url: url.toString(), schema, log: () => undefined });
    try {
      for (let round = 0; round < 5; round++) {
        // Multi-statement transactions in flight on every pooled connection when the server goes.
        const calls = Array.from({ length: 20 }, () => store.authSnapshot());
        await new Promise((r) => setTimeout(r, 2 + round * 3));
        await proxy.cut();
        for (const r of await Promise.allSettled(calls)) {
          if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StoreUnavailableError);
        }
        await proxy.restore();
        // The pool replaced the broken connections.
        expect((await store.authSnapshot()).revision).toBeGreaterThanOrEqual(0);
      }
    } finally {
      await store.close();
      await proxy.close();
      await dropSchema(schema);
    }
  });

  it('an unreachable server is a StoreUnavailableError naming it', async () => {
    const error = await openPostgresStore({
      url: 'postgres://postgres@127.0.0.1:1/test',
      connectTimeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/PostgreSQL at 127\.0\.0\.1:1\/test is unavailable/);
  });

  it('refuses a schema name that would need quoting', async () => {
    await expect(openPostgresStore({ url: TEST_POSTGRES_URL, schema: 'x; drop' })).rejects.toThrow(
      /schema "x; drop"/,
    );
  });

  it('classifies connection errors', () => {
    expect(isConnectionError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('x'), { code: '57P01' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('x'), { code: '23505' }))).toBe(false);
  });
});
