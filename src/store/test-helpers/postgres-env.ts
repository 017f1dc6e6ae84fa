/**
 * Test access to the real PostgreSQL server (never a mock): a fresh schema per store, dropped
 * when the store closes, and a clear failure — not a skip — when the server is unreachable.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresStore } from '../postgres.js';
import type { Store } from '../types.js';

/** Server the tests use; override with DG_TEST_POSTGRES_URL. */
export const TEST_POSTGRES_URL =
  process.env.DG_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Throws a message naming the server and the override variable if PostgreSQL is unreachable.
 *
 * @example
 * beforeAll(() => requirePostgres());
 */
export async function requirePostgres(url = TEST_POSTGRES_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL test server unreachable at ${url} (${error instanceof Error ? error.message : String(error)}); ` +
        'start it or point DG_TEST_POSTGRES_URL at one — these tests need a real server',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema name no other test run uses. */
export function freshSchemaName(): string {
  return `dg_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/**
 * Drops a schema and everything in it.
 *
 * @example
 * await dropSchema('dg_test_1_ab12cd34');
 */
export async function dropSchema(schema: string, url = TEST_POSTGRES_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Opens a PostgreSQL store in a new schema; closing the store drops the schema.
 *
 * @example
 * describeStoreContract('PostgreSQL', () => openTestPostgresStore());
 */
export async function openTestPostgresStore(schema = freshSchemaName()): Promise<Store & { schema: string }> {
  await requirePostgres();
  const store = await openPostgresStore({ url: TEST_POSTGRES_URL, schema, poolSize: 4 });
  return {
    ...store,
    schema,
    async close() {
      await store.close();
      await dropSchema(schema);
    },
  };
}
