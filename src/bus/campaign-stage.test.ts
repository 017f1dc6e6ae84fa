/**
 * Campaign-stage checkpoint details the pipeline test cannot provoke: decisions a previous run
 * made but never saw stored are republished on restore (and JetStream keeps each once), and a
 * snapshot taken under another policy is not used — the stage says why and rebuilds instead; a
 * stop while a step waits for a linking stage that never answers abandons the step and writes no
 * checkpoint of the half-applied state.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Decision } from '../contract/types.js';
import { createDetector } from '../detect/detector.js';
import { defaultPolicy } from '../detect/policy.js';
import { startCampaignStage } from './campaign-stage.js';
import { SNAPSHOT_FILE, writeStageCheckpoint } from './stage-checkpoint.js';
import { connectForTest, uniquePrefix } from './test-helpers/nats.js';
import { deleteStreams, ensureStreams, type Topology, topology } from './topology.js';

const decision: Decision = {
  at: '2026-01-01T00:00:00.000Z',
  event_id: 'ev-9',
  account_id: 'acct-1',
  action: 'throttle',
  score: 0.9,
  campaign_id: null,
  reasons: ['test'],
};
const cleanups: Topology[] = [];

afterAll(async () => {
  const nc = await connectForTest();
  const jsm = await jetstreamManager(nc);
  for (const t of cleanups) await deleteStreams(jsm, t);
  await nc.close();
});

function checkpointOf(t: Topology, policy = defaultPolicy()) {
  return {
    stream: t.eventsStream,
    lastSeq: 0,
    processed: 0,
    savedAt: new Date().toISOString(),
    featuresSeq: 1,
    counters: { processed: 0, accounts: 0, duplicates: 0, skipped: 0, decisionsPublished: 0 },
    seen: [],
    decisions: [decision],
    unconfirmed: [['9:0', decision]] as Array<[string, Decision]>,
    detector: createDetector({ policy }).snapshot(),
    linkId: 0,
    repliesSeq: 0,
  };
}

describe('campaign stage checkpoints', () => {
  it('republishes decisions not confirmed before the stop, each stored once', async () => {
    const t = topology(uniquePrefix(), 2);
    cleanups.push(t);
    const dir = mkdtempSync(join(tmpdir(), 'dg-stage-'));
    writeStageCheckpoint(dir, checkpointOf(t));
    const nc = await connectForTest();
    for (let run = 0; run < 2; run++) {
      // The second run restores the same unconfirmed decision again: JetStream drops it by id.
      if (run === 1) writeStageCheckpoint(dir, checkpointOf(t));
      const stage = await startCampaignStage({ nc, topology: t, checkpointDir: dir, log: () => undefined });
      expect(stage.stats.resumedFrom).toBe('snapshot');
      expect(stage.decisions()).toEqual([decision]);
      await stage.waitFor(0);
      await stage.stop();
    }
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(t.decisionsStream)).state.messages).toBe(1);
    await nc.close();
  });

  it('does not restore a snapshot taken under another policy, and says so', async () => {
    const t = topology(uniquePrefix(), 2);
    cleanups.push(t);
    const dir = mkdtempSync(join(tmpdir(), 'dg-stage-'));
    const other = defaultPolicy();
    other.account.block = Math.min(1, other.account.block + 0.001);
    writeStageCheckpoint(dir, checkpointOf(t, other));
    const nc = await connectForTest();
    const lines: string[] = [];
    const stage = await startCampaignStage({
      nc,
      topology: t,
      checkpointDir: dir,
      log: (l) => lines.push(l),
    });
    expect(stage.stats.resumedFrom).toBe('replay');
    expect(stage.decisions()).toEqual([]);
    expect(lines.join('\n')).toMatch(
      /checkpoint snapshot not used \(campaign-stage\.snap: detector snapshot was taken under a different policy \(\/account\/block differs: .*\); falling back to replaying the features stream from its start/,
    );
    await stage.stop();
    await nc.close();
  });

  it('stopping while a step waits for an absent linking stage abandons it and checkpoints nothing half-done', async () => {
    const t = topology(uniquePrefix(), 2);
    cleanups.push(t);
    const dir = mkdtempSync(join(tmpdir(), 'dg-stage-'));
    const nc = await connectForTest();
    await ensureStreams(await jetstreamManager(nc), t);
    // A feature worker's batch holding one account record whose payment key must be joined.
    const account = { account_id: 'acct-1', created_at: '2026-01-01T00:00:00Z', payment_fingerprint: 'pf_1' };
    await jetstream(nc).publish(t.featureSubject(0), JSON.stringify([{ seq: 1, kind: 'account', account }]));
    const lines: string[] = [];
    const stage = await startCampaignStage({
      nc,
      topology: t,
      checkpointDir: dir,
      checkpointEveryMs: 20,
      stopGraceMs: 200,
      log: (l) => lines.push(l),
    });
    while (stage.stats.nextSeq < 2) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100)); // several checkpoint ticks while the step waits
    await stage.stop();
    expect(stage.stats.accounts).toBe(0);
    expect(lines.join('\n')).toContain(
      'a step still waits for the linking stage; stopping without a final checkpoint',
    );
    expect(existsSync(join(dir, SNAPSHOT_FILE))).toBe(false);
    await nc.close();
  });
});
