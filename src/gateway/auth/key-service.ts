/**
 * Operator actions on API keys (create, list, revoke, rotate), shared by the admin API and the
 * `keys` command. Secrets are minted here, returned once, and never stored; every change is
 * audited and pushed into the live key cache so it applies from the next request.
 */

import type { KeyRow } from '../../store/types.js';
import { ServiceError } from '../admin/service-error.js';
import type { LimitSpec } from '../ports.js';
import type { Actor, ServiceDeps } from './account-service.js';
import { mintKey } from './secrets.js';

export interface NewKey {
  accountId: string;
  scopes?: string[];
  expiresAt?: string | null;
  limits?: LimitSpec;
  name?: string | null;
}

/** A key as shown to operators: everything but the hash. */
export type PublicKey = Omit<KeyRow, 'hash'>;

/** A newly created key and its secret, which is shown exactly once. */
export interface CreatedKey {
  key: PublicKey;
  secret: string;
}

export interface KeyService {
  createKey(input: NewKey, who: Actor): Promise<CreatedKey>;
  listKeys(opts?: { accountId?: string; limit?: number }): Promise<PublicKey[]>;
  getKey(id: string): Promise<PublicKey>;
  revokeKey(id: string, who: Actor): Promise<PublicKey>;
  /**
   * Issues a replacement with the same account, scopes and limits. The old key stops working
   * after `graceSeconds` (default 0: immediately), so clients can switch without downtime.
   */
  rotateKey(
    id: string,
    who: Actor & { graceSeconds?: number },
  ): Promise<CreatedKey & { previous: PublicKey }>;
}

/**
 * Drops the hash from a key row.
 *
 * @example
 * res.end(JSON.stringify(publicKey(row)));
 */
export function publicKey(row: KeyRow): PublicKey {
  const { hash: _hash, ...rest } = row;
  return rest;
}

/**
 * @example
 * const keys = createKeyService({ store, serverSecret, authenticator });
 * const { key, secret } = await keys.createKey({ accountId: 'acct-1' }, { actor: 'ops' });
 */
export function createKeyService(deps: ServiceDeps & { serverSecret: Buffer }): KeyService {
  const { store } = deps;
  const nowDate = (): Date => deps.now?.() ?? new Date();

  const audit = (who: Actor, action: string, target: string, details: Record<string, unknown>) =>
    store.appendAudit({
      at: nowDate().toISOString(),
      actor: who.actor,
      action,
      target,
      reason: who.reason ?? '',
      details,
    });

  async function load(id: string): Promise<KeyRow> {
    const row = await store.getKey(id);
    if (row === undefined) throw new ServiceError('not_found', `no key with id "${id}"`);
    return row;
  }

  async function insert(input: NewKey): Promise<{ row: KeyRow; secret: string }> {
    if (
      input.expiresAt !== undefined &&
      input.expiresAt !== null &&
      Number.isNaN(Date.parse(input.expiresAt))
    ) {
      throw new ServiceError(
        'invalid',
        `expires_at must be an RFC 3339 date-time, got ${JSON.stringify(input.expiresAt)}`,
      );
    }
    for (const s of input.scopes ?? []) {
      if (typeof s !== 'string' || s.trim() === '')
        throw new ServiceError('invalid', 'scopes must be non-empty model names');
    }
    const minted = mintKey(deps.serverSecret);
    const row: KeyRow = {
      id: minted.id,
      prefix: minted.prefix,
      hash: minted.hash,
      account_id: input.accountId,
      scopes: input.scopes ?? [],
      expires_at: input.expiresAt == null ? null : new Date(input.expiresAt).toISOString(),
      revoked_at: null,
      limits: input.limits ?? {},
      created_at: nowDate().toISOString(),
      name: input.name ?? null,
    };
    await store.insertKey(row);
    deps.authenticator?.applyKey(row);
    return { row, secret: minted.secret };
  }

  return {
    async createKey(input, who) {
      const account = await store.getAccount(input.accountId);
      if (account === undefined)
        throw new ServiceError('not_found', `no account with id "${input.accountId}"`);
      // The account must reach the live cache too, or its first key has no account data.
      deps.authenticator?.applyAccount(account);
      const { row, secret } = await insert(input);
      await audit(who, 'key.create', `key:${row.id}`, {
        account_id: row.account_id,
        scopes: row.scopes,
        expires_at: row.expires_at,
        limits: row.limits,
      });
      return { key: publicKey(row), secret };
    },
    async listKeys(opts) {
      return (await store.listKeys(opts)).map(publicKey);
    },
    async getKey(id) {
      return publicKey(await load(id));
    },
    async revokeKey(id, who) {
      await load(id);
      await store.revokeKey(id, nowDate().toISOString());
      const after = await load(id);
      deps.authenticator?.applyKey(after);
      await audit(who, 'key.revoke', `key:${id}`, { account_id: after.account_id });
      return publicKey(after);
    },
    async rotateKey(id, who) {
      const old = await load(id);
      if (old.revoked_at !== null)
        throw new ServiceError('conflict', `key "${id}" is revoked; create a new key instead`);
      const grace = who.graceSeconds ?? 0;
      if (!Number.isFinite(grace) || grace < 0)
        throw new ServiceError('invalid', 'grace seconds must be a non-negative number');
      const { row, secret } = await insert({
        accountId: old.account_id,
        scopes: old.scopes,
        expiresAt: old.expires_at,
        limits: old.limits,
        name: old.name,
      });
      const t = nowDate().getTime();
      if (grace === 0) {
        await store.revokeKey(id, new Date(t).toISOString());
      } else {
        const until = new Date(t + grace * 1000).toISOString();
        const keep = old.expires_at !== null && old.expires_at < until ? old.expires_at : until;
        await store.setKeyExpiry(id, keep);
      }
      const previous = await load(id);
      deps.authenticator?.applyKey(previous);
      await audit(who, 'key.rotate', `key:${id}`, { replacement: row.id, grace_seconds: grace });
      return { key: publicKey(row), secret, previous: publicKey(previous) };
    },
  };
}
