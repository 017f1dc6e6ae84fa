/**
 * The scale-out pipeline against the real NATS JetStream: a `simulate` stream through the bus,
 * two feature workers and the campaign stage must decide exactly what `analyze` decides in one
 * process, also when a worker is killed and the campaign stage restarted mid-stream.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountRecord, CampaignReport, Decision, ExchangeEvent } from '../contract/types.js';
import { analyze } from '../detect/analyze.js';
import { simulateSmallCampaignRun } from '../sim/test-helpers/small-campaign-run.js';
import { startCampaignStage } from './campaign-stage.js';
import { startDetectorWorker } from './detector-worker.js';
import { createNatsBus, type NatsBus } from './nats.js';
import { readStageCheckpoint } from './stage-checkpoint.js';
import { connectForTest, NATS_URL, uniquePrefix } from './test-helpers/nats.js';
import { deleteStreams, type Topology, topology } from './topology.js';

const SHARDS = 4;
const dir = mkdtempSync(join(tmpdir(), 'dg-pipeline-'));
const events: ExchangeEvent[] = [];
const accounts: AccountRecord[] = [];
let expected: string[] = [];
let expectedCampaigns: CampaignReport[] = [];
const connections: NatsConnection[] = [];
const cleanups: Topology[] = [];

const canon = (ds: Decision[]) => ds.map((d) => JSON.stringify(d)).sort();

async function conn(): Promise<NatsConnection> {
  const nc = await connectForTest();
  connections.push(nc);
  return nc;
}

function publishAll(bus: NatsBus, from: number, to: number): void {
  for (let i = from; i < to; i++) bus.publish(events[i] as ExchangeEvent);
}

async function lastSeq(nc: NatsConnection, t: Topology): Promise<number> {
  return (await (await jetstreamManager(nc)).streams.info(t.eventsStream)).state.last_seq;
}

beforeAll(async () => {
  // Fail loudly before the slow part if NATS is not there.
  await conn();
  const sim = await simulateSmallCampaignRun(dir, 7);
  events.push(...sim.events);
  accounts.push(...sim.accounts);
  const report = await analyze({ events, accounts });
  expected = canon(report.decisions);
  expectedCampaigns = report.campaigns;
}, 120_000);

afterAll(async () => {
  const nc = connections[0];
  if (nc !== undefined) {
    const jsm = await jetstreamManager(nc);
    for (const t of cleanups) await deleteStreams(jsm, t);
  }
  for (const c of connections) if (!c.isClosed()) await c.close();
});

describe('scale-out pipeline over NATS', () => {
  it('two detector workers (features + linking) and the campaign stage decide what analyze decides', async () => {
    expect(expected.length).toBeGreaterThan(10);
    const prefix = uniquePrefix();
    const t = topology(prefix, SHARDS);
    cleanups.push(t);
    const bus = createNatsBus({
      url: NATS_URL,
      prefix,
      shards: SHARDS,
      spoolPath: join(dir, `${prefix}.spool`),
    });
    const received: Decision[] = [];
    bus.onDecisions((d) => received.push(d));
    for (const a of accounts) bus.publishAccount(a);
    publishAll(bus, 0, events.length);
    await bus.flush();
    expect(bus.stats.spooled).toBe(0);
    const workers = [
      await startDetectorWorker({ nc: await conn(), topology: t, shard: { index: 0, count: 2 } }),
      await startDetectorWorker({ nc: await conn(), topology: t, shard: { index: 1, count: 2 } }),
    ];
    const stage = await startCampaignStage({ nc: await conn(), topology: t });
    await stage.waitFor(await lastSeq(connections[0] as NatsConnection, t));
    expect(stage.stats.processed).toBe(events.length);
    expect(stage.stats.accounts).toBe(accounts.length);
    expect(canon(stage.decisions())).toEqual(expected);
    expect(stage.campaigns()).toEqual(expectedCampaigns);
    // The decisions the gateways consume are the same set, each once.
    const deadline = Date.now() + 10_000;
    while (received.length < expected.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(canon(received)).toEqual(expected);
    expect(workers[0]!.features.processed + workers[1]!.features.processed).toBe(
      events.length + accounts.length,
    );
    // The key index lived in the linking stage: every step's joins went there, split by key partition.
    expect(stage.stats.linkSteps).toBeGreaterThan(100);
    expect(workers[0]!.links.applied).toBeGreaterThan(0);
    expect(workers[1]!.links.applied).toBeGreaterThan(0);
    expect(workers[0]!.links.applied + workers[1]!.links.applied).toBeGreaterThanOrEqual(
      stage.stats.linkSteps,
    );
    await stage.stop();
    for (const w of workers) await w.stop();
    await bus.close();
  }, 120_000);

  it('a killed worker and a campaign stage restarted from its snapshot leave the final report unchanged', async () => {
    const prefix = uniquePrefix();
    const t = topology(prefix, SHARDS);
    cleanups.push(t);
    const checkpointDir = join(dir, `${prefix}-ckpt`);
    const bus = createNatsBus({
      url: NATS_URL,
      prefix,
      shards: SHARDS,
      spoolPath: join(dir, `${prefix}.spool`),
    });
    for (const a of accounts) bus.publishAccount(a);
    const half = Math.floor(events.length / 2);
    publishAll(bus, 0, half);
    await bus.flush();
    const victimConn = await conn();
    const steady = await startDetectorWorker({
      nc: await conn(),
      topology: t,
      shard: { index: 0, count: 2 },
      ackWaitMs: 1000,
      checkpointDir: join(dir, `${prefix}-worker-0`),
      checkpointEveryMs: 50,
    });
    const victimDir = join(dir, `${prefix}-worker-1`);
    const victim = await startDetectorWorker({
      nc: victimConn,
      topology: t,
      shard: { index: 1, count: 2 },
      ackWaitMs: 1000,
      checkpointDir: victimDir,
      checkpointEveryMs: 50,
      log: () => undefined,
    });
    const first = await startCampaignStage({
      nc: await conn(),
      topology: t,
      checkpointDir,
      checkpointEveryMs: 50,
    });
    expect(first.stats.resumedFrom).toBe('start');
    // Let work start (the victim's key partitions checkpointed too), then kill the worker without
    // draining: its unacked events are redelivered, its key partitions restored and re-read.
    while (first.stats.processed < 500 || victim.links.checkpointsWritten === 0)
      await new Promise((r) => setTimeout(r, 10));
    await victimConn.close();
    await first.stop();
    expect(first.stats.processed).toBeLessThan(events.length);
    expect(first.stats.checkpointsWritten).toBeGreaterThan(0);
    // What the stage's last checkpoint covers (a stop while a step waited for the killed worker's
    // key partition writes no final one).
    const saved = readStageCheckpoint(checkpointDir, t.eventsStream).checkpoint!;
    const before = saved.processed;
    const coveredSeq = saved.lastSeq;
    publishAll(bus, half, events.length);
    await bus.flush();
    const revived = await startDetectorWorker({
      nc: await conn(),
      topology: t,
      shard: { index: 1, count: 2 },
      ackWaitMs: 1000,
      checkpointDir: victimDir,
    });
    expect(revived.links.restored).toBe(SHARDS / 2);
    const lines: string[] = [];
    const second = await startCampaignStage({
      nc: await conn(),
      topology: t,
      checkpointDir,
      log: (line) => lines.push(line),
    });
    await second.waitFor(await lastSeq(connections[0] as NatsConnection, t));
    expect(second.stats.processed).toBe(events.length);
    expect(canon(second.decisions())).toEqual(expected);
    expect(second.campaigns()).toEqual(expectedCampaigns);
    // It resumed from the snapshot and consumed only what came after it: no replay.
    expect(second.stats.resumedFrom).toBe('snapshot');
    expect(second.stats.checkpointSeq).toBe(coveredSeq);
    expect(second.stats.processedThisRun).toBe(events.length - before);
    expect(second.stats.firstSeqApplied).toBe(coveredSeq + 1);
    expect(second.stats.featuresFrom).toBeGreaterThan(1);
    expect(second.stats.firstFeaturesRead).toBeGreaterThanOrEqual(second.stats.featuresFrom);
    expect(lines.join('\n')).toMatch(/resumed from the checkpoint snapshot at events seq \d+/);
    // Decisions published by both stage runs together: each exactly once.
    const jsm = await jetstreamManager(connections[0] as NatsConnection);
    const deadline = Date.now() + 10_000;
    let stored = 0;
    while (Date.now() < deadline) {
      stored = (await jsm.streams.info(t.decisionsStream)).state.messages;
      if (stored >= expected.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(stored).toBe(expected.length);
    await second.stop();

    // A snapshot that cannot be read falls back to the replay, says so, and decides the same.
    writeFileSync(join(checkpointDir, 'campaign-stage.snap'), 'not a snapshot');
    const fallbackLines: string[] = [];
    const third = await startCampaignStage({
      nc: await conn(),
      topology: t,
      checkpointDir,
      log: (line) => fallbackLines.push(line),
    });
    await third.waitFor(await lastSeq(connections[0] as NatsConnection, t));
    expect(third.stats.resumedFrom).toBe('replay');
    expect(third.stats.processedThisRun).toBe(events.length);
    expect(canon(third.decisions())).toEqual(expected);
    expect(fallbackLines.join('\n')).toContain(
      'checkpoint snapshot not used (' +
        join(checkpointDir, 'campaign-stage.snap') +
        ': not a campaign-stage snapshot (bad magic bytes)); falling back to replaying the features stream from its start',
    );
    await third.stop();
    expect((await jsm.streams.info(t.decisionsStream)).state.messages).toBe(expected.length);
    await revived.stop();
    await steady.stop();
    await bus.close();
  }, 120_000);
});
