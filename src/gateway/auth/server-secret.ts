/**
 * The server secret that keys the API-key hashes. It comes from DG_SERVER_SECRET, or else from a
 * file beside the database (`<db>.secret`, created once with mode 0600), so the `keys` command
 * and a running gateway on the same database agree without configuration — while a copy of the
 * database alone is not enough to check guessed secrets.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

export const SERVER_SECRET_ENV = 'DG_SERVER_SECRET';
const MIN_LENGTH = 32;

/** The secret is unusable (too short, unreadable); the message says which and how to fix it. */
export class ServerSecretError extends Error {
  override name = 'ServerSecretError';
}

export interface ServerSecretSource {
  /** Database path; the secret file is `${dbPath}.secret`. */
  dbPath: string;
  /** Explicit secret file (overrides the one beside the database). */
  secretFile?: string;
  env?: NodeJS.ProcessEnv;
}

function check(value: string, where: string): Buffer {
  const trimmed = value.trim();
  if (trimmed.length < MIN_LENGTH) {
    throw new ServerSecretError(
      `${where}: server secret must be at least ${MIN_LENGTH} characters, got ${trimmed.length}`,
    );
  }
  return Buffer.from(trimmed, 'utf8');
}

/**
 * Resolves the server secret: env var, then explicit file, then `<db>.secret` (created if absent).
 *
 * @example
 * const secret = resolveServerSecret({ dbPath: 'distillguard.db' });
 */
export function resolveServerSecret(source: ServerSecretSource): Buffer {
  const env = source.env ?? process.env;
  const fromEnv = env[SERVER_SECRET_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return check(fromEnv, SERVER_SECRET_ENV);
  if (source.secretFile !== undefined) return readSecretFile(source.secretFile);
  if (source.dbPath === ':memory:') {
    throw new ServerSecretError(`an in-memory database needs ${SERVER_SECRET_ENV} or a secret file`);
  }
  const path = `${source.dbPath}.secret`;
  try {
    // 'wx' fails if it exists, so two processes starting together cannot both create one.
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ServerSecretError(`cannot create server secret file ${path}: ${(error as Error).message}`);
    }
  }
  return readSecretFile(path);
}

function readSecretFile(path: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ServerSecretError(`cannot read server secret file ${path}: ${(error as Error).message}`);
  }
  return check(text, path);
}
