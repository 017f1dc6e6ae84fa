/**
 * Row → record mapping shared by the SQLite and PostgreSQL stores: both read the same columns
 * (migrations.ts); they differ only in how a boolean comes back (1 from SQLite, true from
 * PostgreSQL) and `flag` accepts both.
 */
import type { Action, CampaignReport } from '../contract/types.js';
import type { LimitSpec } from '../gateway/ports.js';
import type {
  AccountRow,
  AuditRow,
  CampaignRow,
  DecisionRow,
  EnforcementRow,
  KeyRow,
  OrgRow,
} from './types.js';

/** A row as the driver returns it, by column name. */
export type Row = Record<string, unknown>;

function str(row: Row, key: string): string {
  return String(row[key]);
}

function strOrNull(row: Row, key: string): string | null {
  const v = row[key];
  return v === null || v === undefined ? null : String(v);
}

/** JSON columns are stored as text in both stores. */
function json<T>(row: Row, key: string): T {
  return JSON.parse(String(row[key])) as T;
}

function flag(row: Row, key: string): boolean {
  return row[key] === 1 || row[key] === true;
}

/**
 * The row of an organisation.
 *
 * @example
 * const rows = db.prepare(sql).all().map(toOrg);
 */
export function toOrg(row: Row): OrgRow {
  return {
    id: str(row, 'id'),
    name: str(row, 'name'),
    created_at: str(row, 'created_at'),
    limits: json<LimitSpec>(row, 'limits'),
  };
}

/**
 * The row of an account.
 *
 * @example
 * const rows = db.prepare(sql).all().map(toAccount);
 */
export function toAccount(row: Row): AccountRow {
  return {
    id: str(row, 'id'),
    org_id: strOrNull(row, 'org_id'),
    created_at: str(row, 'created_at'),
    verified: flag(row, 'verified'),
    signup_channel: strOrNull(row, 'signup_channel'),
    payment_fingerprint: strOrNull(row, 'payment_fingerprint'),
    email_domain: strOrNull(row, 'email_domain'),
    signup_ip: strOrNull(row, 'signup_ip'),
    limits: json<LimitSpec>(row, 'limits'),
  };
}

/**
 * The row of an API key (hash, never the secret).
 *
 * @example
 * const rows = db.prepare(sql).all().map(toKey);
 */
export function toKey(row: Row): KeyRow {
  return {
    id: str(row, 'id'),
    prefix: str(row, 'prefix'),
    hash: str(row, 'hash'),
    account_id: str(row, 'account_id'),
    scopes: json<string[]>(row, 'scopes'),
    expires_at: strOrNull(row, 'expires_at'),
    revoked_at: strOrNull(row, 'revoked_at'),
    limits: json<LimitSpec>(row, 'limits'),
    created_at: str(row, 'created_at'),
    name: strOrNull(row, 'name'),
  };
}

/**
 * The row of a decision.
 *
 * @example
 * const rows = db.prepare(sql).all().map(toDecision);
 */
export function toDecision(row: Row): DecisionRow {
  return {
    id: Number(row.id),
    at: str(row, 'at'),
    event_id: str(row, 'event_id'),
    account_id: str(row, 'account_id'),
    action: str(row, 'action') as Action,
    score: Number(row.score),
    campaign_id: strOrNull(row, 'campaign_id'),
    reasons: json<string[]>(row, 'reasons'),
    source: str(row, 'source'),
  };
}

/**
 * The row of an enforcement entry.
 *
 * @example
 * const rows = db.prepare(sql).all().map(toEnforcement);
 */
export function toEnforcement(row: Row): EnforcementRow {
  return {
    account_id: str(row, 'account_id'),
    action: str(row, 'action') as Action,
    reasons: json<string[]>(row, 'reasons'),
    case_ref: str(row, 'case_ref'),
    campaign_id: strOrNull(row, 'campaign_id'),
    allowlisted: flag(row, 'allowlisted'),
    source: str(row, 'source'),
    updated_at: str(row, 'updated_at'),
  };
}

/**
 * The row of an audit record.
 *
 * @example
 * const rows = db.prepare(sql).all().map(toAudit);
 */
export function toAudit(row: Row): AuditRow {
  return {
    id: Number(row.id),
    at: str(row, 'at'),
    actor: str(row, 'actor'),
    action: str(row, 'action'),
    target: str(row, 'target'),
    reason: str(row, 'reason'),
    details: json<Record<string, unknown>>(row, 'details'),
  };
}

/**
 * The row of a stored campaign report.
 *
 * @example
 * const rows = db.prepare(sql).all().map(toCampaign);
 */
export function toCampaign(row: Row): CampaignRow {
  return { ...json<CampaignReport>(row, 'body'), updated_at: str(row, 'updated_at') };
}
