/**
 * A running embedded gateway (SQLite, live detector, mock upstream, console) that has had a small
 * simulated run replayed through it over HTTP, for the console's browser test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { replay } from '../../cli/demo/replay.js';
import { startReplayStack } from '../../cli/demo/replay-stack.js';
import { openEvents } from '../../contract/read-jsonl.js';
import type { Label } from '../../contract/types.js';
import type { EmbeddedGateway } from '../../gateway/embedded.js';
import { DEFAULT_MODELS } from '../../sim/world.js';

export const TEST_ADMIN_TOKEN = 'console-browser-test-token-0123';

export interface ReplayedGateway {
  gateway: EmbeddedGateway;
  labels: Label[];
  secrets: Map<string, string>;
  /** Sends one chat request as `accountId`; returns status and API error type. */
  ask(accountId: string): Promise<{ status: number; errorType: string | undefined }>;
  close(): Promise<void>;
}

/**
 * Simulates `scenarios` at a tiny scale, provisions every account, replays every exchange.
 *
 * @example
 * const run = await startReplayedGateway(['deepseek']); await run.close();
 */
export async function startReplayedGateway(scenarios: string[]): Promise<ReplayedGateway> {
  const dir = await mkdtemp(join(tmpdir(), 'dg-console-e2e-'));
  const stack = await startReplayStack({
    dir,
    seed: 3,
    scale: 0.0003,
    days: 1,
    scenarios,
    dataDir: '../shared/data',
    env: { ...process.env, DG_ADMIN_TOKEN: TEST_ADMIN_TOKEN },
    replyTokens: 20,
  });
  const { gateway, labels, secrets } = stack;
  const model = Object.values(DEFAULT_MODELS)[0] ?? 'gpt-x';
  await replay({
    url: gateway.url,
    events: openEvents(stack.sim.files.events),
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
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
