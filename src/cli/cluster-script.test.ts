/**
 * `scripts/cluster.sh` end to end on the machine's real PostgreSQL, Redis and NATS: it starts
 * 2 gateways and 2 detector workers through the real CLI; a key made through gateway A's admin
 * API works on gateway B, a block made through A is enforced by B, and on `stop` the campaign
 * stage's report counts every exchange both gateways served. `clean` removes the run's schema,
 * streams and Redis keys.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectForTest, NATS_URL } from '../bus/test-helpers/nats.js';
import { connectTestRedis, TEST_REDIS_URL } from '../gateway/testing/redis-env.js';
import { requirePostgres, TEST_POSTGRES_URL } from '../store/test-helpers/postgres-env.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'dg-cluster-script-'));
let env: NodeJS.ProcessEnv;
let started = false;

const script = (command: string) =>
  run('bash', ['scripts/cluster.sh', command], { env, timeout: 150_000, maxBuffer: 1 << 20 });

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port p with p and p + 1 free (the script uses PORT_BASE and PORT_BASE + 1). */
async function freePair(): Promise<number> {
  for (let p = 20_000 + (process.pid % 2000) * 2; p < 65_000; p += 2) {
    if ((await portFree(p)) && (await portFree(p + 1))) return p;
  }
  throw new Error('no two consecutive free ports');
}

function clusterEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(join(dir, 'cluster.env'), 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m !== null) out[m[1] as string] = (m[2] as string).replace(/^'(.*)'$/, '$1');
  }
  return out;
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  // Name the missing server before the slow start.
  await requirePostgres();
  (await connectTestRedis()).disconnect();
  await (await connectForTest()).close();
  const base = await freePair();
  env = {
    ...process.env,
    DG_CLUSTER_DIR: dir,
    PORT_BASE: String(base),
    DG_STORE: TEST_POSTGRES_URL,
    DG_REDIS: TEST_REDIS_URL,
    DG_BUS: NATS_URL,
    DG_SERVER_SECRET: '',
    DG_ADMIN_TOKEN: '',
  };
  started = true;
  await script('start');
}, 180_000);

afterAll(async () => {
  if (!started) return;
  if (existsSync(join(dir, 'pids'))) await script('stop').catch(() => undefined);
  if (existsSync(join(dir, 'cluster.env'))) await script('clean');
}, 60_000);

describe('scripts/cluster.sh', () => {
  it('a key made on gateway A works on B; a block through A is enforced by B; stop writes the report', async () => {
    const c = clusterEnv();
    expect(c.DG_CLUSTER_STORE).toMatch(/[?&]schema=dg_c\d+$/);
    const [a, b] = (c.DG_CLUSTER_PORTS as string).split(' ').map((p) => `http://127.0.0.1:${p}`) as [
      string,
      string,
    ];
    const admin = async (path: string, body: object) => {
      const res = await fetch(`${a}/admin/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${c.DG_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    let served = 0;
    const chat = async (url: string, secret: string) => {
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock-small', messages: [{ role: 'user', content: 'hello' }] }),
      });
      await res.text();
      if (res.status === 200 || res.status === 403) served++;
      return res.status;
    };

    expect((await admin('/accounts', { id: 'acct-1', verified: true })).status).toBe(201);
    const created = await admin('/keys', { account_id: 'acct-1' });
    expect(created.status).toBe(201);
    const secret = String(created.body.secret);
    await until('key made on A works on B', async () => ((await chat(b, secret)) === 200 ? true : undefined));
    expect(await chat(a, secret)).toBe(200);

    expect((await admin('/enforcement/acct-1', { action: 'block', reason: 'cluster test' })).status).toBe(
      200,
    );
    await until('B refuses after a block through A', async () =>
      (await chat(b, secret)) === 403 ? true : undefined,
    );

    const stopped = await script('stop');
    expect(stopped.stdout).toMatch(/stopped gateway-0[\s\S]*stopped gateway-1[\s\S]*stopped detector-0/);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { events: number };
    // Every exchange of both gateways reached the one campaign stage.
    expect(report.events).toBe(served);
  }, 120_000);
});
