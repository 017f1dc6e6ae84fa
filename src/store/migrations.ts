/**
 * Versioned schema migrations for the SQLite store, all in one place. Each entry runs once, in
 * order, inside a transaction; `PRAGMA user_version` records how far a database has got. Never
 * edit a shipped migration — append a new one, so existing databases upgrade the same way.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'orgs, accounts, keys, events, decisions, campaigns, enforcement, audit',
    sql: `
      CREATE TABLE orgs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        limits TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        org_id TEXT REFERENCES orgs(id),
        created_at TEXT NOT NULL,
        verified INTEGER NOT NULL DEFAULT 0,
        signup_channel TEXT,
        payment_fingerprint TEXT,
        email_domain TEXT,
        signup_ip TEXT,
        limits TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX accounts_org ON accounts(org_id);
      CREATE TABLE keys (
        id TEXT PRIMARY KEY,
        prefix TEXT NOT NULL,
        hash TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        scopes TEXT NOT NULL DEFAULT '[]',
        expires_at TEXT,
        revoked_at TEXT,
        limits TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        name TEXT
      );
      CREATE INDEX keys_account ON keys(account_id);
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        ts TEXT NOT NULL,
        account_id TEXT NOT NULL,
        content TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX events_ts ON events(ts);
      CREATE INDEX events_account ON events(account_id, ts);
      CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        event_id TEXT NOT NULL,
        account_id TEXT NOT NULL,
        action TEXT NOT NULL,
        score REAL NOT NULL,
        campaign_id TEXT,
        reasons TEXT NOT NULL,
        source TEXT NOT NULL
      );
      CREATE INDEX decisions_account ON decisions(account_id, id);
      CREATE TABLE campaigns (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        first_action_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE enforcement (
        account_id TEXT PRIMARY KEY,
        action TEXT NOT NULL,
        reasons TEXT NOT NULL,
        case_ref TEXT NOT NULL,
        campaign_id TEXT,
        allowlisted INTEGER NOT NULL DEFAULT 0,
        source TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        reason TEXT NOT NULL,
        details TEXT NOT NULL
      );
      CREATE INDEX audit_target ON audit(target, id);
      -- One counter bumped by triggers on every change to what authentication reads, so key
      -- caches in any process can poll a single row instead of reloading.
      CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO meta(name, value) VALUES ('auth_revision', 0);
      CREATE TRIGGER keys_ins AFTER INSERT ON keys BEGIN UPDATE meta SET value = value + 1 WHERE name = 'auth_revision'; END;
      CREATE TRIGGER keys_upd AFTER UPDATE ON keys BEGIN UPDATE meta SET value = value + 1 WHERE name = 'auth_revision'; END;
      CREATE TRIGGER keys_del AFTER DELETE ON keys BEGIN UPDATE meta SET value = value + 1 WHERE name = 'auth_revision'; END;
      CREATE TRIGGER accounts_ins AFTER INSERT ON accounts BEGIN UPDATE meta SET value = value + 1 WHERE name = 'auth_revision'; END;
      CREATE TRIGGER accounts_upd AFTER UPDATE ON accounts BEGIN UPDATE meta SET value = value + 1 WHERE name = 'auth_revision'; END;
      CREATE TRIGGER orgs_ins AFTER INSERT ON orgs BEGIN UPDATE meta SET value = value + 1 WHERE name = 'auth_revision'; END;
      CREATE TRIGGER orgs_upd AFTER UPDATE ON orgs BEGIN UPDATE meta SET value = value + 1 WHERE name = 'auth_revision'; END;
    `,
  },
  {
    version: 2,
    description: 'event_minutes: per-minute roll-up of the exchange log, backfilled from events',
    // minute = whole minutes since the Unix epoch; errors = answers with HTTP status >= 400 (the
    // same rule as the count over events). The backfill groups the log once, so history from
    // before the upgrade stays on the traffic chart.
    sql: `
      CREATE TABLE event_minutes (
        minute INTEGER PRIMARY KEY,
        exchanges INTEGER NOT NULL,
        errors INTEGER NOT NULL
      );
      INSERT INTO event_minutes(minute, exchanges, errors)
        SELECT CAST(strftime('%s', ts) AS INTEGER) / 60 AS m, COUNT(*),
          SUM(COALESCE(json_extract(body, '$.response.status'), 0) >= 400)
        FROM events WHERE strftime('%s', ts) IS NOT NULL GROUP BY m;
    `,
  },
];

/**
 * Brings `db` up to the latest schema version; returns the versions applied.
 *
 * @example
 * const applied = migrate(new Database(':memory:')); // [1, 2]
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `database schema version ${current} is newer than this distillguard supports (${latest}); upgrade distillguard`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
