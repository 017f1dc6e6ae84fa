/**
 * Scale-out state on the real servers: how fast a block and a key revocation made through
 * replica A are enforced by replica B (p50/p99 over N trials each), the shared Redis limiter's
 * admission rate from two replicas, and PostgreSQL event inserts in batches. Uses a fresh
 * PostgreSQL schema and Redis key prefix and removes them afterwards.
 *
 *   npx tsx bench/scale-out.ts [--trials N] [--no-record]
 *
 * Servers: DG_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test) and
 * DG_TEST_REDIS_URL (default redis://127.0.0.1:6379). Results are appended to
 * docs/benchmarks.md unless --no-record.
 */
import { appendFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { ExchangeEvent } from '../src/contract/types.js';
import { createKeyAuthenticator } from '../src/gateway/auth/key-authenticator.js';
import { createKeyService } from '../src/gateway/auth/key-service.js';
import { startEnforcementFeed } from '../src/gateway/enforcement-feed.js';
import { loadEnforcementTable } from '../src/gateway/enforcement-table.js';
import { createLimiter } from '../src/gateway/limits/limiter.js';
import { createRedisLimiter } from '../src/gateway/limits/redis-limiter.js';
import type { Principal } from '../src/gateway/ports.js';
import { connectTestRedis, deletePrefix, freshPrefix } from '../src/gateway/testing/redis-env.js';
import { openPostgresStore } from '../src/store/postgres.js';
import {
  dropSchema,
  freshSchemaName,
  requirePostgres,
  TEST_POSTGRES_URL,
} from '../src/store/test-helpers/postgres-env.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const { values } = parseArgs({ options: { trials: { type: 'string' }, 'no-record': { type: 'boolean' } } });
const trials = Number(values.trials ?? 100);
if (!Number.isInteger(trials) || trials < 10)
  throw new Error(`--trials must be a whole number ≥ 10, got "${values.trials}"`);

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function waitFor(cond: () => boolean): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > 5000) throw new Error('not propagated within 5 s');
    await new Promise((r) => setImmediate(r));
  }
}

await requirePostgres();
const schema = freshSchemaName();
const prefix = freshPrefix();
const secret = Buffer.alloc(32, 3);
const lines: string[] = [];
const say = (line: string): void => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};

const storeA = await openPostgresStore({ url: TEST_POSTGRES_URL, schema, poolSize: 4 });
const storeB = await openPostgresStore({ url: TEST_POSTGRES_URL, schema, poolSize: 4 });
const clients = await Promise.all([1, 2, 3, 4].map(() => connectTestRedis()));
const [ra, sa, rb, sb] = clients as [
  (typeof clients)[0],
  (typeof clients)[0],
  (typeof clients)[0],
  (typeof clients)[0],
];
try {
  const authA = await createKeyAuthenticator({ store: storeA, serverSecret: secret, refreshMs: 0 });
  const authB = await createKeyAuthenticator({ store: storeB, serverSecret: secret, refreshMs: 0 });
  const feedA = await startEnforcementFeed({
    redis: ra,
    subscriber: sa,
    table: await loadEnforcementTable({ store: storeA }),
    authenticator: authA,
    prefix: `${prefix}:enf`,
  });
  const feedB = await startEnforcementFeed({
    redis: rb,
    subscriber: sb,
    table: await loadEnforcementTable({ store: storeB }),
    authenticator: authB,
    prefix: `${prefix}:enf`,
  });

  const block: number[] = [];
  for (let i = 0; i < trials; i++) {
    const t0 = performance.now();
    await feedA.table.override(`acct-${i}`, { kind: 'block', actor: 'bench', reason: 'bench' });
    await waitFor(() => feedB.table.get(`acct-${i}`)?.action === 'block');
    block.push(performance.now() - t0);
  }
  block.sort((x, y) => x - y);
  say(
    `- block through A enforced by B (override stored+audited, then published): p50 ${pct(block, 50).toFixed(1)} ms, p99 ${pct(block, 99).toFixed(1)} ms, max ${block.at(-1)?.toFixed(1)} ms over ${trials} trials  [bar p99 ≤ 1 s]`,
  );

  await storeA.putAccount({
    id: 'bench-acct',
    org_id: null,
    created_at: new Date().toISOString(),
    verified: true,
    signup_channel: null,
    payment_fingerprint: null,
    email_domain: null,
    signup_ip: null,
    limits: {},
  });
  const keys = createKeyService({
    store: storeA,
    serverSecret: secret,
    authenticator: feedA.announceAuth(authA),
  });
  const revoke: number[] = [];
  for (let i = 0; i < trials; i++) {
    const created = await keys.createKey({ accountId: 'bench-acct' }, { actor: 'bench' });
    await waitFor(() => authB.authenticate(created.secret).ok);
    const t0 = performance.now();
    await keys.revokeKey(created.key.id, { actor: 'bench', reason: 'bench' });
    await waitFor(() => {
      const r = authB.authenticate(created.secret);
      return !r.ok && r.reason === 'revoked_key';
    });
    revoke.push(performance.now() - t0);
  }
  revoke.sort((x, y) => x - y);
  say(
    `- key revocation through A refused by B: p50 ${pct(revoke, 50).toFixed(1)} ms, p99 ${pct(revoke, 99).toFixed(1)} ms, max ${revoke.at(-1)?.toFixed(1)} ms over ${trials} trials (${trials} keys in the cache B reloads)  [bar p99 ≤ 1 s]`,
  );
  authA.close();
  authB.close();
  await feedA.close();
  await feedB.close();

  // Shared limiter: two replicas, 64 requests in flight, account limit high enough to admit all.
  const limA = createRedisLimiter({
    redis: ra,
    fallback: createLimiter({ sweepMs: 0 }),
    prefix: `${prefix}:lim`,
  });
  const limB = createRedisLimiter({
    redis: rb,
    fallback: createLimiter({ sweepMs: 0 }),
    prefix: `${prefix}:lim`,
  });
  const principal = (i: number): Principal => ({
    keyId: `k${i % 50}`,
    accountId: `a${i % 50}`,
    orgId: 'o1',
    scopes: [],
    verified: true,
    keyLimits: { requestsPerMinute: 1_000_000 },
    accountLimits: { requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000, concurrentRequests: 1000 },
    orgLimits: { dailyBudgetUsd: 1_000_000 },
  });
  const total = 20_000;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async (_, w) => {
      const lim = w % 2 === 0 ? limA : limB;
      while (next < total) {
        const i = next++;
        const v = await lim.acquire(principal(i), {
          estimatedTokens: 100,
          estimatedCostUsd: 0.001,
          factor: 1,
        });
        if (!v.ok) throw new Error(`unexpected refusal: ${v.limit}`);
        v.lease.release({ inputTokens: 50, outputTokens: 60, costUsd: 0.001 });
      }
    }),
  );
  const rate = total / ((performance.now() - t0) / 1000);
  say(
    `- shared limiter acquire+release (3 scopes, all 5 kinds of limit), 2 replicas × 32 in flight: ${Math.round(rate).toLocaleString('en')} req/s`,
  );

  // PostgreSQL event inserts, 500 per batch (the gateway's exchange log batches similarly).
  const body = 'x'.repeat(1500);
  const batch = (b: number): ExchangeEvent[] =>
    Array.from({ length: 500 }, (_, i) => ({
      id: `e-${b}-${i}`,
      ts: new Date(Date.UTC(2026, 10, 23) + b * 500 + i).toISOString(),
      account_id: `a${i % 50}`,
      client: { ip: '10.0.0.1' },
      api: 'openai.chat',
      model: 'm',
      request: { messages: [{ role: 'user', content: body }] },
    }));
  const batches = 40;
  const t1 = performance.now();
  for (let b = 0; b < batches; b++) await storeA.insertEvents(batch(b), 'full');
  const evRate = (batches * 500) / ((performance.now() - t1) / 1000);
  say(
    `- PostgreSQL event inserts, ~1.7 KB events, 500 per batch: ${Math.round(evRate).toLocaleString('en')} events/s`,
  );
} finally {
  await deletePrefix(ra, prefix).catch(() => undefined);
  for (const c of clients) c.disconnect();
  await storeA.close();
  await storeB.close();
  await dropSchema(schema);
}

const load = loadavg()[0]?.toFixed(1);
say(`- 1-min load average at the end: ${load}`);
if (values['no-record'] !== true) {
  appendFileSync(
    'docs/benchmarks.md',
    `\n## Scale-out shared state (bench/scale-out.ts, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)\n\n` +
      `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; PostgreSQL and Redis on the same machine (shared with other work).\n` +
      `Command: \`npx tsx bench/scale-out.ts --trials ${trials}\`\n\n${lines.join('\n')}\n`,
  );
}
