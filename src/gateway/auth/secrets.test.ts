import { describe, expect, it } from 'vitest';
import { hashSecret, mintKey, newKeyId, parseKeyId, verifySecret } from './secrets.js';

const serverSecret = Buffer.from('s'.repeat(32));

describe('key secrets', () => {
  it('mints dg_<id>_<random> secrets whose id parses back and whose hash verifies', () => {
    const minted = mintKey(serverSecret);
    expect(minted.secret).toMatch(/^dg_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    expect(minted.prefix).toBe(`dg_${minted.id}`);
    expect(parseKeyId(minted.secret)).toBe(minted.id);
    expect(minted.hash).toBe(hashSecret(serverSecret, minted.secret));
    expect(verifySecret(serverSecret, minted.secret, minted.hash)).toBe(true);
  });

  it('never mints the same secret or id twice', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newKeyId()));
    expect(ids.size).toBe(1000);
    expect(mintKey(serverSecret).secret).not.toBe(mintKey(serverSecret).secret);
  });

  it('rejects a wrong secret, another server secret and a corrupt stored hash', () => {
    const minted = mintKey(serverSecret);
    const tampered = `${minted.secret.slice(0, -1)}${minted.secret.endsWith('A') ? 'B' : 'A'}`;
    expect(verifySecret(serverSecret, tampered, minted.hash)).toBe(false);
    expect(verifySecret(Buffer.from('t'.repeat(32)), minted.secret, minted.hash)).toBe(false);
    expect(verifySecret(serverSecret, minted.secret, 'abcd')).toBe(false);
  });

  it('rejects strings that do not have the shape of a key', () => {
    const good = mintKey(serverSecret).secret;
    for (const bad of [
      '',
      'sk-abc',
      `${good}x`,
      good.slice(1),
      good.replace('dg_', 'dx_'),
      `dg_ABCDEFGHIJKL_${'a'.repeat(43)}`,
    ]) {
      expect(parseKeyId(bad)).toBeUndefined();
    }
  });
});
