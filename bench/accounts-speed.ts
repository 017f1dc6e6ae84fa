/**
 * Hot-path cost of the accounts pieces, per request: key authentication (valid keys, and floods
 * of malformed or unknown keys), limiter acquire + release, and the exchange log's sustained
 * write rate into a SQLite file (WAL, batched transactions). Each figure is the median of
 * several rounds in one process.
 *
 *   npx tsx bench/accounts-speed.ts [--rounds R] [--no-record]
 *
 * Results are appended to docs/benchmarks.md unless --no-record.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ExchangeEvent } from '../src/contract/types.js';
import { createAccountService } from '../src/gateway/auth/account-service.js';
import { createKeyAuthenticator } from '../src/gateway/auth/key-authenticator.js';
import { createKeyService } from '../src/gateway/auth/key-service.js';
import { newKeyId } from '../src/gateway/auth/secrets.js';
import { createExchangeLog } from '../src/gateway/exchange-log.js';
import { createLimiter } from '../src/gateway/limits/limiter.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { median } from './bench-args.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const { values } = parseArgs({ options: { rounds: { type: 'string' }, 'no-record': { type: 'boolean' } } });
const rounds = Number(values.rounds ?? 5);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds must be a positive whole number, got "${values.rounds}"`);

/** Ops per second of `fn` run `n` times, median over rounds. */
function opsPerSecond(n: number, fn: (i: number) => void): number {
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    rates.push(n / ((performance.now() - t) / 1000));
  }
  return median(rates);
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const dir = mkdtempSync(join(tmpdir(), 'dg-accounts-bench-'));
const serverSecret = Buffer.from('b'.repeat(32));

try {
  const store = openSqliteStore({ path: join(dir, 'gw.db') });
  const auth = await createKeyAuthenticator({ store, serverSecret });
  const accounts = createAccountService({ store, authenticator: auth });
  const keys = createKeyService({ store, serverSecret, authenticator: auth });
  const secrets: string[] = [];
  for (let a = 0; a < 1000; a++) {
    await accounts.createAccount({ id: `acct-${a}`, verified: a % 2 === 0 }, { actor: 'bench' });
    secrets.push((await keys.createKey({ accountId: `acct-${a}` }, { actor: 'bench' })).secret);
  }
  const unknown = Array.from({ length: 10_000 }, () => `dg_${newKeyId()}_${'A'.repeat(43)}`);
  const junk = Array.from({ length: 10_000 }, (_, i) => `sk-proj-${i.toString(36).padStart(40, 'x')}`);

  const valid = opsPerSecond(200_000, (i) => auth.authenticate(secrets[i % secrets.length]));
  const unknownRate = opsPerSecond(200_000, (i) => auth.authenticate(unknown[i % unknown.length]));
  const junkRate = opsPerSecond(200_000, (i) => auth.authenticate(junk[i % junk.length]));

  const limiter = createLimiter({ sweepMs: 0 });
  const principals = secrets.map((s) => {
    const r = auth.authenticate(s);
    if (!r.ok) throw new Error('bench key failed to authenticate');
    return {
      ...r.principal,
      orgId: 'org-1',
      keyLimits: { requestsPerMinute: 1e9, tokensPerMinute: 1e12, concurrentRequests: 1e6 },
      accountLimits: {
        requestsPerMinute: 1e9,
        tokensPerMinute: 1e12,
        dailyBudgetUsd: 1e9,
        monthlyBudgetUsd: 1e9,
      },
      orgLimits: { requestsPerMinute: 1e9, concurrentRequests: 1e6 },
    };
  });
  const usage = { inputTokens: 500, outputTokens: 300, costUsd: 0.001 };
  const limiterRate = opsPerSecond(200_000, (i) => {
    const v = limiter.acquire(principals[i % principals.length] ?? principals[0]!, {
      estimatedTokens: 700,
      estimatedCostUsd: 0.001,
      factor: 1,
    });
    if (v.ok) v.lease.release(usage);
  });

  const event = (i: number): ExchangeEvent => ({
    id: `e${i}`,
    ts: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
    account_id: `acct-${i % 1000}`,
    key_id: 'k',
    client: { ip: '203.0.113.7', user_agent: 'bench/1.0' },
    api: 'openai.chat',
    model: 'm',
    request: {
      messages: [{ role: 'user', content: `Explain step by step how to solve problem ${i}. `.repeat(8) }],
      max_tokens: 512,
    },
    response: {
      status: 200,
      input_tokens: 120,
      output_tokens: 400,
      latency_ms: 900,
      text: 'answer '.repeat(200),
    },
  });
  const logRates: Record<'full' | 'fingerprint', number[]> = { full: [], fingerprint: [] };
  const N = 20_000;
  // Built before timing: the figure is the log's cost, not the cost of making test events.
  const events = Array.from({ length: N }, (_, i) => event(i));
  for (let r = 0; r < rounds; r++) {
    for (const content of ['full', 'fingerprint'] as const) {
      const log = createExchangeLog({ store, content, capacity: N });
      const t = performance.now();
      for (const e of events) log.offer(e);
      await log.drain();
      logRates[content].push(N / ((performance.now() - t) / 1000));
      if (log.stats.written !== N) throw new Error(`exchange log wrote ${log.stats.written} of ${N}`);
    }
  }
  await store.close();

  const lines = [
    `auth, valid key (HMAC + constant-time compare): ${fmt(valid)} req/s`,
    `auth, well-formed unknown key id: ${fmt(unknownRate)} req/s (0 store lookups)`,
    `auth, malformed key: ${fmt(junkRate)} req/s (0 store lookups)`,
    `limiter acquire+release, 3 scopes × 5 limits: ${fmt(limiterRate)} req/s`,
    `exchange log → SQLite file (WAL, 500/txn), ~2.1 KB events, full content: ${fmt(median(logRates.full))} events/s`,
    `exchange log → SQLite file, fingerprint content: ${fmt(median(logRates.fingerprint))} events/s`,
  ];
  for (const l of lines) process.stdout.write(`${l}\n`);
  process.stdout.write(`1-min load average: ${loadavg()[0]?.toFixed(1)}\n`);
  if (values['no-record'] !== true) {
    mkdirSync('docs', { recursive: true });
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    appendFileSync(
      'docs/benchmarks.md',
      `\n## Accounts hot path (bench/accounts-speed.ts, ${new Date().toISOString().slice(0, 10)})\n\n` +
        `Median of ${rounds} rounds, one process, ${cpus().length} × ${cpu}, Node ${process.version}; ` +
        `1-min load average at the end ${loadavg()[0]?.toFixed(1)} (the cores are shared, so these are lower bounds).\n\n` +
        lines.map((l) => `- ${l}`).join('\n') +
        '\n',
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
