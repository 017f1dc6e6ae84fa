/**
 * The durable state of a gateway deployment behind one async interface. The embedded default is
 * SQLite (`sqlite.ts`); the scale-out deployment implements the same interface on PostgreSQL,
 * so every method is async even though better-sqlite3 answers synchronously.
 *
 * Times are RFC 3339 UTC strings with millisecond precision (`Date#toISOString`), which sort
 * lexically in time order — the SQL indexes rely on that.
 */
import type { Action, CampaignReport, Decision, ExchangeEvent } from '../contract/types.js';
import type { LimitSpec } from '../gateway/ports.js';

/** An organisation: a group of accounts billed and limited together. */
export interface OrgRow {
  id: string;
  name: string;
  created_at: string;
  limits: LimitSpec;
}

/** A customer account; the sign-up fields mirror the contract's account record. */
export interface AccountRow {
  id: string;
  org_id: string | null;
  created_at: string;
  verified: boolean;
  signup_channel: string | null;
  payment_fingerprint: string | null;
  email_domain: string | null;
  signup_ip: string | null;
  limits: LimitSpec;
}

/** An API key. The secret itself is never stored: only its keyed hash. */
export interface KeyRow {
  /** Public id, also the middle part of the secret (`dg_<id>_<random>`). */
  id: string;
  /** Public prefix shown in listings, e.g. `dg_abcd2345efgh`. */
  prefix: string;
  /** HMAC-SHA256(server secret, full secret), hex. */
  hash: string;
  account_id: string;
  /** Models this key may use; empty = all. */
  scopes: string[];
  expires_at: string | null;
  revoked_at: string | null;
  limits: LimitSpec;
  created_at: string;
  name: string | null;
}

/** How an event's text was kept: the whole contract event, or only hashes and lengths of text. */
export type ContentMode = 'full' | 'fingerprint';

/** A decision as stored: the contract decision plus where it came from. */
export interface DecisionRow extends Decision {
  id: number;
  /** `detector` for automatic decisions, `operator:<who>` for manual ones. */
  source: string;
}

/** A campaign as stored; updated in place as the detector links more accounts. */
export interface CampaignRow extends CampaignReport {
  updated_at: string;
}

/** An account's standing enforcement and any operator override on it. */
export interface EnforcementRow {
  account_id: string;
  action: Action;
  reasons: string[];
  case_ref: string;
  campaign_id: string | null;
  /** Operator override: the detector's decisions are recorded but never enforced. */
  allowlisted: boolean;
  /** Who set the standing action: `detector` or `operator:<who>`. */
  source: string;
  updated_at: string;
}

/** One operator action: who did what to which object, when and why. */
export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  reason: string;
  details: Record<string, unknown>;
}

export type NewAudit = Omit<AuditRow, 'id'>;

/** Everything authentication needs, loaded in one call to fill a key cache. */
export interface AuthSnapshot {
  /** Read before the rows, so a change made during loading shows up as a newer revision. */
  revision: number;
  orgs: OrgRow[];
  /** Accounts that own at least one key. */
  accounts: AccountRow[];
  keys: KeyRow[];
}

/** Exchanges logged in one time bucket, and how many of them were answered with an error. */
export interface EventCountBucket {
  /** Bucket start, RFC 3339 (buckets are aligned to the Unix epoch). */
  start: string;
  exchanges: number;
  /** Answered with an HTTP status of 400 or more (refusals and failures). */
  errors: number;
}

/** Paging for list calls: newest first unless stated, at most `limit` rows. */
export interface ListOptions {
  limit?: number;
}

/** Where a page of the exchange log ended: the last event's stored ts and insertion sequence. */
export interface EventCursor {
  ts: string;
  seq: number;
}

/**
 * Everything the gateway, the keys command and the admin API persist.
 *
 * @example
 * const store = openSqliteStore({ path: 'distillguard.db' });
 * await store.putAccount({ ...newAccount('acct-1'), verified: true });
 * const keys = await store.listKeys({ accountId: 'acct-1' });
 */
export interface Store {
  // Organisations
  putOrg(org: OrgRow): Promise<void>;
  getOrg(id: string): Promise<OrgRow | undefined>;
  listOrgs(opts?: ListOptions): Promise<OrgRow[]>;

  // Accounts
  /** Inserts or replaces the account. */
  putAccount(account: AccountRow): Promise<void>;
  getAccount(id: string): Promise<AccountRow | undefined>;
  /** Accounts by id; `afterId` pages on from the previous page's last id (not with `orgId`). */
  listAccounts(opts?: ListOptions & { orgId?: string; afterId?: string }): Promise<AccountRow[]>;

  // Keys
  insertKey(key: KeyRow): Promise<void>;
  getKey(id: string): Promise<KeyRow | undefined>;
  listKeys(opts?: ListOptions & { accountId?: string }): Promise<KeyRow[]>;
  /** Marks the key revoked at `at`; returns false if there is no such key. Idempotent. */
  revokeKey(id: string, at: string): Promise<boolean>;
  /** Sets expires_at (for rotation grace periods); returns false if there is no such key. */
  setKeyExpiry(id: string, expiresAt: string | null): Promise<boolean>;
  /**
   * A number that changes whenever keys, accounts or orgs change (in any process sharing the
   * store), so caches can poll it cheaply instead of reloading.
   */
  authRevision(): Promise<number>;
  /** All keys with their accounts and orgs (unpaged), for filling an in-memory key cache. */
  authSnapshot(): Promise<AuthSnapshot>;

  // Exchange events
  /** Inserts a batch, and adds it to the per-minute roll-up, in one transaction. */
  insertEvents(events: ExchangeEvent[], mode: ContentMode): Promise<void>;
  listEvents(opts?: ListOptions & { accountId?: string; since?: string }): Promise<ExchangeEvent[]>;
  /**
   * The log in (ts, insertion) order, a page at a time: the events after `after` (the previous
   * page's `next`; from the start without it). `next` is undefined on the last page.
   */
  pageEvents(
    opts: ListOptions & { after?: EventCursor },
  ): Promise<{ events: ExchangeEvent[]; next?: EventCursor }>;
  countEvents(): Promise<number>;
  /** An account's most recent events, newest first (the account view's "recent exchanges"). */
  listLatestEvents(opts: ListOptions & { accountId: string }): Promise<ExchangeEvent[]>;
  /** Times of the oldest and newest event in the log, or undefined when it is empty. */
  eventTimeRange(): Promise<{ first: string; last: string } | undefined>;
  /**
   * Events with `from` ≤ ts < `to`, counted per `bucketMs`-wide bucket (aligned to the Unix
   * epoch), oldest first; buckets without events are left out. When `from` and `to` fall on whole
   * minutes and `bucketMs` is a whole number of minutes the answer comes from the per-minute
   * roll-up (`event_minutes`, kept by `insertEvents` and `deleteEventsBefore`) and costs one row per
   * minute of the window; otherwise every event in the window is read. Both give the same counts.
   */
  countEventsByTime(opts: { from: string; to: string; bucketMs: number }): Promise<EventCountBucket[]>;
  /** Deletes events older than `ts` (and their part of the roll-up); returns how many went. */
  deleteEventsBefore(ts: string): Promise<number>;

  // Detector output
  insertDecisions(decisions: Decision[], source: string): Promise<void>;
  listDecisions(opts?: ListOptions & { accountId?: string }): Promise<DecisionRow[]>;
  putCampaign(campaign: CampaignReport, updatedAt: string): Promise<void>;
  getCampaign(id: string): Promise<CampaignRow | undefined>;
  listCampaigns(opts?: ListOptions): Promise<CampaignRow[]>;

  // Enforcement
  putEnforcement(row: EnforcementRow): Promise<void>;
  deleteEnforcement(accountId: string): Promise<void>;
  listEnforcement(): Promise<EnforcementRow[]>;

  // Audit
  appendAudit(entry: NewAudit): Promise<AuditRow>;
  listAudit(opts?: ListOptions & { target?: string }): Promise<AuditRow[]>;

  close(): Promise<void>;
}
