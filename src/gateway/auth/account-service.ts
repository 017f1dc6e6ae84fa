/**
 * Operator actions on organisations and accounts, shared by the admin API and the `keys`
 * command: validate, write to the store, audit, and update the live key cache so a change
 * (e.g. verification, which sets default limits) applies from the next request.
 */

import type { AccountRow, OrgRow, Store } from '../../store/types.js';
import { ServiceError } from '../admin/service-error.js';
import type { LimitSpec } from '../ports.js';
import type { CachedKeyAuthenticator } from './key-authenticator.js';

/** Who is acting and why; recorded in the audit log. */
export interface Actor {
  actor: string;
  reason?: string;
}

export interface ServiceDeps {
  store: Store;
  /** The gateway's live cache, when running inside the gateway. */
  authenticator?: CachedKeyAuthenticator;
  now?: () => Date;
}

export interface NewAccount {
  id: string;
  orgId?: string | null;
  verified?: boolean;
  signupChannel?: string | null;
  paymentFingerprint?: string | null;
  emailDomain?: string | null;
  signupIp?: string | null;
  limits?: LimitSpec;
}

export interface AccountPatch {
  verified?: boolean;
  orgId?: string | null;
  limits?: LimitSpec;
  signupChannel?: string | null;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/**
 * Checks an org/account id: 1–128 characters of letters, digits and `._:@-`.
 *
 * @example
 * checkId('acct-1', 'account id'); // ok; checkId('', 'account id') throws ServiceError
 */
export function checkId(id: string, what: string): void {
  if (!ID.test(id)) {
    throw new ServiceError(
      'invalid',
      `${what} must be 1-128 characters of letters, digits and . _ : @ -, got ${JSON.stringify(id)}`,
    );
  }
}

export interface AccountService {
  createOrg(org: { id: string; name?: string; limits?: LimitSpec }, who: Actor): Promise<OrgRow>;
  listOrgs(limit?: number): Promise<OrgRow[]>;
  /** Creates the account (and its org if `orgId` names one that does not exist yet). */
  createAccount(input: NewAccount, who: Actor): Promise<AccountRow>;
  /** Returns the account, creating it first if absent. */
  ensureAccount(input: NewAccount, who: Actor): Promise<{ account: AccountRow; created: boolean }>;
  getAccount(id: string): Promise<AccountRow>;
  listAccounts(opts?: { orgId?: string; limit?: number }): Promise<AccountRow[]>;
  updateAccount(id: string, patch: AccountPatch, who: Actor): Promise<AccountRow>;
}

/**
 * @example
 * const accounts = createAccountService({ store, authenticator });
 * await accounts.createAccount({ id: 'acct-1', orgId: 'acme', verified: true }, { actor: 'ops' });
 */
export function createAccountService(deps: ServiceDeps): AccountService {
  const { store } = deps;
  const now = (): string => (deps.now?.() ?? new Date()).toISOString();

  const audit = (who: Actor, action: string, target: string, details: Record<string, unknown>) =>
    store.appendAudit({ at: now(), actor: who.actor, action, target, reason: who.reason ?? '', details });

  async function ensureOrg(id: string, who: Actor): Promise<void> {
    if ((await store.getOrg(id)) !== undefined) return;
    await service.createOrg({ id }, who);
  }

  const service: AccountService = {
    async createOrg(input, who) {
      checkId(input.id, 'org id');
      if ((await store.getOrg(input.id)) !== undefined) {
        throw new ServiceError('conflict', `org "${input.id}" already exists`);
      }
      const org: OrgRow = {
        id: input.id,
        name: input.name ?? input.id,
        created_at: now(),
        limits: input.limits ?? {},
      };
      await store.putOrg(org);
      deps.authenticator?.applyOrg(org);
      await audit(who, 'org.create', `org:${org.id}`, { name: org.name, limits: org.limits });
      return org;
    },
    listOrgs(limit) {
      return store.listOrgs({ limit });
    },
    async createAccount(input, who) {
      checkId(input.id, 'account id');
      if ((await store.getAccount(input.id)) !== undefined) {
        throw new ServiceError('conflict', `account "${input.id}" already exists`);
      }
      if (input.orgId !== undefined && input.orgId !== null) {
        checkId(input.orgId, 'org id');
        await ensureOrg(input.orgId, who);
      }
      const account: AccountRow = {
        id: input.id,
        org_id: input.orgId ?? null,
        created_at: now(),
        verified: input.verified ?? false,
        signup_channel: input.signupChannel ?? null,
        payment_fingerprint: input.paymentFingerprint ?? null,
        email_domain: input.emailDomain ?? null,
        signup_ip: input.signupIp ?? null,
        limits: input.limits ?? {},
      };
      await store.putAccount(account);
      deps.authenticator?.applyAccount(account);
      await audit(who, 'account.create', `account:${account.id}`, {
        org_id: account.org_id,
        verified: account.verified,
        signup_channel: account.signup_channel,
      });
      return account;
    },
    async ensureAccount(input, who) {
      const existing = await store.getAccount(input.id);
      if (existing !== undefined) return { account: existing, created: false };
      return { account: await service.createAccount(input, who), created: true };
    },
    async getAccount(id) {
      const account = await store.getAccount(id);
      if (account === undefined) throw new ServiceError('not_found', `no account with id "${id}"`);
      return account;
    },
    listAccounts(opts) {
      return store.listAccounts(opts);
    },
    async updateAccount(id, patch, who) {
      const before = await service.getAccount(id);
      if (patch.orgId !== undefined && patch.orgId !== null) {
        checkId(patch.orgId, 'org id');
        await ensureOrg(patch.orgId, who);
      }
      const after: AccountRow = {
        ...before,
        verified: patch.verified ?? before.verified,
        org_id: patch.orgId === undefined ? before.org_id : patch.orgId,
        limits: patch.limits ?? before.limits,
        signup_channel: patch.signupChannel === undefined ? before.signup_channel : patch.signupChannel,
      };
      await store.putAccount(after);
      deps.authenticator?.applyAccount(after);
      await audit(who, 'account.update', `account:${id}`, {
        before: diff(before, after),
        after: diff(after, before),
      });
      return after;
    },
  };
  return service;
}

/** Fields of `a` that differ from `b`, for a compact audit record. */
function diff(a: AccountRow, b: AccountRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(a) as Array<keyof AccountRow>) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out[k] = a[k];
  }
  return out;
}
