/**
 * Per-request cost of the gateway's key check: `authenticate()` on one valid key, with the
 * verified-secret cache (the default) and without it (HMAC-SHA256 every time), alternated over
 * several rounds on the same in-memory store; prints the medians in microseconds per call.
 *
 *   npx tsx bench/gateway/auth-speed.ts [--calls N] [--rounds N]
 */
import { parseArgs } from 'node:util';
import { createKeyAuthenticator } from '../../src/gateway/auth/key-authenticator.js';
import { mintKey } from '../../src/gateway/auth/secrets.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { reportErrors } from '../script-errors.js';

reportErrors(import.meta.url);

const T0 = '2026-01-01T00:00:00.000Z';

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!(Number.isInteger(n) && n > 0)) {
    process.stderr.write(`auth-speed: --${name} must be a positive whole number, got "${text}"\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { calls: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '5' } },
  });
  const calls = positive('calls', values.calls);
  const rounds = positive('rounds', values.rounds);
  const serverSecret = Buffer.from('b'.repeat(32));
  const store = openSqliteStore({ path: ':memory:' });
  await store.putAccount({
    id: 'a1',
    org_id: null,
    created_at: T0,
    verified: true,
    signup_channel: null,
    payment_fingerprint: null,
    email_domain: null,
    signup_ip: null,
    limits: {},
  });
  const minted = mintKey(serverSecret);
  await store.insertKey({
    id: minted.id,
    prefix: minted.prefix,
    hash: minted.hash,
    account_id: 'a1',
    scopes: [],
    expires_at: null,
    revoked_at: null,
    limits: {},
    created_at: T0,
    name: null,
  });
  const variants = {
    cached: await createKeyAuthenticator({ store, serverSecret }),
    'hmac every call': await createKeyAuthenticator({ store, serverSecret, verifiedCacheSize: 0 }),
  };
  const samples: Record<string, number[]> = { cached: [], 'hmac every call': [] };
  for (let r = 0; r < rounds; r++) {
    for (const [name, auth] of Object.entries(variants)) {
      const start = performance.now();
      for (let i = 0; i < calls; i++) {
        if (!auth.authenticate(minted.secret).ok) throw new Error('benchmark key was refused');
      }
      samples[name]?.push(((performance.now() - start) * 1000) / calls);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  for (const [name, xs] of Object.entries(samples))
    process.stdout.write(`${name.padEnd(16)} ${median(xs).toFixed(3)} µs/call (median of ${rounds})\n`);
  await store.close();
}

await main();
