import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateSmallCampaignRun } from '../sim/test-helpers/small-campaign-run.js';
import { createDetector } from './detector.js';
import { KeyIndex, type KeyJoin } from './key-index.js';

const dir = mkdtempSync(join(tmpdir(), 'dg-steps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A key index split into partitions by key, as the linking stage holds it. */
function partitionedIndex(partitions: number): (joins: readonly KeyJoin[]) => number[][] {
  const parts = Array.from({ length: partitions }, () => new KeyIndex());
  return (joins) =>
    joins.map((j) => [
      ...parts[(j.hash + j.kind.length) % partitions]!.join(j.kind, j.hash, j.account).members,
    ]);
}

describe('detector link steps', () => {
  it('gives exactly the decisions and campaigns of process() with the key index held apart', async () => {
    const { events, accounts } = await simulateSmallCampaignRun(dir, 11);
    const whole = createDetector();
    const stepped = createDetector();
    const answer = partitionedIndex(4);
    const expected = [];
    const got = [];
    let joins = 0;
    for (const a of accounts) {
      whole.addAccount(a);
      const step = stepped.beginAccount(a);
      joins += step.joins.length;
      expect(stepped.finish(step, answer(step.joins))).toEqual([]);
    }
    for (const e of events) {
      expected.push(...whole.process(e));
      const step = stepped.beginEvent(e);
      joins += step.joins.length;
      got.push(...stepped.finish(step, answer(step.joins)));
    }
    expect(joins).toBeGreaterThan(100);
    expect(expected.length).toBeGreaterThan(10);
    expect(got).toEqual(expected);
    expect(stepped.campaigns()).toEqual(whole.campaigns());
  }, 120_000);

  it('refuses out-of-order use: a second begin, a foreign finish, a short answer, a snapshot mid-step', () => {
    const d = createDetector();
    const event = {
      id: 'e1',
      ts: '2026-02-01T00:00:00.000Z',
      account_id: 'a1',
      api: 'openai.chat' as const,
      model: 'm',
      client: { ip: '203.0.113.9' },
      request: { messages: [{ role: 'user' as const, content: 'hi' }] },
    };
    const step = d.beginAccount({
      account_id: 'a1',
      created_at: '2026-01-01T00:00:00.000Z',
      payment_fingerprint: 'pf_1',
    });
    expect(step.joins).toEqual([expect.objectContaining({ kind: 'payment' })]);
    expect(() => d.beginEvent(event)).toThrow(/finish\(\) it first/);
    expect(() => d.snapshot()).toThrow(/unfinished link step/);
    expect(() => d.finish({ joins: [] }, [])).toThrow(/not open/);
    expect(() => d.finish(step, [])).toThrow(/0 answers for 1 joins/);
    expect(d.finish(step, [[]])).toEqual([]);
    expect(d.process(event)).toEqual([]);
  });
});
