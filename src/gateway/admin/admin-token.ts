/**
 * The admin API's bearer token check. Both sides are hashed to fixed-length digests before the
 * constant-time comparison, so neither the content nor the length of the token leaks by timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const ADMIN_TOKEN_ENV = 'DG_ADMIN_TOKEN';
export const MIN_ADMIN_TOKEN_LENGTH = 16;

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * True if the `Authorization` header carries `Bearer <expected>`.
 *
 * @example
 * adminTokenMatches(req.headers.authorization, process.env.DG_ADMIN_TOKEN ?? ''); // boolean
 */
export function adminTokenMatches(authorization: string | undefined, expected: string): boolean {
  if (authorization === undefined || expected === '') return false;
  const match = /^Bearer[ \t]+(\S+)\s*$/i.exec(authorization);
  const presented = match?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(expected)) && presented !== '';
}
