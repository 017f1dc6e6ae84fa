/**
 * The gateway's `EnforcementTable`: each account's standing action, read from memory on every
 * request, persisted to the store's enforcement table and loaded at start.
 *
 * Two writers with different rights. The detector (`set`) can only escalate: a lower or equal
 * action never replaces a higher one, so decisions are never revised silently. Operators
 * (`override`) can do anything — allowlist, unblock, block, throttle — and every override is
 * audited; overrides win, and an allowlisted account ignores detector decisions until the
 * allowlist is lifted. Changes apply in memory at once, i.e. from the account's next request.
 */
import { type Action, actionRank, type Decision } from '../contract/types.js';
import type { EnforcementRow, Store } from '../store/types.js';
import type { Enforcement, EnforcementTable } from './ports.js';

export const OVERRIDE_KINDS = [
  'allowlist',
  'unallowlist',
  'unblock',
  'block',
  'degrade',
  'throttle',
] as const;
export type OverrideKind = (typeof OVERRIDE_KINDS)[number];

export interface Override {
  kind: OverrideKind;
  actor: string;
  reason: string;
  /** Case reference for the record (ticket id); defaults to one derived from the audit id. */
  caseRef?: string;
}

export interface EnforcementTableOptions {
  store: Store;
  now?: () => Date;
  /** Persistence failures of detector writes (default: one line on stderr). */
  onError?: (error: unknown) => void;
}

export interface PersistentEnforcementTable extends EnforcementTable {
  /** Applies an operator override; resolves once it is stored and audited. Returns the new state. */
  override(accountId: string, o: Override): Promise<Enforcement | undefined>;
  /** Every account with a standing entry. */
  entries(): Array<[string, Enforcement]>;
  /** Resolves when every write so far has reached the store. */
  flush(): Promise<void>;
  /**
   * Replaces an account's entry in memory only — no store write, no audit, no escalation rule:
   * for a replica adopting state another replica already stored and audited (scale-out feed).
   */
  apply(accountId: string, state: (Enforcement & { source?: string }) | undefined): void;
}

/**
 * The enforcement a detector decision asks for.
 *
 * @example
 * table.set(d.account_id, enforcementFromDecision(d));
 */
export function enforcementFromDecision(d: Decision): Enforcement {
  return {
    action: d.action,
    reasons: d.reasons,
    caseRef: d.campaign_id ?? `decision:${d.event_id}`,
    campaignId: d.campaign_id ?? null,
  };
}

function fromRow(row: EnforcementRow): Enforcement & { source: string } {
  return {
    action: row.action,
    reasons: row.reasons,
    caseRef: row.case_ref,
    campaignId: row.campaign_id,
    allowlisted: row.allowlisted,
    source: row.source,
  };
}

const OVERRIDE_ACTION: Record<Exclude<OverrideKind, 'allowlist' | 'unallowlist' | 'unblock'>, Action> = {
  block: 'block',
  degrade: 'degrade',
  throttle: 'throttle',
};

/**
 * Loads the standing enforcement from the store.
 *
 * @example
 * const table = await loadEnforcementTable({ store });
 * const e = table.get(principal.accountId); // on each request
 * await table.override('acct-9', { kind: 'unblock', actor: 'ops', reason: 'false positive, ticket 42' });
 */
export async function loadEnforcementTable(
  opts: EnforcementTableOptions,
): Promise<PersistentEnforcementTable> {
  const { store } = opts;
  const now = (): string => (opts.now?.() ?? new Date()).toISOString();
  const onError =
    opts.onError ??
    ((error: unknown) => {
      process.stderr.write(
        `distillguard: enforcement table: store write failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    });
  const map = new Map<string, Enforcement & { source: string }>();
  for (const row of await store.listEnforcement()) map.set(row.account_id, fromRow(row));

  // Writes are chained so the store sees them in the order the memory did.
  let chain: Promise<void> = Promise.resolve();
  const persist = (accountId: string): Promise<void> => {
    const e = map.get(accountId);
    const row: EnforcementRow | undefined =
      e === undefined
        ? undefined
        : {
            account_id: accountId,
            action: e.action,
            reasons: e.reasons,
            case_ref: e.caseRef,
            campaign_id: e.campaignId,
            allowlisted: e.allowlisted === true,
            source: e.source,
            updated_at: now(),
          };
    const write = chain.then(() =>
      row === undefined ? store.deleteEnforcement(accountId) : store.putEnforcement(row),
    );
    chain = write.catch(onError);
    return write;
  };

  return {
    get(accountId) {
      return map.get(accountId);
    },
    set(accountId, enforcement) {
      const current = map.get(accountId);
      if (current?.allowlisted === true) return;
      if (current !== undefined && actionRank(current.action) >= actionRank(enforcement.action)) return;
      map.set(accountId, { ...enforcement, allowlisted: false, source: 'detector' });
      void persist(accountId).catch(() => undefined);
    },
    clear(accountId) {
      if (!map.delete(accountId)) return;
      void persist(accountId).catch(() => undefined);
    },
    async override(accountId, o) {
      if (!(OVERRIDE_KINDS as readonly string[]).includes(o.kind)) {
        throw new Error(`unknown override "${String(o.kind)}"; expected one of ${OVERRIDE_KINDS.join(', ')}`);
      }
      const before = map.get(accountId);
      const source = `operator:${o.actor}`;
      const caseRef = o.caseRef ?? `override:${accountId}:${now()}`;
      const reasons = [`operator ${o.kind}: ${o.reason}`];
      if (o.kind === 'allowlist') {
        // Action monitor too, so even a reader that ignores the flag enforces nothing.
        map.set(accountId, {
          action: 'monitor',
          reasons,
          caseRef,
          campaignId: null,
          allowlisted: true,
          source,
        });
      } else if (o.kind === 'unallowlist' || o.kind === 'unblock') {
        map.delete(accountId);
      } else {
        map.set(accountId, {
          action: OVERRIDE_ACTION[o.kind],
          reasons,
          caseRef,
          campaignId: before?.campaignId ?? null,
          allowlisted: false,
          source,
        });
      }
      await persist(accountId);
      await store.appendAudit({
        at: now(),
        actor: o.actor,
        action: `enforcement.${o.kind}`,
        target: `account:${accountId}`,
        reason: o.reason,
        details: {
          before:
            before === undefined
              ? null
              : { action: before.action, allowlisted: before.allowlisted === true, source: before.source },
          after: map.has(accountId)
            ? { action: map.get(accountId)?.action, allowlisted: map.get(accountId)?.allowlisted === true }
            : null,
          case_ref: caseRef,
        },
      });
      return map.get(accountId);
    },
    entries() {
      return [...map.entries()];
    },
    async flush() {
      await chain;
    },
    apply(accountId, state) {
      if (state === undefined) map.delete(accountId);
      else map.set(accountId, { ...state, source: state.source ?? 'replica' });
    },
  };
}
