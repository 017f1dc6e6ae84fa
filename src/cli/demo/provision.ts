/**
 * Gives every simulated account a real account and API key on the demo gateway, through the same
 * services the admin API and `keys` command use, so the replay exercises real key checks.
 */
import type { AccountRecord } from '../../contract/types.js';
import { createAccountService } from '../../gateway/auth/account-service.js';
import type { CachedKeyAuthenticator } from '../../gateway/auth/key-authenticator.js';
import { createKeyService } from '../../gateway/auth/key-service.js';
import type { LimitSpec } from '../../gateway/ports.js';
import type { Store } from '../../store/types.js';

/**
 * Limits high enough that replaying days of traffic in seconds never trips them: the demo is about
 * detection, and the limiter has tests of its own.
 */
export const REPLAY_LIMITS: LimitSpec = {
  requestsPerMinute: 1_000_000,
  tokensPerMinute: 1_000_000_000,
  concurrentRequests: 10_000,
  dailyBudgetUsd: 1_000_000,
  monthlyBudgetUsd: 10_000_000,
};

export interface ProvisionOptions {
  store: Store;
  serverSecret: Buffer;
  authenticator?: CachedKeyAuthenticator;
  accounts: AccountRecord[];
}

/**
 * Creates orgs, accounts (with their sign-up facts and creation time) and one key per account.
 *
 * @example
 * const secrets = await provisionAccounts({ store, serverSecret, accounts });
 * secrets.get('acct_1'); // 'dg_…'
 */
export async function provisionAccounts(opts: ProvisionOptions): Promise<Map<string, string>> {
  const who = { actor: 'demo', reason: 'replaying a simulated run' };
  const orgs = new Set<string>();
  const secrets = new Map<string, string>();
  for (const record of opts.accounts) {
    // Each account keeps its simulated creation time: account age is a detection signal.
    const deps = {
      store: opts.store,
      authenticator: opts.authenticator,
      now: () => new Date(record.created_at),
    };
    const accounts = createAccountService(deps);
    if (record.org_id !== undefined && !orgs.has(record.org_id)) {
      orgs.add(record.org_id);
      await accounts.createOrg({ id: record.org_id, limits: REPLAY_LIMITS }, who);
    }
    await accounts.createAccount(
      {
        id: record.account_id,
        orgId: record.org_id ?? null,
        verified: record.verified ?? false,
        signupChannel: record.signup_channel ?? null,
        paymentFingerprint: record.payment_fingerprint ?? null,
        emailDomain: record.email_domain ?? null,
        signupIp: record.signup_ip ?? null,
        limits: REPLAY_LIMITS,
      },
      who,
    );
    const keys = createKeyService({ ...deps, serverSecret: opts.serverSecret });
    const { secret } = await keys.createKey({ accountId: record.account_id, limits: REPLAY_LIMITS }, who);
    secrets.set(record.account_id, secret);
  }
  return secrets;
}
