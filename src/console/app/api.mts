/**
 * The console's calls to its server: JSON in and out, the session cookie sent by the browser,
 * and the CSRF token (received at sign-in) on every state-changing request.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrf: string | null = null;

/**
 * Remembers the session's CSRF token (from sign-in or the session check); null after sign-out.
 *
 * @example
 * setCsrf((await api<{ csrf: string }>('GET', '/console/api/session')).csrf);
 */
export function setCsrf(token: string | null): void {
  csrf = token;
}

/**
 * Calls the console API; throws ApiError with the server's message on a non-2xx answer.
 *
 * @example
 * const overview = await api<Overview>('GET', '/console/api/overview');
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf !== null) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ApiError(res.status, `unexpected answer from ${path} (HTTP ${res.status})`);
  }
  if (!res.ok) {
    const message = (parsed as { error?: { message?: string } } | null)?.error?.message;
    throw new ApiError(res.status, message ?? `HTTP ${res.status} from ${path}`);
  }
  return parsed as T;
}

/**
 * Calls the admin API through the console's forwarder (session cookie + CSRF, audited as the operator).
 *
 * @example
 * await admin('POST', 'enforcement/acct_1', { action: 'block', reason: 'confirmed' });
 */
export const admin = <T,>(method: string, path: string, body?: unknown): Promise<T> =>
  api<T>(method, `/console/api/admin/${path}`, body);
