/**
 * One call that opens everything the accounts side of the gateway provides, wired together on
 * one store: key authenticator (live cache), limiter, exchange log, enforcement table, decision
 * recorder and the admin API handler — and one `close()` that shuts them down in the order that
 * loses nothing (drain the log, flush decisions and enforcement, then close the database).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventBus } from '../bus/types.js';
import { createDecisionRecorder, type DecisionRecorder } from '../store/decision-recorder.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { ContentMode, Store } from '../store/types.js';
import { ADMIN_TOKEN_ENV } from './admin/admin-token.js';
import { createAdminHandler } from './admin/handler.js';
import { type CachedKeyAuthenticator, createKeyAuthenticator } from './auth/key-authenticator.js';
import { resolveServerSecret } from './auth/server-secret.js';
import { loadEnforcementTable, type PersistentEnforcementTable } from './enforcement-table.js';
import { createExchangeLog, type ExchangeLog } from './exchange-log.js';
import { createLimiter, DEFAULT_LIMITS, type LimitDefaults, type MemoryLimiter } from './limits/limiter.js';

export interface AccountsRuntimeOptions {
  /** SQLite file (created and migrated if new). */
  dbPath: string;
  /** Server secret file; default DG_SERVER_SECRET, else `<db>.secret`. */
  secretFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Admin bearer token; default DG_ADMIN_TOKEN. Absent or short = admin API answers 503. */
  adminToken?: string;
  /** Give the bus here only if the server does not publish exchanges itself (else each is published twice). */
  bus?: EventBus;
  content?: ContentMode;
  retentionDays?: number;
  queueCapacity?: number;
  limits?: LimitDefaults;
  /** How often the key cache checks the store for changes by other processes (ms). */
  keyRefreshMs?: number;
}

export interface AccountsRuntime {
  store: Store;
  authenticator: CachedKeyAuthenticator;
  limiter: MemoryLimiter;
  exchangeLog: ExchangeLog;
  enforcement: PersistentEnforcementTable;
  decisions: DecisionRecorder;
  /** Answers `/admin/...` requests; resolves false for any other path. */
  admin: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Drains the exchange log, flushes decisions and enforcement, stops timers, closes the store. */
  close(): Promise<void>;
}

/**
 * @example
 * const accounts = await openAccountsRuntime({ dbPath: 'distillguard.db', content: 'fingerprint', retentionDays: 30 });
 * const gateway = createGateway({ auth: accounts.authenticator, limiter: accounts.limiter, enforcement: accounts.enforcement, sink: accounts.exchangeLog });
 * process.on('SIGTERM', () => void accounts.close());
 */
export async function openAccountsRuntime(opts: AccountsRuntimeOptions): Promise<AccountsRuntime> {
  const env = opts.env ?? process.env;
  const serverSecret = resolveServerSecret({
    dbPath: opts.dbPath,
    env,
    ...(opts.secretFile === undefined ? {} : { secretFile: opts.secretFile }),
  });
  const store = openSqliteStore({ path: opts.dbPath });
  try {
    const authenticator = await createKeyAuthenticator({
      store,
      serverSecret,
      refreshMs: opts.keyRefreshMs ?? 1000,
    });
    const enforcement = await loadEnforcementTable({ store });
    const limiter = createLimiter({ defaults: opts.limits ?? DEFAULT_LIMITS });
    const exchangeLog = createExchangeLog({
      store,
      ...(opts.bus === undefined ? {} : { bus: opts.bus }),
      ...(opts.content === undefined ? {} : { content: opts.content }),
      ...(opts.retentionDays === undefined ? {} : { retentionDays: opts.retentionDays }),
      ...(opts.queueCapacity === undefined ? {} : { capacity: opts.queueCapacity }),
    });
    const decisions = createDecisionRecorder({ store, enforcement });
    const admin = createAdminHandler({
      store,
      adminToken: opts.adminToken ?? env[ADMIN_TOKEN_ENV],
      serverSecret,
      enforcement,
      authenticator,
    });
    let closed = false;
    return {
      store,
      authenticator,
      limiter,
      exchangeLog,
      enforcement,
      decisions,
      admin,
      async close() {
        if (closed) return;
        closed = true;
        await exchangeLog.close();
        await decisions.flush();
        await enforcement.flush();
        authenticator.close();
        limiter.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
