/**
 * `distillguard keys create|list|revoke|rotate`: manage API keys in the gateway's store (its
 * SQLite file, or with `--store postgres://…` the PostgreSQL store scale-out replicas share) from
 * the terminal. A secret is printed exactly once, at creation or rotation; only its keyed hash is
 * stored. Changes are audited with `--actor` (default: the OS user) and picked up by a running
 * gateway on the same store within its key-cache refresh interval (2 s).
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { ServiceError } from '../../gateway/admin/service-error.js';
import { createAccountService } from '../../gateway/auth/account-service.js';
import { createKeyService, type KeyService, type PublicKey } from '../../gateway/auth/key-service.js';
import {
  resolveServerSecret,
  SERVER_SECRET_ENV,
  ServerSecretError,
} from '../../gateway/auth/server-secret.js';
import type { LimitSpec } from '../../gateway/ports.js';
import { isPostgresUrl } from '../../gateway/shared-state.js';
import { StoreUnavailableError } from '../../store/errors.js';
import type { Store } from '../../store/types.js';
import { parseDuration } from '../duration-option.js';
import { UsageError } from '../errors.js';
import { intOption } from '../int-option.js';
import { openPostgresForCli, openSqliteForCli } from '../store-open.js';
import { amountOption, parseExpires, parseScopes } from './keys-options.js';

export const DEFAULT_DB = 'distillguard.db';

interface CommonFlags {
  db: string;
  store?: string;
  secretFile?: string;
  actor?: string;
  reason?: string;
  json?: boolean;
}

interface CreateFlags extends CommonFlags {
  account: string;
  org?: string;
  verified?: boolean;
  channel?: string;
  scopes?: string[];
  expires?: string;
  name?: string;
  rpm?: number;
  tpm?: number;
  concurrency?: number;
  dailyBudget?: number;
  monthlyBudget?: number;
}

function defaultActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/**
 * The store and server secret `flags` name: `--store postgres://…` (the scale-out store the
 * gateway replicas share; its secret must be the replicas' DG_SERVER_SECRET or --secret-file,
 * never a new one) or the SQLite file of `--store FILE` / `--db`.
 */
async function openKeysStore(
  flags: CommonFlags,
  create: boolean,
): Promise<{ store: Store; serverSecret: Buffer }> {
  const location = flags.store ?? flags.db;
  const secretSource = flags.secretFile === undefined ? {} : { secretFile: flags.secretFile };
  if (isPostgresUrl(location)) {
    const env = process.env[SERVER_SECRET_ENV];
    if ((env === undefined || env === '') && flags.secretFile === undefined) {
      throw new UsageError(
        `a PostgreSQL store is shared by the gateway replicas: set ${SERVER_SECRET_ENV} (or --secret-file) to the value they use`,
      );
    }
    let serverSecret: Buffer;
    try {
      serverSecret = resolveServerSecret({ dbPath: ':memory:', ...secretSource });
    } catch (error) {
      if (error instanceof ServerSecretError) throw new UsageError(error.message);
      throw error;
    }
    return { store: await openPostgresForCli(location), serverSecret };
  }
  // Only `create` may start a new database: a mistyped --db for list/revoke must not silently
  // create an empty one (and a fresh server secret) and report "no keys".
  const flag = flags.store === undefined ? '--db' : '--store';
  if (!create && !existsSync(location)) {
    throw new UsageError(`${flag}: no database at ${location} (check the path; \`keys create\` creates one)`);
  }
  let serverSecret: Buffer;
  try {
    serverSecret = resolveServerSecret({ dbPath: location, ...secretSource });
  } catch (error) {
    if (error instanceof ServerSecretError) throw new UsageError(error.message);
    throw error;
  }
  return { store: openSqliteForCli(location, '--db'), serverSecret };
}

/** Opens the store and services, runs `fn`, closes; service refusals become usage errors. */
async function withKeys<T>(
  flags: CommonFlags,
  fn: (ctx: { store: Store; keys: KeyService }) => Promise<T>,
  opts: { create: boolean } = { create: false },
): Promise<T> {
  const { store, serverSecret } = await openKeysStore(flags, opts.create);
  try {
    return await fn({ store, keys: createKeyService({ store, serverSecret }) });
  } catch (error) {
    if (error instanceof ServiceError)
      throw new UsageError(error.message, error.kind === 'not_found' ? 1 : 2);
    if (error instanceof StoreUnavailableError) throw new UsageError(error.message, 1);
    throw error;
  } finally {
    await store.close();
  }
}

function status(k: PublicKey, now: number): string {
  if (k.revoked_at !== null && Date.parse(k.revoked_at) <= now) return 'revoked';
  if (k.expires_at !== null && Date.parse(k.expires_at) <= now) return 'expired';
  return 'active';
}

/**
 * Aligns rows into columns for the terminal.
 *
 * @example
 * formatTable([['ID', 'ACCOUNT'], ['dg_x', 'a1']]);
 */
export function formatTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

function printSecret(
  flags: CommonFlags,
  key: PublicKey,
  secret: string,
  headline: string,
  extra: object = {},
): void {
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify({ ...key, secret, ...extra })}\n`);
    return;
  }
  process.stdout.write(
    `${headline}\n\n  ${secret}\n\nThis secret is shown once and cannot be recovered; store it now.\n`,
  );
}

function commonOptions(cmd: Command): Command {
  return cmd
    .option('--db <file>', 'SQLite database of the gateway', DEFAULT_DB)
    .option(
      '--store <location>',
      "the gateway's store: a SQLite file, or postgres://user@host:5432/db[?schema=name] shared by replicas (overrides --db)",
    )
    .option(
      '--secret-file <file>',
      'server secret keying the key hashes (default: DG_SERVER_SECRET, else <db>.secret)',
    )
    .option('--actor <name>', 'who is acting, for the audit log (default: cli:<OS user>)')
    .option('--json', 'machine-readable output (one JSON object per line)');
}

/**
 * Adds the `keys` subcommand group.
 *
 * @example
 * register(program); // distillguard keys create --account acct-1 --org acme --verified --scopes gpt-x --expires 90d
 */
export function register(program: Command): void {
  const keys = program
    .command('keys')
    .description('Create, list, revoke and rotate API keys in the gateway database.');

  commonOptions(keys.command('create'))
    .description('Create a key for an account (created if absent); prints the secret once.')
    .requiredOption('--account <id>', 'account the key bills to')
    .option('--org <id>', 'organisation of a new account (created if absent)')
    .option('--verified', 'mark a new account as verified (unverified accounts get lower default limits)')
    .option('--channel <name>', 'sign-up channel of a new account, e.g. self-serve, education, reseller')
    .option('--scopes <models>', 'comma-separated models the key may use (default: all)', parseScopes)
    .option('--expires <when>', 'expiry: a duration (30d, 12h) or an RFC 3339 date-time')
    .option('--name <label>', 'a label for the key')
    .option('--rpm <n>', 'per-key requests per minute', intOption('--rpm', 0, 1e9))
    .option('--tpm <n>', 'per-key tokens per minute', intOption('--tpm', 0, 1e12))
    .option('--concurrency <n>', 'per-key concurrent requests', intOption('--concurrency', 0, 1e6))
    .option('--daily-budget <usd>', 'per-key daily cost budget in USD', amountOption('--daily-budget'))
    .option('--monthly-budget <usd>', 'per-key monthly cost budget in USD', amountOption('--monthly-budget'))
    .option('--reason <text>', 'why, for the audit log')
    .action(async (flags: CreateFlags) => {
      const expiresAt = flags.expires === undefined ? undefined : parseExpires(flags.expires, Date.now());
      const limits: LimitSpec = {};
      if (flags.rpm !== undefined) limits.requestsPerMinute = flags.rpm;
      if (flags.tpm !== undefined) limits.tokensPerMinute = flags.tpm;
      if (flags.concurrency !== undefined) limits.concurrentRequests = flags.concurrency;
      if (flags.dailyBudget !== undefined) limits.dailyBudgetUsd = flags.dailyBudget;
      if (flags.monthlyBudget !== undefined) limits.monthlyBudgetUsd = flags.monthlyBudget;
      const who = { actor: flags.actor ?? defaultActor(), reason: flags.reason };
      await withKeys(
        flags,
        async ({ store, keys: service }) => {
          const { created } = await createAccountService({ store }).ensureAccount(
            {
              id: flags.account,
              orgId: flags.org,
              verified: flags.verified === true,
              signupChannel: flags.channel,
            },
            who,
          );
          const ignored = [
            flags.org === undefined ? '' : '--org',
            flags.verified === true ? '--verified' : '',
            flags.channel === undefined ? '' : '--channel',
          ].filter((f) => f !== '');
          if (!created && ignored.length > 0) {
            // Silently ignoring them would leave the operator believing the account changed.
            process.stderr.write(
              `distillguard: account ${flags.account} already exists; ${ignored.join(', ')} ignored (change accounts with the admin API)\n`,
            );
          }
          const { key, secret } = await service.createKey(
            { accountId: flags.account, scopes: flags.scopes, expiresAt, limits, name: flags.name },
            who,
          );
          printSecret(
            flags,
            key,
            secret,
            `Created key ${key.id} for account ${key.account_id}${created ? ' (new account)' : ''}${
              key.expires_at === null ? '' : `, expires ${key.expires_at}`
            }.`,
            { account_created: created },
          );
        },
        { create: true },
      );
    });

  commonOptions(keys.command('list'))
    .description('List keys (never their secrets).')
    .option('--account <id>', 'only keys of this account')
    .option('--limit <n>', 'at most this many keys', intOption('--limit', 1, 10_000), 1000)
    .action(async (flags: CommonFlags & { account?: string; limit: number }) => {
      await withKeys(flags, async ({ keys: service }) => {
        const rows = await service.listKeys({ accountId: flags.account, limit: flags.limit });
        const now = Date.now();
        if (flags.json === true) {
          for (const k of rows) process.stdout.write(`${JSON.stringify({ ...k, status: status(k, now) })}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write('no keys\n');
          return;
        }
        const table = [['KEY', 'ACCOUNT', 'STATUS', 'SCOPES', 'EXPIRES', 'CREATED', 'NAME']];
        for (const k of rows) {
          table.push([
            k.id,
            k.account_id,
            status(k, now),
            k.scopes.length === 0 ? '*' : k.scopes.join(','),
            k.expires_at ?? '-',
            k.created_at,
            k.name ?? '',
          ]);
        }
        process.stdout.write(`${formatTable(table)}\n`);
      });
    });

  commonOptions(keys.command('revoke'))
    .description('Revoke a key; a running gateway refuses it from its next key-cache refresh.')
    .argument('<key-id>', 'the key id (the part after dg_ in the secret, or as listed)')
    .option('--reason <text>', 'why, for the audit log')
    .action(async (keyId: string, flags: CommonFlags) => {
      await withKeys(flags, async ({ keys: service }) => {
        const key = await service.revokeKey(normaliseId(keyId), {
          actor: flags.actor ?? defaultActor(),
          reason: flags.reason,
        });
        if (flags.json === true) process.stdout.write(`${JSON.stringify(key)}\n`);
        else
          process.stdout.write(
            `Revoked key ${key.id} (account ${key.account_id}) at ${key.revoked_at ?? '?'}.\n`,
          );
      });
    });

  commonOptions(keys.command('rotate'))
    .description(
      'Issue a replacement key with the same account, scopes and limits; prints the new secret once.',
    )
    .argument('<key-id>', 'the key to replace')
    .option('--grace <duration>', 'keep the old key working this long (e.g. 1h); default: revoke at once')
    .option('--reason <text>', 'why, for the audit log')
    .action(async (keyId: string, flags: CommonFlags & { grace?: string }) => {
      const graceSeconds = flags.grace === undefined ? 0 : parseDuration('--grace', flags.grace) / 1000;
      await withKeys(flags, async ({ keys: service }) => {
        const r = await service.rotateKey(normaliseId(keyId), {
          actor: flags.actor ?? defaultActor(),
          reason: flags.reason,
          graceSeconds,
        });
        const old =
          graceSeconds === 0
            ? 'revoked now'
            : `valid until ${r.previous.expires_at ?? r.previous.revoked_at ?? '?'}`;
        printSecret(flags, r.key, r.secret, `Rotated key ${r.previous.id} -> ${r.key.id} (old key ${old}).`, {
          previous: r.previous,
        });
      });
    });
}

/** Accepts the listed id, the displayed prefix `dg_<id>`, or a whole secret (only its id part is used). */
function normaliseId(id: string): string {
  return id.startsWith('dg_') ? (id.slice(3).split('_')[0] ?? id) : id;
}
