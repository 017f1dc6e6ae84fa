/**
 * A bounded memory of key secrets already proven against their stored HMAC, so a repeat request
 * with the same key compares bytes instead of computing HMAC-SHA256. Each entry is tied to the
 * stored hash it was proven against: a re-hashed (rotated) key never matches an old proof.
 * Revocation and expiry are not cached here; the authenticator checks them on every request.
 */
import { timingSafeEqual } from 'node:crypto';

interface Proof {
  secret: Buffer;
  hash: string;
}

export interface VerifiedSecrets {
  /** Whether `secret` was proven for key `id` while its stored hash was `hash`. Constant-time in the secret. */
  has(id: string, secret: string, hash: string): boolean;
  /** Remembers a proof; evicts the oldest entry when full. */
  add(id: string, secret: string, hash: string): void;
  forget(id: string): void;
  clear(): void;
  readonly size: number;
}

/**
 * @example
 * const verified = createVerifiedSecrets(10_000);
 * if (!verified.has(id, secret, row.hash)) {
 *   if (!verifySecret(serverSecret, secret, row.hash)) return reject();
 *   verified.add(id, secret, row.hash);
 * }
 */
export function createVerifiedSecrets(capacity: number): VerifiedSecrets {
  if (!(Number.isInteger(capacity) && capacity >= 0)) {
    throw new RangeError(`verified-secret cache size must be a whole number ≥ 0, got ${capacity}`);
  }
  // One proof per key id (a key has one secret), insertion-ordered for oldest-first eviction.
  const proofs = new Map<string, Proof>();
  return {
    has(id, secret, hash) {
      const proof = proofs.get(id);
      if (proof === undefined || proof.hash !== hash) return false;
      const presented = Buffer.from(secret, 'utf8');
      // Same length is public (the key shape fixes it); the bytes are compared in constant time.
      return presented.length === proof.secret.length && timingSafeEqual(presented, proof.secret);
    },
    add(id, secret, hash) {
      if (capacity === 0) return;
      proofs.delete(id);
      if (proofs.size >= capacity) {
        const oldest = proofs.keys().next();
        if (oldest.done !== true) proofs.delete(oldest.value);
      }
      proofs.set(id, { secret: Buffer.from(secret, 'utf8'), hash });
    },
    forget(id) {
      proofs.delete(id);
    },
    clear() {
      proofs.clear();
    },
    get size() {
      return proofs.size;
    },
  };
}
