import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../main.js';

describe('distillguard serve / mock-upstream', () => {
  let dir: string;
  let err: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dg-serve-'));
    err = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    vi.stubEnv('DG_SERVER_SECRET', '');
    vi.stubEnv('DG_ADMIN_TOKEN', '');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (...args: string[]) => main(['node', 'distillguard', ...args]);

  async function waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    for (let i = 0; i < 400; i++) {
      const match = err.join('').match(pattern);
      if (match !== null) return match;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no ${pattern} in: ${err.join('')}`);
  }

  it('needs --config or --mock-upstream', async () => {
    expect(await run('serve')).toBe(2);
    expect(err.join('')).toContain('serve needs --config FILE (or --mock-upstream');
  });

  it('reports config errors naming the file and field, without a stack', async () => {
    const path = join(dir, 'gw.json');
    writeFileSync(
      path,
      JSON.stringify({ upstreams: { u: { kind: 'grpc', baseUrl: 'http://x' } }, models: {} }),
    );
    expect(await run('serve', '--config', path)).toBe(2);
    expect(err.join('')).toContain(`config: ${path}: upstreams.u.kind: must be`);
    expect(err.join('')).not.toContain('    at ');
    expect(await run('serve', '--mock-upstream', '--content', 'everything')).toBe(2);
  });

  it('runs with --mock-upstream and shuts down gracefully on SIGTERM', async () => {
    const done = run('serve', '--mock-upstream', '--port', '0', '--db', join(dir, 'dg.db'));
    const [, url] = await waitFor(/listening on (http:\/\/[^ ]+)/);
    expect(err.join('')).toContain('exchange log and detector on their own thread');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    process.emit('SIGTERM');
    expect(await done).toBe(0);
    expect(err.join('')).toContain('stopped');
  });

  it('keeps the log and detector on the request thread with --no-exchange-thread', async () => {
    const done = run(
      'serve',
      '--mock-upstream',
      '--port',
      '0',
      '--db',
      join(dir, 'dg.db'),
      '--no-exchange-thread',
    );
    const [, url] = await waitFor(/listening on (http:\/\/[^ ]+)/);
    expect(err.join('')).toContain('exchange log and detector on the request thread');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    process.emit('SIGTERM');
    expect(await done).toBe(0);
  });

  it('refuses a bad --policy file naming it, and --policy with --bus', async () => {
    const path = join(dir, 'policy.json');
    writeFileSync(path, JSON.stringify({ schema: 'distillguard.policy/1', account: {} }));
    expect(await run('serve', '--mock-upstream', '--policy', path)).toBe(2);
    expect(err.join('')).toContain(`--policy: ${path}`);
    expect(err.join('')).not.toContain('    at ');
    expect(await run('serve', '--mock-upstream', '--policy', path, '--bus', 'nats://127.0.0.1:4222')).toBe(2);
    expect(err.join('')).toContain('with --bus the detector workers decide');
  });

  it('runs the detector on --policy and shows its path and thresholds in the console', async () => {
    const token = 'serve-policy-test-token-0123';
    vi.stubEnv('DG_ADMIN_TOKEN', token);
    const path = join(dir, 'strict.json');
    const strict = {
      schema: 'distillguard.policy/1',
      account: { monitor: 0.5, throttle: 0.9, degrade: 0.95, block: 0.97 },
      campaign: { minAccounts: 4, linkScore: 0.05, monitor: 0.4, throttle: 0.6, degrade: 0.7, block: 0.85 },
      tracking: { idleEvictHours: 72, maxAccounts: 1000 },
    };
    writeFileSync(path, JSON.stringify(strict));
    const done = run('serve', '--mock-upstream', '--port', '0', '--db', join(dir, 'dg.db'), '--policy', path);
    const [, url] = await waitFor(/listening on (http:\/\/[^ ]+)/);
    const signIn = await fetch(`${url}/console/api/session`, {
      method: 'POST',
      body: JSON.stringify({ token }),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const policy = (await (await fetch(`${url}/console/api/policy`, { headers: { cookie } })).json()) as {
      source: string;
      campaign: { block: number };
    };
    expect(policy.source).toBe(path);
    expect(policy.campaign.block).toBe(0.85);
    process.emit('SIGTERM');
    expect(await done).toBe(0);
  });

  it('mock-upstream serves until SIGINT', async () => {
    const done = run('mock-upstream', '--port', '0', '--latency-ms', '1');
    const [, url] = await waitFor(/mock upstream listening on (http:\/\/[^ ]+) /);
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: unknown[] };
    expect(models.data.length).toBeGreaterThan(0);
    process.emit('SIGINT');
    expect(await done).toBe(0);
  });
});
