/**
 * The scale-out store: the same `Store` interface as sqlite.ts on PostgreSQL (node-postgres
 * pool), so every gateway replica, the keys command and the detector workers share one database.
 *
 * Exchange events are range-partitioned by UTC day (pg-migrations.ts). Partitions are created on
 * demand under an advisory lock when a batch brings a new day, and retention drops whole day
 * partitions — constant time and no dead tuples — deleting rows only from the one partition the
 * cut-off falls into. A time index plus a batched DELETE would also bound the table, but every
 * retention run would then leave a day's worth of dead tuples for autovacuum to chase while the
 * gateways keep inserting.
 *
 * Errors are normalised so callers need not know the backend: an unreachable server is a
 * `StoreUnavailableError` (the admin API answers 503), constraint violations carry the same
 * words as SQLite's (`FOREIGN KEY constraint failed`, `UNIQUE constraint failed`).
 */
import pg from 'pg';
import type { Decision, ExchangeEvent } from '../contract/types.js';
import { isConnectionError, StoreUnavailableError } from './errors.js';
import { bucketWidth, MINUTE_MS, minuteCounts, rollupWindow } from './event-buckets.js';
import { migratePg } from './pg-migrations.js';
import { type Row, toAccount, toAudit, toCampaign, toDecision, toEnforcement, toKey, toOrg } from './rows.js';
import type { AuthSnapshot, ContentMode, ListOptions, NewAudit, Store } from './types.js';

export interface PostgresStoreOptions {
  /** Connection URL, e.g. `postgres://postgres@127.0.0.1:5432/distillguard`. */
  url: string;
  /** Schema holding the tables (created if absent); default `public`. */
  schema?: string;
  /** Default page size for list calls. */
  defaultLimit?: number;
  /** Connections in the pool. */
  poolSize?: number;
  /** How long to wait for a connection before failing with StoreUnavailableError. */
  connectTimeoutMs?: number;
  /** Where connection-level trouble on idle connections is reported (default: stderr, once). */
  log?: (line: string) => void;
}

const MAX_LIMIT = 10_000;
const PARTITION_LOCK = 7_241_002;
const DAY_MS = 86_400_000;

/** UTC day label `YYYYMMDD` of an RFC 3339 time, or undefined if it does not parse. */
function dayOf(ts: string): string | undefined {
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return undefined;
  return new Date(t).toISOString().slice(0, 10).replaceAll('-', '');
}

function dayStart(day: string): Date {
  return new Date(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T00:00:00.000Z`);
}

/** Where the pool points, without credentials, for error messages. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the configured server';
  }
}

/**
 * Maps a driver error to the store's vocabulary (see the module comment).
 *
 * @example
 * try { await pool.query(sql) } catch (e) { throw normaliseError(e, 'db.example:5432/dg') }
 */
export function normaliseError(error: unknown, where: string): unknown {
  if (isConnectionError(error)) {
    const msg = error instanceof Error ? error.message || (error as { code?: string }).code : String(error);
    return new StoreUnavailableError(`PostgreSQL at ${where} is unavailable: ${msg}`, { cause: error });
  }
  if (error instanceof Error) {
    const { code, detail } = error as { code?: string; detail?: string };
    if (code === '23503')
      return new Error(`FOREIGN KEY constraint failed: ${detail ?? error.message}`, { cause: error });
    if (code === '23505')
      return new Error(`UNIQUE constraint failed: ${detail ?? error.message}`, { cause: error });
  }
  return error;
}

/**
 * Connects, creates the schema if needed, migrates it and returns the store. Fails with
 * StoreUnavailableError when the server cannot be reached.
 *
 * @example
 * const store = await openPostgresStore({ url: 'postgres://postgres@127.0.0.1:5432/test', schema: 'dg' });
 * await store.putOrg({ id: 'acme', name: 'Acme', created_at: new Date().toISOString(), limits: {} });
 */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const schema = opts.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(
      `schema "${schema}": use lower-case letters, digits and _ (at most 63, not starting with a digit)`,
    );
  }
  const where = describeUrl(opts.url);
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 3000,
    // Every connection sees only this deployment's schema, so the SQL stays unqualified.
    options: `-c search_path=${schema}`,
    keepAlive: true,
  });
  // An idle connection dropped by a restarting server must not crash the gateway; the pool
  // replaces it on next use. Reported once per outage.
  let idleErrorReported = false;
  pool.on('error', (error) => {
    if (idleErrorReported) return;
    idleErrorReported = true;
    log(`distillguard: PostgreSQL connection lost (${error.message}); reconnecting on next use`);
  });
  pool.on('connect', () => {
    idleErrorReported = false;
  });

  const query = async <R extends Row = Row>(
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> => {
    try {
      return await pool.query<R>(sql, params);
    } catch (error) {
      throw normaliseError(error, where);
    }
  };
  const withClient = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw normaliseError(error, where);
    }
    // A checked-out client has no error listener (the pool's is for idle ones), so a connection
    // cut between two statements would be an uncaught exception that ends the process; note it
    // instead, and hand the client back as broken so the pool replaces it.
    let lost: Error | undefined;
    const onLost = (error: Error) => {
      lost = error;
    };
    client.on('error', onLost);
    try {
      return await fn(client);
    } catch (error) {
      throw normaliseError(error, where);
    } finally {
      client.removeListener('error', onLost);
      client.release(lost);
    }
  };
  const transaction = <T>(fn: (c: pg.PoolClient) => Promise<T>, mode = 'BEGIN'): Promise<T> =>
    withClient(async (c) => {
      await c.query(mode);
      try {
        const out = await fn(c);
        await c.query('COMMIT');
        return out;
      } catch (error) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });

  try {
    await withClient(async (c) => {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error: unknown) => {
        // IF NOT EXISTS is not race-free: of two replicas creating the schema at once, one gets
        // a unique violation on pg_namespace. The schema exists, which is all that is needed.
        if ((error as { code?: unknown }).code !== '23505') throw error;
      });
      await migratePg(c);
    });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  const defaultLimit = opts.defaultLimit ?? 100;
  const lim = (o: ListOptions | undefined): number =>
    Math.max(1, Math.min(MAX_LIMIT, Math.floor(o?.limit ?? defaultLimit)));

  // Day partitions this process knows exist; another process may drop one (retention), in
  // which case the insert fails with "no partition" and we re-check and retry once.
  const knownDays = new Set<string>();
  const ensurePartitions = async (days: Iterable<string>): Promise<void> => {
    const missing = [...new Set(days)].filter((d) => !knownDays.has(d));
    if (missing.length === 0) return;
    await transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      for (const day of missing) {
        const from = dayStart(day);
        const to = new Date(from.getTime() + DAY_MS);
        await c.query(
          `CREATE TABLE IF NOT EXISTS events_p${day} PARTITION OF events
           FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
        );
      }
    });
    for (const d of missing) knownDays.add(d);
  };
  const listPartitions = async (): Promise<string[]> => {
    const r = await query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = p.relnamespace
       WHERE p.relname = 'events' AND n.nspname = current_schema()`,
    );
    return r.rows.map((row) => row.name);
  };

  const insertEventRows = async (events: ExchangeEvent[], mode: ContentMode): Promise<void> => {
    // One statement per batch: arrays in, unnest out, in the order given (seq follows it). The
    // roll-up is added to in the same statement, so it counts a batch exactly when it commits;
    // its minutes come oldest first, so concurrent replicas lock shared minutes in one order.
    const minutes = minuteCounts(events);
    await query(
      `WITH counted AS (
         INSERT INTO event_minutes(minute, exchanges, errors)
         SELECT minute, exchanges, errors FROM unnest($6::bigint[], $7::bigint[], $8::bigint[])
           WITH ORDINALITY AS m(minute, exchanges, errors, n) ORDER BY n
         ON CONFLICT (minute) DO UPDATE SET exchanges = event_minutes.exchanges + excluded.exchanges,
           errors = event_minutes.errors + excluded.errors
       )
       INSERT INTO events(id, ts, account_id, content, body)
       SELECT id, ts, account_id, $4, body
       FROM unnest($1::text[], $2::timestamptz[], $3::text[], $5::text[]) WITH ORDINALITY
         AS t(id, ts, account_id, body, n) ORDER BY n`,
      [
        events.map((e) => e.id),
        events.map((e) => e.ts),
        events.map((e) => e.account_id),
        mode,
        events.map((e) => JSON.stringify(e)),
        minutes.map((m) => m.minute),
        minutes.map((m) => m.exchanges),
        minutes.map((m) => m.errors),
      ],
    );
  };

  let closed = false;
  const store: Store = {
    async putOrg(org) {
      await query(
        `INSERT INTO orgs(id, name, created_at, limits) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, limits = excluded.limits`,
        [org.id, org.name, org.created_at, JSON.stringify(org.limits)],
      );
    },
    async getOrg(id) {
      const r = await query('SELECT * FROM orgs WHERE id = $1', [id]);
      return r.rows[0] && toOrg(r.rows[0]);
    },
    async listOrgs(o) {
      const r = await query('SELECT * FROM orgs ORDER BY id COLLATE "C" LIMIT $1', [lim(o)]);
      return r.rows.map(toOrg);
    },
    async putAccount(a) {
      await query(
        `INSERT INTO accounts(id, org_id, created_at, verified, signup_channel, payment_fingerprint, email_domain, signup_ip, limits)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, verified = excluded.verified,
           signup_channel = excluded.signup_channel, payment_fingerprint = excluded.payment_fingerprint,
           email_domain = excluded.email_domain, signup_ip = excluded.signup_ip, limits = excluded.limits`,
        [
          a.id,
          a.org_id,
          a.created_at,
          a.verified,
          a.signup_channel,
          a.payment_fingerprint,
          a.email_domain,
          a.signup_ip,
          JSON.stringify(a.limits),
        ],
      );
    },
    async getAccount(id) {
      const r = await query('SELECT * FROM accounts WHERE id = $1', [id]);
      return r.rows[0] && toAccount(r.rows[0]);
    },
    async listAccounts(o) {
      const r =
        o?.orgId !== undefined
          ? await query('SELECT * FROM accounts WHERE org_id = $1 ORDER BY id COLLATE "C" LIMIT $2', [
              o.orgId,
              lim(o),
            ])
          : await query('SELECT * FROM accounts WHERE id COLLATE "C" > $1 ORDER BY id COLLATE "C" LIMIT $2', [
              o?.afterId ?? '',
              lim(o),
            ]);
      return r.rows.map(toAccount);
    },
    async insertKey(k) {
      await query(
        `INSERT INTO keys(id, prefix, hash, account_id, scopes, expires_at, revoked_at, limits, created_at, name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          k.id,
          k.prefix,
          k.hash,
          k.account_id,
          JSON.stringify(k.scopes),
          k.expires_at,
          k.revoked_at,
          JSON.stringify(k.limits),
          k.created_at,
          k.name,
        ],
      );
    },
    async getKey(id) {
      const r = await query('SELECT * FROM keys WHERE id = $1', [id]);
      return r.rows[0] && toKey(r.rows[0]);
    },
    async listKeys(o) {
      const order = 'ORDER BY created_at COLLATE "C", id COLLATE "C"';
      const r =
        o?.accountId === undefined
          ? await query(`SELECT * FROM keys ${order} LIMIT $1`, [lim(o)])
          : await query(`SELECT * FROM keys WHERE account_id = $1 ${order} LIMIT $2`, [o.accountId, lim(o)]);
      return r.rows.map(toKey);
    },
    async revokeKey(id, at) {
      const r = await query('UPDATE keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2', [at, id]);
      return (r.rowCount ?? 0) > 0;
    },
    async setKeyExpiry(id, expiresAt) {
      const r = await query('UPDATE keys SET expires_at = $1 WHERE id = $2', [expiresAt, id]);
      return (r.rowCount ?? 0) > 0;
    },
    async authRevision() {
      const r = await query<{ value: string }>("SELECT value FROM meta WHERE name = 'auth_revision'");
      return Number(r.rows[0]?.value ?? 0);
    },
    async authSnapshot() {
      // One repeatable-read transaction: keys, accounts and the revision agree.
      return transaction(async (c): Promise<AuthSnapshot> => {
        const rev = await c.query<{ value: string }>("SELECT value FROM meta WHERE name = 'auth_revision'");
        const orgs = await c.query<Row>('SELECT * FROM orgs');
        const accounts = await c.query<Row>(
          'SELECT * FROM accounts WHERE id IN (SELECT DISTINCT account_id FROM keys)',
        );
        const keys = await c.query<Row>('SELECT * FROM keys');
        return {
          revision: Number(rev.rows[0]?.value ?? 0),
          orgs: orgs.rows.map(toOrg),
          accounts: accounts.rows.map(toAccount),
          keys: keys.rows.map(toKey),
        };
      }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    },
    async insertEvents(events, mode) {
      if (events.length === 0) return;
      const days: string[] = [];
      for (const e of events) {
        const d = dayOf(e.ts);
        if (d === undefined) throw new Error(`event ${e.id}: ts "${e.ts}" is not an RFC 3339 time`);
        days.push(d);
      }
      await ensurePartitions(days);
      try {
        await insertEventRows(events, mode);
      } catch (error) {
        // 23514 "no partition of relation found": another process dropped a day we cached.
        if ((error as { code?: string }).code !== '23514') throw error;
        knownDays.clear();
        await ensurePartitions(days);
        await insertEventRows(events, mode);
      }
    },
    async listEvents(o) {
      const since = o?.since ?? '-infinity';
      const r =
        o?.accountId === undefined
          ? await query<{ body: string }>(
              'SELECT body FROM events WHERE ts >= $1::timestamptz ORDER BY ts, seq LIMIT $2',
              [since, lim(o)],
            )
          : await query<{ body: string }>(
              'SELECT body FROM events WHERE account_id = $1 AND ts >= $2::timestamptz ORDER BY ts, seq LIMIT $3',
              [o.accountId, since, lim(o)],
            );
      return r.rows.map((row) => JSON.parse(row.body) as ExchangeEvent);
    },
    async pageEvents(o) {
      const limit = lim(o);
      // The cursor's ts is the stored instant as text (microseconds kept), so the next page starts exactly after it.
      const r = await query<{ seq: string; ts: string; body: string }>(
        `SELECT seq, ts::text AS ts, body FROM events
         WHERE (ts, seq) > ($1::timestamptz, $2::bigint) ORDER BY ts, seq LIMIT $3`,
        [o.after?.ts ?? '-infinity', o.after?.seq ?? -1, limit],
      );
      const last = r.rows[r.rows.length - 1];
      return {
        events: r.rows.map((row) => JSON.parse(row.body) as ExchangeEvent),
        ...(r.rows.length === limit && last !== undefined
          ? { next: { ts: last.ts, seq: Number(last.seq) } }
          : {}),
      };
    },
    async countEvents() {
      const r = await query<{ n: string }>('SELECT count(*) AS n FROM events');
      return Number(r.rows[0]?.n ?? 0);
    },
    async listLatestEvents(o) {
      const r = await query<{ body: string }>(
        'SELECT body FROM events WHERE account_id = $1 ORDER BY ts DESC, seq DESC LIMIT $2',
        [o.accountId, lim(o)],
      );
      return r.rows.map((row) => JSON.parse(row.body) as ExchangeEvent);
    },
    async eventTimeRange() {
      // Two subqueries, so each is one step along the partitions' ts indexes.
      const r = await query<{ first: Date | null; last: Date | null }>(
        'SELECT (SELECT min(ts) FROM events) AS first, (SELECT max(ts) FROM events) AS last',
      );
      const row = r.rows[0];
      if (row === undefined || row.first === null || row.last === null) return undefined;
      return { first: row.first.toISOString(), last: row.last.toISOString() };
    },
    async countEventsByTime({ from, to, bucketMs }) {
      const bucket = bucketWidth(bucketMs);
      const window = rollupWindow({ from, to, bucketMs: bucket });
      if (window !== undefined) {
        // Whole minutes: read the roll-up (at most one row per minute, however busy the log).
        const perBucket = bucket / MINUTE_MS;
        const r = await query<{ k: string; exchanges: string; errors: string }>(
          `SELECT floor(minute::numeric / $3)::bigint AS k, sum(exchanges) AS exchanges, sum(errors) AS errors
           FROM event_minutes WHERE minute >= $1 AND minute < $2
           GROUP BY k HAVING sum(exchanges) > 0 ORDER BY k`,
          [window.fromMinute, window.toMinute, perBucket],
        );
        return r.rows.map((row) => ({
          start: new Date(Number(row.k) * bucket).toISOString(),
          exchanges: Number(row.exchanges),
          errors: Number(row.errors),
        }));
      }
      // body is text: parsed as json (cheaper than jsonb) only for the rows in the window.
      const r = await query<{ k: string; exchanges: string; errors: string }>(
        `SELECT floor(extract(epoch FROM ts) * 1000 / $3)::bigint AS k, count(*) AS exchanges,
           count(*) FILTER (WHERE (body::json #>> '{response,status}')::int >= 400) AS errors
         FROM events WHERE ts >= $1::timestamptz AND ts < $2::timestamptz GROUP BY k ORDER BY k`,
        [from, to, bucket],
      );
      return r.rows.map((row) => ({
        start: new Date(Number(row.k) * bucket).toISOString(),
        exchanges: Number(row.exchanges),
        errors: Number(row.errors),
      }));
    },
    async deleteEventsBefore(ts) {
      const cutoff = Date.parse(ts);
      if (Number.isNaN(cutoff)) throw new Error(`deleteEventsBefore: "${ts}" is not an RFC 3339 time`);
      let removed = 0;
      for (const name of await listPartitions()) {
        const m = /^events_p(\d{8})$/.exec(name);
        if (m?.[1] === undefined) continue;
        if (dayStart(m[1]).getTime() + DAY_MS > cutoff) continue;
        // Wholly before the cut-off: count for the caller, then drop the partition and its
        // day of the roll-up together.
        const dayMinute = dayStart(m[1]).getTime() / MINUTE_MS;
        removed += await transaction(async (c) => {
          const n = await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
          await c.query(`DROP TABLE ${name}`);
          await c.query('DELETE FROM event_minutes WHERE minute >= $1 AND minute < $2', [
            dayMinute,
            dayMinute + DAY_MS / MINUTE_MS,
          ]);
          return Number(n.rows[0]?.n ?? 0);
        });
        knownDays.delete(m[1]);
      }
      // Only the partition holding the cut-off has rows left to delete (partition pruning). The
      // minute the cut-off falls in loses exactly the rows deleted from it; earlier minutes go.
      const cutMinute = Math.floor(cutoff / MINUTE_MS);
      const cutStart = new Date(cutMinute * MINUTE_MS).toISOString();
      return (
        removed +
        (await transaction(async (c) => {
          const r = await c.query<{ n: string }>(
            `WITH gone AS (
               DELETE FROM events WHERE ts < $1::timestamptz
               RETURNING ts >= $2::timestamptz AS in_cut,
                 CASE WHEN ts >= $2::timestamptz THEN (body::json #>> '{response,status}')::int END AS status
             ), cut AS (
               SELECT count(*) AS n, count(*) FILTER (WHERE in_cut) AS exchanges,
                 count(*) FILTER (WHERE in_cut AND status >= 400) AS errors
               FROM gone
             ), subtracted AS (
               UPDATE event_minutes SET exchanges = event_minutes.exchanges - cut.exchanges,
                 errors = event_minutes.errors - cut.errors
               FROM cut WHERE event_minutes.minute = $3 AND cut.exchanges > 0
             )
             SELECT n FROM cut`,
            [ts, cutStart, cutMinute],
          );
          await c.query('DELETE FROM event_minutes WHERE minute < $1 OR (minute = $1 AND exchanges <= 0)', [
            cutMinute,
          ]);
          return Number(r.rows[0]?.n ?? 0);
        }))
      );
    },
    async insertDecisions(decisions, source) {
      if (decisions.length === 0) return;
      const col = <T>(f: (d: Decision) => T): T[] => decisions.map(f);
      await query(
        `INSERT INTO decisions(at, event_id, account_id, action, score, campaign_id, reasons, source)
         SELECT at, event_id, account_id, action, score, campaign_id, reasons, $8
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[])
           WITH ORDINALITY AS t(at, event_id, account_id, action, score, campaign_id, reasons, n) ORDER BY n`,
        [
          col((d) => d.at),
          col((d) => d.event_id),
          col((d) => d.account_id),
          col((d) => d.action),
          col((d) => d.score),
          col((d) => d.campaign_id ?? null),
          col((d) => JSON.stringify(d.reasons)),
          source,
        ],
      );
    },
    async listDecisions(o) {
      const r =
        o?.accountId === undefined
          ? await query('SELECT * FROM decisions ORDER BY id DESC LIMIT $1', [lim(o)])
          : await query('SELECT * FROM decisions WHERE account_id = $1 ORDER BY id DESC LIMIT $2', [
              o.accountId,
              lim(o),
            ]);
      return r.rows.map(toDecision);
    },
    async putCampaign(c, updatedAt) {
      await query(
        `INSERT INTO campaigns(id, body, first_action_at, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
        [c.id, JSON.stringify(c), c.first_action_at, updatedAt],
      );
    },
    async getCampaign(id) {
      const r = await query('SELECT * FROM campaigns WHERE id = $1', [id]);
      return r.rows[0] && toCampaign(r.rows[0]);
    },
    async listCampaigns(o) {
      const r = await query(
        'SELECT * FROM campaigns ORDER BY first_action_at COLLATE "C" DESC, id COLLATE "C" LIMIT $1',
        [lim(o)],
      );
      return r.rows.map(toCampaign);
    },
    async putEnforcement(e) {
      await query(
        `INSERT INTO enforcement(account_id, action, reasons, case_ref, campaign_id, allowlisted, source, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (account_id) DO UPDATE SET action = excluded.action, reasons = excluded.reasons,
           case_ref = excluded.case_ref, campaign_id = excluded.campaign_id, allowlisted = excluded.allowlisted,
           source = excluded.source, updated_at = excluded.updated_at`,
        [
          e.account_id,
          e.action,
          JSON.stringify(e.reasons),
          e.case_ref,
          e.campaign_id,
          e.allowlisted,
          e.source,
          e.updated_at,
        ],
      );
    },
    async deleteEnforcement(accountId) {
      await query('DELETE FROM enforcement WHERE account_id = $1', [accountId]);
    },
    async listEnforcement() {
      const r = await query('SELECT * FROM enforcement ORDER BY account_id COLLATE "C"');
      return r.rows.map(toEnforcement);
    },
    async appendAudit(entry: NewAudit) {
      const r = await query<{ id: string }>(
        `INSERT INTO audit(at, actor, action, target, reason, details) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [entry.at, entry.actor, entry.action, entry.target, entry.reason, JSON.stringify(entry.details)],
      );
      return { id: Number(r.rows[0]?.id), ...entry };
    },
    async listAudit(o) {
      const r =
        o?.target === undefined
          ? await query('SELECT * FROM audit ORDER BY id DESC LIMIT $1', [lim(o)])
          : await query('SELECT * FROM audit WHERE target = $1 ORDER BY id DESC LIMIT $2', [
              o.target,
              lim(o),
            ]);
      return r.rows.map(toAudit);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
  return store;
}
