/**
 * Opening the gateway's store from a CLI command (`keys`, `export`): a PostgreSQL location or a
 * SQLite file, with failures turned into usage errors that name the flag instead of a stack.
 */
import { openPostgresLocation } from '../gateway/shared-state.js';
import { StoreUnavailableError } from '../store/errors.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { UsageError } from './errors.js';

/**
 * Opens the PostgreSQL store at `location` (`postgres://…[?schema=name]`); an unreachable or
 * unusable server is a usage error with exit code 1.
 *
 * @example
 * const store = await openPostgresForCli('postgres://postgres@127.0.0.1:5432/dg?schema=dg');
 */
export async function openPostgresForCli(location: string): Promise<Store> {
  try {
    return (await openPostgresLocation(location, () => undefined)).store;
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw new UsageError(`--store: ${error.message}`, 1);
    throw new UsageError(`--store: cannot open the PostgreSQL store: ${(error as Error).message}`, 1);
  }
}

/**
 * Opens (or creates) the SQLite store file at `path`; a file SQLite cannot open is a usage error
 * naming `flag`.
 *
 * @example
 * const store = openSqliteForCli('distillguard.db', '--db');
 */
export function openSqliteForCli(path: string, flag: string): Store {
  try {
    return openSqliteStore({ path });
  } catch (error) {
    throw new UsageError(`${flag}: cannot open database ${path}: ${(error as Error).message}`);
  }
}
