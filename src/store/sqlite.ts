/**
 * The embedded store: one SQLite file via better-sqlite3, WAL mode (readers never block the
 * single writer), every statement prepared once at open. better-sqlite3 is synchronous; the
 * async `Store` surface is kept so a networked backend can implement the same interface.
 */
import Database from 'better-sqlite3';
import type { Decision, ExchangeEvent } from '../contract/types.js';
import { bucketWidth, MINUTE_MS, minuteCounts, rollupWindow } from './event-buckets.js';
import { migrate } from './migrations.js';
import { type Row, toAccount, toAudit, toCampaign, toDecision, toEnforcement, toKey, toOrg } from './rows.js';
import type { AuthSnapshot, ContentMode, ListOptions, NewAudit, Store } from './types.js';

export interface SqliteStoreOptions {
  /** File path, or `:memory:` for a private in-memory database (tests). */
  path: string;
  /** Default page size for list calls. */
  defaultLimit?: number;
  /**
   * Bound on this connection's page cache, KiB. better-sqlite3 builds SQLite with a 16 MB default,
   * which an append-mostly writer fills with pages it never reads again (default: SQLite's build default).
   */
  cacheKib?: number;
}

const MAX_LIMIT = 10_000;

/**
 * The connection settings every store connection runs with.
 *
 * @example
 * configureConnection(new Database('dg.db'), { path: 'dg.db', cacheKib: 4096 });
 */
export function configureConnection(db: Database.Database, opts: SqliteStoreOptions): void {
  if (opts.cacheKib !== undefined && !(Number.isInteger(opts.cacheKib) && opts.cacheKib > 0)) {
    throw new RangeError(`cacheKib must be a positive whole number, got ${opts.cacheKib}`);
  }
  // WAL: the gateway's batched event inserts never block admin reads; NORMAL sync is durable
  // across process crashes, which is the failure the exchange log must survive.
  if (opts.path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // A CLI command and a running gateway may share the file; wait for the writer, do not fail.
  db.pragma('busy_timeout = 5000');
  if (opts.cacheKib !== undefined) db.pragma(`cache_size = -${opts.cacheKib}`);
}

/**
 * Opens (creating and migrating if needed) a SQLite store.
 *
 * @example
 * const store = openSqliteStore({ path: ':memory:' });
 * await store.putOrg({ id: 'acme', name: 'Acme', created_at: new Date().toISOString(), limits: {} });
 */
export function openSqliteStore(opts: SqliteStoreOptions): Store {
  const db = new Database(opts.path);
  configureConnection(db, opts);
  migrate(db);

  const defaultLimit = opts.defaultLimit ?? 100;
  const lim = (o: ListOptions | undefined): number =>
    Math.max(1, Math.min(MAX_LIMIT, Math.floor(o?.limit ?? defaultLimit)));

  const s = {
    putOrg: db.prepare(
      `INSERT INTO orgs(id, name, created_at, limits) VALUES (@id, @name, @created_at, @limits)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, limits = excluded.limits`,
    ),
    getOrg: db.prepare('SELECT * FROM orgs WHERE id = ?'),
    listOrgs: db.prepare('SELECT * FROM orgs ORDER BY id LIMIT ?'),
    putAccount: db.prepare(
      `INSERT INTO accounts(id, org_id, created_at, verified, signup_channel, payment_fingerprint, email_domain, signup_ip, limits)
       VALUES (@id, @org_id, @created_at, @verified, @signup_channel, @payment_fingerprint, @email_domain, @signup_ip, @limits)
       ON CONFLICT(id) DO UPDATE SET org_id = excluded.org_id, verified = excluded.verified,
         signup_channel = excluded.signup_channel, payment_fingerprint = excluded.payment_fingerprint,
         email_domain = excluded.email_domain, signup_ip = excluded.signup_ip, limits = excluded.limits`,
    ),
    getAccount: db.prepare('SELECT * FROM accounts WHERE id = ?'),
    // Ids are never empty (checkId), so '' as `afterId` lists from the first: one statement, as in PostgreSQL.
    listAccounts: db.prepare('SELECT * FROM accounts WHERE id > ? ORDER BY id LIMIT ?'),
    listAccountsByOrg: db.prepare('SELECT * FROM accounts WHERE org_id = ? ORDER BY id LIMIT ?'),
    insertKey: db.prepare(
      `INSERT INTO keys(id, prefix, hash, account_id, scopes, expires_at, revoked_at, limits, created_at, name)
       VALUES (@id, @prefix, @hash, @account_id, @scopes, @expires_at, @revoked_at, @limits, @created_at, @name)`,
    ),
    getKey: db.prepare('SELECT * FROM keys WHERE id = ?'),
    listKeys: db.prepare('SELECT * FROM keys ORDER BY created_at, id LIMIT ?'),
    listKeysByAccount: db.prepare('SELECT * FROM keys WHERE account_id = ? ORDER BY created_at, id LIMIT ?'),
    revokeKey: db.prepare('UPDATE keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?'),
    setKeyExpiry: db.prepare('UPDATE keys SET expires_at = ? WHERE id = ?'),
    authRevision: db.prepare("SELECT value FROM meta WHERE name = 'auth_revision'").pluck(),
    allKeys: db.prepare('SELECT * FROM keys'),
    keyAccounts: db.prepare('SELECT * FROM accounts WHERE id IN (SELECT DISTINCT account_id FROM keys)'),
    allOrgs: db.prepare('SELECT * FROM orgs'),
    insertEvent: db.prepare(
      'INSERT INTO events(id, ts, account_id, content, body) VALUES (@id, @ts, @account_id, @content, @body)',
    ),
    listEvents: db.prepare('SELECT body FROM events WHERE ts >= ? ORDER BY ts, seq LIMIT ?').pluck(),
    pageEvents: db.prepare(
      'SELECT seq, ts, body FROM events WHERE ts > @ts OR (ts = @ts AND seq > @seq) ORDER BY ts, seq LIMIT @limit',
    ),
    listEventsByAccount: db
      .prepare('SELECT body FROM events WHERE account_id = ? AND ts >= ? ORDER BY ts, seq LIMIT ?')
      .pluck(),
    countEvents: db.prepare('SELECT COUNT(*) FROM events').pluck(),
    listLatestEventsByAccount: db
      .prepare('SELECT body FROM events WHERE account_id = ? ORDER BY ts DESC, seq DESC LIMIT ?')
      .pluck(),
    // Two subqueries, so each of MIN and MAX is one step along the ts index.
    eventTimeRange: db.prepare(
      'SELECT (SELECT MIN(ts) FROM events) AS first, (SELECT MAX(ts) FROM events) AS last',
    ),
    // ts is RFC 3339 with milliseconds: whole seconds from strftime, milliseconds from the text.
    countEventsByTime: db.prepare(
      `SELECT (CAST(strftime('%s', ts) AS INTEGER) * 1000 + CAST(substr(ts, 21, 3) AS INTEGER)) / CAST(@bucket AS INTEGER) AS k,
         COUNT(*) AS exchanges,
         SUM(COALESCE(json_extract(body, '$.response.status'), 0) >= 400) AS errors
       FROM events WHERE ts >= @from AND ts < @to GROUP BY k ORDER BY k`,
    ),
    // The roll-up answers whole-minute windows in at most one row per minute, however busy.
    countMinutesByTime: db.prepare(
      `SELECT minute / CAST(@perBucket AS INTEGER) AS k, SUM(exchanges) AS exchanges, SUM(errors) AS errors
       FROM event_minutes WHERE minute >= @fromMinute AND minute < @toMinute
       GROUP BY k HAVING SUM(exchanges) > 0 ORDER BY k`,
    ),
    addMinute: db.prepare(
      `INSERT INTO event_minutes(minute, exchanges, errors) VALUES (@minute, @exchanges, @errors)
       ON CONFLICT(minute) DO UPDATE SET exchanges = exchanges + excluded.exchanges, errors = errors + excluded.errors`,
    ),
    // What retention removes from the minute it cuts through (at most one minute of the log).
    countCutMinute: db.prepare(
      `SELECT COUNT(*) AS exchanges, COALESCE(SUM(COALESCE(json_extract(body, '$.response.status'), 0) >= 400), 0) AS errors
       FROM events WHERE ts >= @minuteStart AND ts < @cutoff`,
    ),
    subtractMinute: db.prepare(
      'UPDATE event_minutes SET exchanges = exchanges - @exchanges, errors = errors - @errors WHERE minute = @minute',
    ),
    deleteMinutesBefore: db.prepare(
      'DELETE FROM event_minutes WHERE minute < @minute OR (minute = @minute AND exchanges <= 0)',
    ),
    deleteEventsBefore: db.prepare('DELETE FROM events WHERE ts < ?'),
    insertDecision: db.prepare(
      `INSERT INTO decisions(at, event_id, account_id, action, score, campaign_id, reasons, source)
       VALUES (@at, @event_id, @account_id, @action, @score, @campaign_id, @reasons, @source)`,
    ),
    listDecisions: db.prepare('SELECT * FROM decisions ORDER BY id DESC LIMIT ?'),
    listDecisionsByAccount: db.prepare(
      'SELECT * FROM decisions WHERE account_id = ? ORDER BY id DESC LIMIT ?',
    ),
    putCampaign: db.prepare(
      `INSERT INTO campaigns(id, body, first_action_at, updated_at) VALUES (@id, @body, @first_action_at, @updated_at)
       ON CONFLICT(id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
    ),
    getCampaign: db.prepare('SELECT * FROM campaigns WHERE id = ?'),
    listCampaigns: db.prepare('SELECT * FROM campaigns ORDER BY first_action_at DESC, id LIMIT ?'),
    putEnforcement: db.prepare(
      `INSERT INTO enforcement(account_id, action, reasons, case_ref, campaign_id, allowlisted, source, updated_at)
       VALUES (@account_id, @action, @reasons, @case_ref, @campaign_id, @allowlisted, @source, @updated_at)
       ON CONFLICT(account_id) DO UPDATE SET action = excluded.action, reasons = excluded.reasons,
         case_ref = excluded.case_ref, campaign_id = excluded.campaign_id, allowlisted = excluded.allowlisted,
         source = excluded.source, updated_at = excluded.updated_at`,
    ),
    deleteEnforcement: db.prepare('DELETE FROM enforcement WHERE account_id = ?'),
    listEnforcement: db.prepare('SELECT * FROM enforcement ORDER BY account_id'),
    appendAudit: db.prepare(
      `INSERT INTO audit(at, actor, action, target, reason, details) VALUES (@at, @actor, @action, @target, @reason, @details)`,
    ),
    listAudit: db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?'),
    listAuditByTarget: db.prepare('SELECT * FROM audit WHERE target = ? ORDER BY id DESC LIMIT ?'),
  };

  // One read transaction, so keys, accounts and the revision are a consistent snapshot.
  const snapshot = db.transaction(
    (): AuthSnapshot => ({
      revision: Number(s.authRevision.get()),
      orgs: (s.allOrgs.all() as Row[]).map(toOrg),
      accounts: (s.keyAccounts.all() as Row[]).map(toAccount),
      keys: (s.allKeys.all() as Row[]).map(toKey),
    }),
  );
  const insertEventBatch = db.transaction((events: ExchangeEvent[], mode: ContentMode) => {
    for (const e of events) {
      s.insertEvent.run({
        id: e.id,
        ts: e.ts,
        account_id: e.account_id,
        content: mode,
        body: JSON.stringify(e),
      });
    }
    // Same transaction as the rows: the roll-up never counts a batch that did not commit.
    for (const c of minuteCounts(events)) s.addMinute.run(c);
  });
  // Retention and the roll-up in one transaction: whole minutes before the cut-off go, and the
  // minute it cuts through loses exactly the exchanges deleted from it.
  const deleteEventsBatch = db.transaction((cutoff: string, cutoffMs: number): number => {
    const minute = Math.floor(cutoffMs / MINUTE_MS);
    const minuteStart = new Date(minute * MINUTE_MS).toISOString();
    const cut = s.countCutMinute.get({ minuteStart, cutoff }) as { exchanges: number; errors: number };
    const removed = s.deleteEventsBefore.run(cutoff).changes;
    if (cut.exchanges > 0) s.subtractMinute.run({ minute, exchanges: cut.exchanges, errors: cut.errors });
    s.deleteMinutesBefore.run({ minute });
    return removed;
  });
  const insertDecisionBatch = db.transaction((decisions: Decision[], source: string) => {
    for (const d of decisions) {
      s.insertDecision.run({
        at: d.at,
        event_id: d.event_id,
        account_id: d.account_id,
        action: d.action,
        score: d.score,
        campaign_id: d.campaign_id ?? null,
        reasons: JSON.stringify(d.reasons),
        source,
      });
    }
  });

  let closed = false;
  const store: Store = {
    async putOrg(org) {
      s.putOrg.run({ ...org, limits: JSON.stringify(org.limits) });
    },
    async getOrg(id) {
      const row = s.getOrg.get(id) as Row | undefined;
      return row && toOrg(row);
    },
    async listOrgs(o) {
      return (s.listOrgs.all(lim(o)) as Row[]).map(toOrg);
    },
    async putAccount(a) {
      s.putAccount.run({ ...a, verified: a.verified ? 1 : 0, limits: JSON.stringify(a.limits) });
    },
    async getAccount(id) {
      const row = s.getAccount.get(id) as Row | undefined;
      return row && toAccount(row);
    },
    async listAccounts(o) {
      const rows =
        o?.orgId !== undefined
          ? s.listAccountsByOrg.all(o.orgId, lim(o))
          : s.listAccounts.all(o?.afterId ?? '', lim(o));
      return (rows as Row[]).map(toAccount);
    },
    async insertKey(k) {
      s.insertKey.run({ ...k, scopes: JSON.stringify(k.scopes), limits: JSON.stringify(k.limits) });
    },
    async getKey(id) {
      const row = s.getKey.get(id) as Row | undefined;
      return row && toKey(row);
    },
    async listKeys(o) {
      const rows =
        o?.accountId === undefined ? s.listKeys.all(lim(o)) : s.listKeysByAccount.all(o.accountId, lim(o));
      return (rows as Row[]).map(toKey);
    },
    async revokeKey(id, at) {
      return s.revokeKey.run(at, id).changes > 0;
    },
    async setKeyExpiry(id, expiresAt) {
      return s.setKeyExpiry.run(expiresAt, id).changes > 0;
    },
    async authRevision() {
      return Number(s.authRevision.get());
    },
    async authSnapshot() {
      return snapshot();
    },
    async insertEvents(events, mode) {
      if (events.length > 0) insertEventBatch(events, mode);
    },
    async listEvents(o) {
      const since = o?.since ?? '';
      const bodies =
        o?.accountId === undefined
          ? s.listEvents.all(since, lim(o))
          : s.listEventsByAccount.all(o.accountId, since, lim(o));
      return (bodies as string[]).map((b) => JSON.parse(b) as ExchangeEvent);
    },
    async pageEvents(o) {
      const limit = lim(o);
      const rows = s.pageEvents.all({ ts: o.after?.ts ?? '', seq: o.after?.seq ?? -1, limit }) as Array<{
        seq: number;
        ts: string;
        body: string;
      }>;
      const last = rows[rows.length - 1];
      return {
        events: rows.map((r) => JSON.parse(r.body) as ExchangeEvent),
        ...(rows.length === limit && last !== undefined ? { next: { ts: last.ts, seq: last.seq } } : {}),
      };
    },
    async countEvents() {
      return Number(s.countEvents.get());
    },
    async listLatestEvents(o) {
      const bodies = s.listLatestEventsByAccount.all(o.accountId, lim(o)) as string[];
      return bodies.map((b) => JSON.parse(b) as ExchangeEvent);
    },
    async eventTimeRange() {
      const row = s.eventTimeRange.get() as { first: string | null; last: string | null };
      return row.first === null || row.last === null ? undefined : { first: row.first, last: row.last };
    },
    async countEventsByTime({ from, to, bucketMs }) {
      const bucket = bucketWidth(bucketMs);
      const window = rollupWindow({ from, to, bucketMs: bucket });
      const rows = (
        window === undefined
          ? s.countEventsByTime.all({ bucket, from, to })
          : s.countMinutesByTime.all({ ...window, perBucket: bucket / MINUTE_MS })
      ) as Array<{
        k: number;
        exchanges: number;
        errors: number;
      }>;
      return rows.map((r) => ({
        start: new Date(r.k * bucket).toISOString(),
        exchanges: r.exchanges,
        errors: r.errors,
      }));
    },
    async deleteEventsBefore(ts) {
      const cutoffMs = Date.parse(ts);
      if (Number.isNaN(cutoffMs)) throw new Error(`deleteEventsBefore: "${ts}" is not an RFC 3339 time`);
      return deleteEventsBatch(ts, cutoffMs);
    },
    async insertDecisions(decisions, source) {
      if (decisions.length > 0) insertDecisionBatch(decisions, source);
    },
    async listDecisions(o) {
      const rows =
        o?.accountId === undefined
          ? s.listDecisions.all(lim(o))
          : s.listDecisionsByAccount.all(o.accountId, lim(o));
      return (rows as Row[]).map(toDecision);
    },
    async putCampaign(c, updatedAt) {
      s.putCampaign.run({
        id: c.id,
        body: JSON.stringify(c),
        first_action_at: c.first_action_at,
        updated_at: updatedAt,
      });
    },
    async getCampaign(id) {
      const row = s.getCampaign.get(id) as Row | undefined;
      return row && toCampaign(row);
    },
    async listCampaigns(o) {
      return (s.listCampaigns.all(lim(o)) as Row[]).map(toCampaign);
    },
    async putEnforcement(e) {
      s.putEnforcement.run({ ...e, reasons: JSON.stringify(e.reasons), allowlisted: e.allowlisted ? 1 : 0 });
    },
    async deleteEnforcement(accountId) {
      s.deleteEnforcement.run(accountId);
    },
    async listEnforcement() {
      return (s.listEnforcement.all() as Row[]).map(toEnforcement);
    },
    async appendAudit(entry: NewAudit) {
      const info = s.appendAudit.run({ ...entry, details: JSON.stringify(entry.details) });
      return { id: Number(info.lastInsertRowid), ...entry };
    },
    async listAudit(o) {
      const rows =
        o?.target === undefined ? s.listAudit.all(lim(o)) : s.listAuditByTarget.all(o.target, lim(o));
      return (rows as Row[]).map(toAudit);
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
  return store;
}
