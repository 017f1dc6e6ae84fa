/**
 * The gateway's `KeyAuthenticator`: every key, with its account and org, is held in memory, so
 * authenticating a request never touches the database. Malformed secrets are rejected by shape
 * and unknown key ids by the in-memory index — a flood of junk keys costs no store lookups.
 *
 * The cache stays current two ways: writes made in this process (admin API, key service) are
 * applied directly and take effect on the next request; changes made by another process sharing
 * the store (e.g. `distillguard keys revoke` against a running gateway) are noticed by polling
 * one revision counter and reloading only when it moved.
 */

import type { AccountRow, KeyRow, OrgRow, Store } from '../../store/types.js';
import type { AuthResult, KeyAuthenticator, LimitSpec, Principal } from '../ports.js';
import { parseKeyId, verifySecret } from './secrets.js';
import { createVerifiedSecrets } from './verified-secrets.js';

export interface KeyAuthenticatorOptions {
  store: Store;
  serverSecret: Buffer;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** How often to poll the store's auth revision for changes by other processes; 0 = never. */
  refreshMs?: number;
  /** Most verified secrets remembered so repeat requests skip HMAC-SHA256 (0 = none). */
  verifiedCacheSize?: number;
}

/** Counters for monitoring and tests. */
export interface AuthStats {
  accepted: number;
  malformed: number;
  unknownId: number;
  badSecret: number;
  expired: number;
  revoked: number;
  reloads: number;
}

export interface CachedKeyAuthenticator extends KeyAuthenticator {
  /** Synchronous: the whole answer comes from memory. */
  authenticate(secret: string | undefined): AuthResult;
  /** Applies a key written by this process (new, revoked, re-expired). */
  applyKey(key: KeyRow): void;
  /** Applies an account written by this process (e.g. verification or limits changed). */
  applyAccount(account: AccountRow): void;
  applyOrg(org: OrgRow): void;
  /** Reloads everything if the store's auth revision changed; returns whether it reloaded. */
  refreshIfChanged(): Promise<boolean>;
  readonly stats: Readonly<AuthStats>;
  /** Stops the refresh timer. */
  close(): void;
}

interface Cache {
  revision: number;
  keys: Map<string, KeyRow>;
  accounts: Map<string, AccountRow>;
  orgs: Map<string, OrgRow>;
}

async function load(store: Store): Promise<Cache> {
  const snap = await store.authSnapshot();
  return {
    revision: snap.revision,
    keys: new Map(snap.keys.map((k) => [k.id, k])),
    accounts: new Map(snap.accounts.map((a) => [a.id, a])),
    orgs: new Map(snap.orgs.map((o) => [o.id, o])),
  };
}

const NO_LIMITS: LimitSpec = {};

/**
 * Loads every key from the store and returns an authenticator backed by that cache.
 *
 * @example
 * const auth = await createKeyAuthenticator({ store, serverSecret, refreshMs: 1000 });
 * const result = auth.authenticate(bearerToken);
 * if (result.ok) route(result.principal);
 */
export async function createKeyAuthenticator(opts: KeyAuthenticatorOptions): Promise<CachedKeyAuthenticator> {
  const now = opts.now ?? Date.now;
  let cache = await load(opts.store);
  const stats: AuthStats = {
    accepted: 0,
    malformed: 0,
    unknownId: 0,
    badSecret: 0,
    expired: 0,
    revoked: 0,
    reloads: 0,
  };
  let refreshing: Promise<boolean> | undefined;
  // HMAC-SHA256 on every request was ~3 % of the gateway's CPU under load; a key's secret only
  // has to be proven against its stored hash once per hash.
  const verified = createVerifiedSecrets(opts.verifiedCacheSize ?? 10_000);

  const principalOf = (key: KeyRow): Principal => {
    const account = cache.accounts.get(key.account_id);
    const orgId = account?.org_id ?? null;
    const org = orgId === null ? undefined : cache.orgs.get(orgId);
    return {
      keyId: key.id,
      accountId: key.account_id,
      orgId,
      scopes: key.scopes,
      verified: account?.verified ?? false,
      keyLimits: key.limits,
      accountLimits: account?.limits ?? NO_LIMITS,
      orgLimits: org?.limits ?? NO_LIMITS,
    };
  };

  const refreshIfChanged = (): Promise<boolean> => {
    // Coalesce overlapping polls into one reload.
    refreshing ??= (async () => {
      try {
        const revision = await opts.store.authRevision();
        if (revision === cache.revision) return false;
        cache = await load(opts.store);
        // Keys may have been deleted or re-hashed elsewhere: forget every proof.
        verified.clear();
        stats.reloads++;
        return true;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };

  const timer =
    opts.refreshMs !== undefined && opts.refreshMs > 0
      ? setInterval(() => {
          // A failed poll keeps the last good cache; the next tick tries again.
          refreshIfChanged().catch(() => undefined);
        }, opts.refreshMs)
      : undefined;
  timer?.unref();

  return {
    stats,
    authenticate(secret) {
      if (secret === undefined || secret === '') return { ok: false, reason: 'missing_key' };
      const id = parseKeyId(secret);
      if (id === undefined) {
        stats.malformed++;
        return { ok: false, reason: 'invalid_key' };
      }
      const key = cache.keys.get(id);
      if (key === undefined) {
        stats.unknownId++;
        return { ok: false, reason: 'invalid_key' };
      }
      // Verify the secret before saying anything about the key's state, so revoked/expired is
      // only ever revealed to someone who holds the real secret.
      if (!verified.has(id, secret, key.hash)) {
        if (!verifySecret(opts.serverSecret, secret, key.hash)) {
          stats.badSecret++;
          return { ok: false, reason: 'invalid_key' };
        }
        verified.add(id, secret, key.hash);
      }
      const t = now();
      if (key.revoked_at !== null && Date.parse(key.revoked_at) <= t) {
        stats.revoked++;
        return { ok: false, reason: 'revoked_key' };
      }
      if (key.expires_at !== null && Date.parse(key.expires_at) <= t) {
        stats.expired++;
        return { ok: false, reason: 'expired_key' };
      }
      stats.accepted++;
      return { ok: true, principal: principalOf(key) };
    },
    applyKey(key) {
      cache.keys.set(key.id, key);
      verified.forget(key.id);
    },
    applyAccount(account) {
      cache.accounts.set(account.id, account);
    },
    applyOrg(org) {
      cache.orgs.set(org.id, org);
    },
    refreshIfChanged,
    close() {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
