/**
 * Errors a networked store raises that callers must tell apart from bugs: the admin API answers
 * 503 with the message instead of a bare 500, and the CLI prints it as a usage-level failure.
 */

/** The database could not be reached (refused, timed out, connection lost mid-query). */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Node's connection-level error codes: the server is not there, as opposed to a bad query. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * True when `error` means "the database is unreachable" rather than "this statement is wrong":
 * a socket error code, a PostgreSQL connection-exception/operator-intervention SQLSTATE (class
 * 08 / 57P), or the pool's own timeout and terminated-connection messages.
 *
 * @example
 * isConnectionError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })); // true
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || /^(08|57P)/.test(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  return /timeout exceeded when trying to connect|Connection terminated|connection is closed/i.test(
    error.message,
  );
}
