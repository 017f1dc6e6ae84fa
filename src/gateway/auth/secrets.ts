/**
 * API key secrets: `dg_<keyid>_<random>`. The key id is public (it names the key in logs and
 * listings and is the cache's lookup key); the random part is 32 bytes from crypto.randomBytes.
 * Only HMAC-SHA256(server secret, secret) is ever stored, and comparisons are constant-time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Base32 (RFC 4648 alphabet, lower case): no `_`, so the id never collides with the separator. */
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const ID_LENGTH = 12;
/** 32 random bytes in base64url without padding. */
const RANDOM_LENGTH = 43;
const SHAPE = /^dg_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;

/** A freshly minted key: the secret to show once, and what to store. */
export interface MintedKey {
  id: string;
  prefix: string;
  secret: string;
  hash: string;
}

/**
 * Makes a new random key id (12 base32 characters, 60 bits).
 *
 * @example
 * newKeyId(); // 'q3mz7k2abx4d'
 */
export function newKeyId(): string {
  const bytes = randomBytes(ID_LENGTH);
  let id = '';
  for (const b of bytes) id += ID_ALPHABET[b & 31];
  return id;
}

/**
 * The public prefix of a key, safe to display.
 *
 * @example
 * keyPrefix('q3mz7k2abx4d'); // 'dg_q3mz7k2abx4d'
 */
export function keyPrefix(id: string): string {
  return `dg_${id}`;
}

/**
 * Keyed hash of a secret, hex. The server secret means a stolen database alone cannot be used
 * to test guessed secrets offline.
 *
 * @example
 * hashSecret(serverSecret, 'dg_q3mz7k2abx4d_...'); // '5f1c…' (64 hex chars)
 */
export function hashSecret(serverSecret: Buffer, secret: string): string {
  return createHmac('sha256', serverSecret).update(secret, 'utf8').digest('hex');
}

/**
 * Mints a new key secret and its stored hash.
 *
 * @example
 * const { id, secret, hash } = mintKey(serverSecret); // show `secret` once, store `hash`
 */
export function mintKey(serverSecret: Buffer, id: string = newKeyId()): MintedKey {
  const random = randomBytes(32).toString('base64url');
  const secret = `${keyPrefix(id)}_${random}`;
  return { id, prefix: keyPrefix(id), secret, hash: hashSecret(serverSecret, secret) };
}

/**
 * Extracts the key id from a presented secret, or undefined if it does not have the shape of
 * one of our keys (so junk is rejected without any lookup).
 *
 * @example
 * parseKeyId('dg_q3mz7k2abx4d_' + 'A'.repeat(43)); // 'q3mz7k2abx4d'
 * parseKeyId('sk-foo'); // undefined
 */
export function parseKeyId(secret: string): string | undefined {
  if (secret.length !== 3 + ID_LENGTH + 1 + RANDOM_LENGTH) return undefined;
  return SHAPE.exec(secret)?.[1];
}

/**
 * Constant-time check that `secret` hashes to `storedHashHex`.
 *
 * @example
 * verifySecret(serverSecret, secret, row.hash); // true
 */
export function verifySecret(serverSecret: Buffer, secret: string, storedHashHex: string): boolean {
  const presented = createHmac('sha256', serverSecret).update(secret, 'utf8').digest();
  const stored = Buffer.from(storedHashHex, 'hex');
  // Both are SHA-256 digests, so lengths match unless the stored value is corrupt.
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
