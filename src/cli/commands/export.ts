/**
 * `distillguard export`: writes a gateway's exchange log (and its accounts) out of its store as
 * the contract's JSON Lines, so `analyze` can run over what the gateway saw — with another policy,
 * after a change to the detector, or on a machine of its own.
 */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { FileAccessError } from '../../contract/file-error.js';
import { createJsonlWriter, type JsonlWriter } from '../../contract/write-jsonl.js';
import { isPostgresUrl } from '../../gateway/shared-state.js';
import { storedAccountRecords, storedEvents } from '../../store/export-log.js';
import type { Store } from '../../store/types.js';
import { UsageError } from '../errors.js';
import { openPostgresForCli, openSqliteForCli } from '../store-open.js';
import { DEFAULT_DB } from './keys.js';

interface ExportFlags {
  db: string;
  store?: string;
  events: string;
  accounts?: string;
}

/** Opens an existing store: a mistyped path must not create an empty database and export nothing. */
async function openExisting(flags: ExportFlags): Promise<Store> {
  const location = flags.store ?? flags.db;
  if (isPostgresUrl(location)) return openPostgresForCli(location);
  const flag = flags.store === undefined ? '--db' : '--store';
  if (!existsSync(location) || !statSync(location).isFile()) {
    throw new UsageError(`${flag}: no database at ${location} (the gateway's --db file)`);
  }
  return openSqliteForCli(location, flag);
}

/** Writes every batch to `path`; returns how many records were written. */
async function writeAll(path: string, batches: AsyncIterable<object[]>): Promise<number> {
  let writer: JsonlWriter | undefined;
  let n = 0;
  try {
    writer = createJsonlWriter(path);
    for await (const batch of batches) {
      for (const record of batch) await writer.write(record);
      n += batch.length;
    }
    await writer.close();
  } catch (error) {
    if (error instanceof FileAccessError) throw new UsageError(error.message);
    throw error;
  }
  return n;
}

const count = (n: number, what: string): string =>
  `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

async function runExport(flags: ExportFlags): Promise<void> {
  const store = await openExisting(flags);
  try {
    const range = await store.eventTimeRange();
    const events = await writeAll(flags.events, storedEvents(store));
    const span = range === undefined ? '' : ` (${range.first} → ${range.last})`;
    process.stdout.write(`exported ${count(events, 'event')}${span} to ${flags.events}\n`);
    if (flags.accounts !== undefined) {
      const accounts = await writeAll(flags.accounts, storedAccountRecords(store));
      process.stdout.write(`exported ${count(accounts, 'account')} to ${flags.accounts}\n`);
    }
  } finally {
    await store.close();
  }
}

/**
 * Adds the `export` subcommand.
 *
 * @example
 * register(program); // distillguard export --db distillguard.db --events events.jsonl.gz --accounts accounts.jsonl
 */
export function register(program: Command): void {
  program
    .command('export')
    .description("Write the gateway's exchange log (and accounts) as JSON Lines for `analyze`.")
    .option('--db <file>', 'SQLite database of the gateway', DEFAULT_DB)
    .option(
      '--store <location>',
      "the gateway's store: a SQLite file, or postgres://user@host:5432/db[?schema=name] shared by replicas (overrides --db)",
    )
    .requiredOption('--events <file>', 'where to write the events, oldest first (.gz compresses)')
    .option('--accounts <file>', 'also write every account as an account record (.gz compresses)')
    .addHelpText(
      'after',
      '\nThen: distillguard analyze --events <file> --accounts <file> --out report.json. A gateway run with\n--content fingerprint stored every text as its SHA-256 and length, so those events carry no prompt text.',
    )
    .action(async (flags: ExportFlags) => {
      await runExport(flags);
    });
}
