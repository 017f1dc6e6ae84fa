/**
 * The cluster bar end to end: a `simulate` stream replayed over real HTTP through TWO gateways
 * (accounts split between them, each replayed independently so they drift apart in event time)
 * on the shared PostgreSQL store, Redis and NATS JetStream, with two feature workers and the
 * campaign stage. The campaign stage's report must equal `analyze` over the same events — the
 * exchanges the gateways actually logged, in (ts, event id) order — which holds only because
 * the stage merges the gateways by event time, not by arrival.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCampaignStage } from '../bus/campaign-stage.js';
import { startDetectorWorker } from '../bus/detector-worker.js';
import { connectForTest, NATS_URL, uniquePrefix } from '../bus/test-helpers/nats.js';
import { deleteStreams, KIND_HEADER, topology } from '../bus/topology.js';
import { stageReport } from '../cli/commands/detector.js';
import { provisionAccounts } from '../cli/demo/provision.js';
import { replay } from '../cli/demo/replay.js';
import { replayConfig } from '../cli/demo/replay-stack.js';
import type { AccountRecord, Decision, ExchangeEvent } from '../contract/types.js';
import { analyze } from '../detect/analyze.js';
import { simulateSmallCampaignRun } from '../sim/test-helpers/small-campaign-run.js';
import {
  dropSchema,
  freshSchemaName,
  requirePostgres,
  TEST_POSTGRES_URL,
} from '../store/test-helpers/postgres-env.js';
import { type EmbeddedGateway, startEmbedded } from './embedded.js';
import { startMockUpstream } from './mock-upstream/server.js';
import { openPostgresLocation } from './shared-state.js';
import { connectTestRedis, deletePrefix, freshPrefix, TEST_REDIS_URL } from './testing/redis-env.js';

const SECRET = 'c7'.repeat(32);
const SHARDS = 4;
const dir = mkdtempSync(join(tmpdir(), 'dg-cluster-replay-'));
const schema = freshSchemaName();
const redisPrefix = freshPrefix();
const busPrefix = uniquePrefix();
const t = topology(busPrefix, SHARDS);
const connections: NatsConnection[] = [];
const simEvents: ExchangeEvent[] = [];
const simAccounts: AccountRecord[] = [];

const canon = (ds: Decision[]) => ds.map((d) => JSON.stringify(d)).sort();

async function conn(): Promise<NatsConnection> {
  const nc = await connectForTest();
  connections.push(nc);
  return nc;
}

async function* only(events: ExchangeEvent[], accounts: Set<string>): AsyncIterable<ExchangeEvent> {
  for (const e of events) if (accounts.has(e.account_id)) yield e;
}

/** Every event and account record on the events stream up to `last`, in stream order. */
async function readEventsStream(
  nc: NatsConnection,
  last: number,
): Promise<{ events: ExchangeEvent[]; accounts: AccountRecord[] }> {
  const events: ExchangeEvent[] = [];
  const accounts = new Map<string, AccountRecord>();
  const consumer = await jetstream(nc).consumers.get(t.eventsStream);
  const messages = await consumer.consume({ max_messages: 1024 });
  for await (const m of messages) {
    const kind = m.headers?.get(KIND_HEADER);
    if (kind === 'event') events.push(m.json<ExchangeEvent>());
    if (kind === 'account') {
      const record = m.json<AccountRecord>();
      if (!accounts.has(record.account_id)) accounts.set(record.account_id, record);
    }
    if (m.seq >= last) break;
  }
  await messages.close();
  return { events, accounts: [...accounts.values()] };
}

beforeAll(async () => {
  // Fail loudly, naming the server, before the slow part.
  await requirePostgres();
  (await connectTestRedis()).disconnect();
  await conn();
  const sim = await simulateSmallCampaignRun(dir, 7);
  simEvents.push(...sim.events);
  simAccounts.push(...sim.accounts);
}, 120_000);

afterAll(async () => {
  const nc = connections[0];
  if (nc !== undefined) await deleteStreams(await jetstreamManager(nc), t);
  for (const c of connections) if (!c.isClosed()) await c.close();
  await dropSchema(schema);
  const r = await connectTestRedis();
  await deletePrefix(r, redisPrefix);
  r.disconnect();
});

describe('cluster: two gateways, two detector workers', () => {
  it('the campaign stage reports what analyze reports on the same events', async () => {
    // Provision every account once in the shared store: a key made there works on both gateways.
    const location = `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    const { store } = await openPostgresLocation(location, () => undefined);
    const secrets = await provisionAccounts({
      store,
      serverSecret: Buffer.from(SECRET),
      accounts: simAccounts,
    });
    await store.close();

    const mock = await startMockUpstream({ port: 0, replyTokens: 40 });
    const workers = [
      await startDetectorWorker({ nc: await conn(), topology: t, shard: { index: 0, count: 2 } }),
      await startDetectorWorker({ nc: await conn(), topology: t, shard: { index: 1, count: 2 } }),
    ];
    // Replayed event time runs ~10^4 times faster than the wall clock and the two replays drift
    // apart freely, so no lateness bound: wait for both gateways until they leave.
    const stage = await startCampaignStage({
      nc: await conn(),
      topology: t,
      maxLatenessMs: 365 * 86_400_000,
      log: () => undefined,
    });
    const gateways: EmbeddedGateway[] = [];
    for (const id of ['gw0', 'gw1']) {
      gateways.push(
        await startEmbedded({
          config: replayConfig(mock.url),
          port: 0,
          dbPath: ':memory:',
          storeUrl: location,
          redis: { url: TEST_REDIS_URL, prefix: redisPrefix },
          env: { DG_SERVER_SECRET: SECRET },
          replayTimestamps: true,
          log: () => undefined,
          natsBus: {
            url: NATS_URL,
            shards: SHARDS,
            prefix: busPrefix,
            spoolPath: join(dir, `${id}.spool`),
            gatewayId: id,
          },
        }),
      );
    }

    // Half the accounts on each gateway; each half replayed on its own, in ts order.
    const halves = [new Set<string>(), new Set<string>()];
    for (const [i, a] of simAccounts.entries()) halves[i % 2]?.add(a.account_id);
    const statuses = new Map<number, number>();
    let answered = 0;
    await Promise.all(
      gateways.map((gw, i) =>
        replay({
          url: gw.url,
          events: only(simEvents, halves[i] as Set<string>),
          secrets,
          concurrency: 4,
          onResult: (r) => {
            answered++;
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          },
        }),
      ),
    );
    expect(answered).toBe(simEvents.length);
    // Keys made in the shared store work on both gateways (no 401s); blocks may refuse some.
    expect([...statuses.keys()].filter((s) => s !== 200 && s !== 403)).toEqual([]);
    for (const gw of gateways) await gw.close();
    await mock.close();

    const nc = connections[0] as NatsConnection;
    const last = (await (await jetstreamManager(nc)).streams.info(t.eventsStream)).state.last_seq;
    await stage.waitFor(last);
    const logged = await readEventsStream(nc, last);
    expect(logged.events).toHaveLength(simEvents.length);
    expect(stage.stats.processed).toBe(logged.events.length);
    expect(stage.stats.late).toBe(0);
    expect(stage.stats.heldForTime).toBe(0);

    const byTime = logged.events
      .slice()
      .sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const expected = await analyze({ events: byTime, accounts: logged.accounts });
    const got = stageReport(stage);
    expect(expected.decisions.length).toBeGreaterThan(10);
    expect(got.events).toBe(expected.events);
    expect(canon(got.decisions)).toEqual(canon(expected.decisions));
    expect(got.campaigns).toEqual(expected.campaigns);
    // The cross-account key index was the linking stage's, split across both workers by key.
    expect(stage.stats.linkSteps).toBeGreaterThan(100);
    for (const w of workers) expect(w.links.applied).toBeGreaterThan(0);

    await stage.stop();
    for (const w of workers) await w.stop();
  }, 400_000);
});
