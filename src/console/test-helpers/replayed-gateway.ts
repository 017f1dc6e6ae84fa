/**
 * A running embedded gateway (SQLite, live detector, mock upstream, console) that has had a small
 * simulated run replayed through it over HTTP, for the console's browser test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { provisionAccounts } from '../../cli/demo/provision.js';
import { replay } from '../../cli/demo/replay.js';
import { openAccounts, openEvents, openLabels } from '../../contract/read-jsonl.js';
import type { AccountRecord, Label } from '../../contract/types.js';
import { resolveServerSecret } from '../../gateway/auth/server-secret.js';
import { parseGatewayConfig } from '../../gateway/config.js';
import { type EmbeddedGateway, startEmbedded } from '../../gateway/embedded.js';
import { startMockUpstream } from '../../gateway/mock-upstream/server.js';
import { simulate } from '../../sim/simulate.js';
import { DEFAULT_MODELS } from '../../sim/world.js';
import { openSqliteStore } from '../../store/sqlite.js';

export const TEST_ADMIN_TOKEN = 'console-browser-test-token-0123';

export interface ReplayedGateway {
  gateway: EmbeddedGateway;
  labels: Label[];
  secrets: Map<string, string>;
  /** Sends one chat request as `accountId`; returns status and API error type. */
  ask(accountId: string): Promise<{ status: number; errorType: string | undefined }>;
  close(): Promise<void>;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * Simulates `scenarios` at a tiny scale, provisions every account, replays every exchange.
 *
 * @example
 * const run = await startReplayedGateway(['deepseek']); await run.close();
 */
export async function startReplayedGateway(scenarios: string[]): Promise<ReplayedGateway> {
  const dir = await mkdtemp(join(tmpdir(), 'dg-console-e2e-'));
  const sim = await simulate({
    outDir: dir,
    seed: 3,
    scale: 0.0003,
    days: 1,
    scenarios,
    dataDir: '../shared/data',
  });
  const accounts: AccountRecord[] = await collect(openAccounts(sim.files.accounts));
  const labels: Label[] = await collect(openLabels(sim.files.labels));
  const dbPath = join(dir, 'console.db');
  const env = { ...process.env, DG_ADMIN_TOKEN: TEST_ADMIN_TOKEN };
  const serverSecret = resolveServerSecret({ dbPath, env });
  const seedStore = openSqliteStore({ path: dbPath });
  const secrets = await provisionAccounts({ store: seedStore, serverSecret, accounts });
  await seedStore.close();
  const mock = await startMockUpstream({ port: 0, replyTokens: 20 });
  const model = Object.values(DEFAULT_MODELS)[0] ?? 'gpt-x';
  const config = parseGatewayConfig(
    {
      upstreams: { mock: { kind: 'openai-compatible', baseUrl: `${mock.url}/v1` } },
      models: Object.fromEntries(
        Object.values(DEFAULT_MODELS).map((name) => [
          name,
          { targets: [{ upstream: 'mock', model: 'mock-small' }] },
        ]),
      ),
      trustProxy: true,
    },
    {},
  );
  const gateway = await startEmbedded({
    config,
    port: 0,
    dbPath,
    env,
    replayTimestamps: true,
    log: () => {},
  });
  await replay({
    url: gateway.url,
    events: openEvents(sim.files.events),
    secrets,
    concurrency: 16,
    onResult: () => {},
  });
  return {
    gateway,
    labels,
    secrets,
    async ask(accountId) {
      const res = await request(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${secrets.get(accountId) ?? ''}`,
        },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }] }),
      });
      const text = await res.body.text();
      let errorType: string | undefined;
      try {
        errorType = (JSON.parse(text) as { error?: { type?: string } }).error?.type;
      } catch {
        errorType = undefined;
      }
      return { status: res.statusCode, errorType };
    },
    async close() {
      await gateway.close();
      await mock.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
