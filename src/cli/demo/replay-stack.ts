/**
 * A simulated run made ready to replay: the labelled files, every account provisioned with a real
 * key, the mock upstream, and the embedded gateway (SQLite, in-process detector) routing the
 * simulator's models to the mock, trusting edge headers and accepting replay times. The demo and
 * the console's browser test both start from this.
 */
import { join } from 'node:path';
import { openAccounts, openLabels } from '../../contract/read-jsonl.js';
import type { AccountRecord, Label } from '../../contract/types.js';
import { resolveServerSecret } from '../../gateway/auth/server-secret.js';
import { type GatewayConfig, parseGatewayConfig } from '../../gateway/config.js';
import { type EmbeddedGateway, startEmbedded } from '../../gateway/embedded.js';
import { type MockUpstream, startMockUpstream } from '../../gateway/mock-upstream/server.js';
import { type SimulateSummary, simulate } from '../../sim/simulate.js';
import { DEFAULT_MODELS } from '../../sim/world.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { provisionAccounts } from './provision.js';

export interface ReplayStackOptions {
  /** Where the simulated files and the gateway database go. */
  dir: string;
  seed: number;
  scale: number;
  days: number;
  scenarios: string[];
  dataDir: string;
  /** Environment of the gateway (e.g. DG_ADMIN_TOKEN for the console). */
  env?: NodeJS.ProcessEnv;
  /** Reply length of the mock upstream, in tokens. */
  replyTokens?: number;
  /** Gateway log lines and simulator notices. */
  log?: (line: string) => void;
}

export interface ReplayStack {
  sim: SimulateSummary;
  accounts: AccountRecord[];
  labels: Label[];
  /** API key secret per simulated account. */
  secrets: Map<string, string>;
  gateway: EmbeddedGateway;
  mock: MockUpstream;
  /** Stops the gateway (draining its log and detector) and the mock. */
  close(): Promise<void>;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * Routes every simulated model to the mock upstream and trusts the replay's edge headers.
 *
 * @example
 * replayConfig('http://127.0.0.1:9000').models.has('atlas-3-pro'); // true
 */
export function replayConfig(mockUrl: string): GatewayConfig {
  const models = Object.fromEntries(
    Object.values(DEFAULT_MODELS).map((name) => [
      name,
      { targets: [{ upstream: 'mock', model: 'mock-small' }] },
    ]),
  );
  return parseGatewayConfig(
    {
      upstreams: { mock: { kind: 'openai-compatible', baseUrl: `${mockUrl}/v1` } },
      models,
      trustProxy: true,
    },
    {},
  );
}

/**
 * Simulates, provisions and starts everything; replay with `replay()` afterwards.
 *
 * @example
 * const stack = await startReplayStack({ dir, seed: 7, scale: 0.0005, days: 3,
 *   scenarios: ['deepseek'], dataDir: '../shared/data' });
 * await stack.close();
 */
export async function startReplayStack(opts: ReplayStackOptions): Promise<ReplayStack> {
  const log = opts.log ?? (() => {});
  const sim = await simulate({
    outDir: opts.dir,
    seed: opts.seed,
    scale: opts.scale,
    days: opts.days,
    scenarios: opts.scenarios,
    dataDir: opts.dataDir,
    onNotice: log,
  });
  const accounts = await collect(openAccounts(sim.files.accounts));
  const labels = await collect(openLabels(sim.files.labels));
  const dbPath = join(opts.dir, 'gateway.db');
  const env = opts.env ?? { ...process.env };
  const serverSecret = resolveServerSecret({ dbPath, env });
  // Provision before the gateway starts so its key cache and detector load every account at once.
  const store = openSqliteStore({ path: dbPath });
  const secrets = await provisionAccounts({ store, serverSecret, accounts });
  await store.close();

  const mock = await startMockUpstream({ port: 0, replyTokens: opts.replyTokens ?? 40 });
  const gateway = await startEmbedded({
    config: replayConfig(mock.url),
    port: 0,
    dbPath,
    env,
    replayTimestamps: true,
    log,
  });
  return {
    sim,
    accounts,
    labels,
    secrets,
    gateway,
    mock,
    async close() {
      await gateway.close();
      await mock.close();
    },
  };
}
