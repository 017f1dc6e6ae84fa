/**
 * Schema migrations for the PostgreSQL store. They follow the SQLite list in migrations.ts one
 * for one — same version numbers, same descriptions, same tables and columns — so both backends
 * are at "schema N" with the same meaning and a test fails if one list gets a version the other
 * lacks. The SQL differs where the engines do:
 *
 * - booleans are `boolean` (SQLite: 0/1 integers); ids are identity columns (SQLite: rowid);
 * - `events` is range-partitioned by day on a `timestamptz` column, so retention drops whole
 *   day partitions (constant time, no dead tuples to vacuum) instead of deleting row by row;
 *   partitions are created on demand by the store (see postgres.ts);
 * - the auth revision is bumped by one PL/pgSQL trigger function shared by the three tables;
 * - the applied version is a row in `schema_version` (SQLite: `PRAGMA user_version`), and the
 *   runner holds an advisory lock so two gateways starting together do not both migrate.
 *
 * JSON columns stay `text` holding the same JSON as in SQLite, so one row mapping serves both.
 */
import type { ClientBase } from 'pg';
import { MIGRATIONS, type Migration } from './migrations.js';

export const PG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'orgs, accounts, keys, events, decisions, campaigns, enforcement, audit',
    sql: `
      CREATE TABLE orgs (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at text NOT NULL,
        limits text NOT NULL DEFAULT '{}'
      );
      CREATE TABLE accounts (
        id text PRIMARY KEY,
        org_id text REFERENCES orgs(id),
        created_at text NOT NULL,
        verified boolean NOT NULL DEFAULT false,
        signup_channel text,
        payment_fingerprint text,
        email_domain text,
        signup_ip text,
        limits text NOT NULL DEFAULT '{}'
      );
      CREATE INDEX accounts_org ON accounts(org_id);
      CREATE TABLE keys (
        id text PRIMARY KEY,
        prefix text NOT NULL,
        hash text NOT NULL,
        account_id text NOT NULL REFERENCES accounts(id),
        scopes text NOT NULL DEFAULT '[]',
        expires_at text,
        revoked_at text,
        limits text NOT NULL DEFAULT '{}',
        created_at text NOT NULL,
        name text
      );
      CREATE INDEX keys_account ON keys(account_id);
      -- A plain sequence: identity columns on partitioned tables need PostgreSQL 17.
      CREATE SEQUENCE events_seq;
      CREATE TABLE events (
        seq bigint NOT NULL DEFAULT nextval('events_seq'),
        id text NOT NULL,
        ts timestamptz NOT NULL,
        account_id text NOT NULL,
        content text NOT NULL,
        body text NOT NULL
      ) PARTITION BY RANGE (ts);
      CREATE INDEX events_ts ON events(ts, seq);
      CREATE INDEX events_account ON events(account_id, ts);
      CREATE TABLE decisions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at text NOT NULL,
        event_id text NOT NULL,
        account_id text NOT NULL,
        action text NOT NULL,
        score double precision NOT NULL,
        campaign_id text,
        reasons text NOT NULL,
        source text NOT NULL
      );
      CREATE INDEX decisions_account ON decisions(account_id, id);
      CREATE TABLE campaigns (
        id text PRIMARY KEY,
        body text NOT NULL,
        first_action_at text NOT NULL,
        updated_at text NOT NULL
      );
      CREATE TABLE enforcement (
        account_id text PRIMARY KEY,
        action text NOT NULL,
        reasons text NOT NULL,
        case_ref text NOT NULL,
        campaign_id text,
        allowlisted boolean NOT NULL DEFAULT false,
        source text NOT NULL,
        updated_at text NOT NULL
      );
      CREATE TABLE audit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at text NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        target text NOT NULL,
        reason text NOT NULL,
        details text NOT NULL
      );
      CREATE INDEX audit_target ON audit(target, id);
      CREATE TABLE meta (name text PRIMARY KEY, value bigint NOT NULL);
      INSERT INTO meta(name, value) VALUES ('auth_revision', 0);
      CREATE FUNCTION bump_auth_revision() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE meta SET value = value + 1 WHERE name = 'auth_revision';
        RETURN NULL;
      END $$;
      CREATE TRIGGER keys_rev AFTER INSERT OR UPDATE OR DELETE ON keys
        FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_revision();
      CREATE TRIGGER accounts_rev AFTER INSERT OR UPDATE ON accounts
        FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_revision();
      CREATE TRIGGER orgs_rev AFTER INSERT OR UPDATE ON orgs
        FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_revision();
    `,
  },
  {
    version: 2,
    description: 'event_minutes: per-minute roll-up of the exchange log, backfilled from events',
    // Not partitioned: a week is ~10,000 small rows; retention deletes them by minute.
    sql: `
      CREATE TABLE event_minutes (
        minute bigint PRIMARY KEY,
        exchanges bigint NOT NULL,
        errors bigint NOT NULL
      );
      INSERT INTO event_minutes(minute, exchanges, errors)
        SELECT floor(extract(epoch FROM ts) / 60)::bigint AS m, count(*),
          count(*) FILTER (WHERE (body::json #>> '{response,status}')::int >= 400)
        FROM events GROUP BY m;
    `,
  },
];

/** Any fixed number: the advisory lock that serialises migration runs across processes. */
const MIGRATION_LOCK = 7_241_001;

/**
 * Brings the schema on `client`'s search_path up to the latest version; returns the versions
 * applied. Throws if the database is newer than this release, or if the SQLite and PostgreSQL
 * lists disagree (a migration added to one backend only).
 *
 * @example
 * const client = await pool.connect();
 * try { await migratePg(client); } finally { client.release(); }
 */
export async function migratePg(
  client: ClientBase,
  migrations: readonly Migration[] = PG_MIGRATIONS,
): Promise<number[]> {
  assertSameVersions(MIGRATIONS, migrations);
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
    const r = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
    const current = r.rows[0]?.v ?? 0;
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new Error(
        `database schema version ${current} is newer than this distillguard supports (${latest}); upgrade distillguard`,
      );
    }
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_version(version) VALUES ($1)', [m.version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}

/**
 * Throws unless both lists have the same versions with the same descriptions, in order.
 *
 * @example
 * assertSameVersions(MIGRATIONS, PG_MIGRATIONS);
 */
export function assertSameVersions(a: readonly Migration[], b: readonly Migration[]): void {
  const sig = (ms: readonly Migration[]): string => ms.map((m) => `${m.version}:${m.description}`).join('\n');
  if (sig(a) !== sig(b)) {
    throw new Error(
      `SQLite and PostgreSQL migration lists differ (every schema version must exist for both backends):\n` +
        `sqlite: ${a.map((m) => m.version).join(', ')}\npostgres: ${b.map((m) => m.version).join(', ')}`,
    );
  }
}
