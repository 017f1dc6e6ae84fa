import { describe, expect, it } from 'vitest';
import { createInProcessBus } from '../bus/in-process.js';
import type { AccountRecord, CampaignReport, Decision, ExchangeEvent } from '../contract/types.js';
import type { OnlineDetector } from '../detect/types.js';
import { openSqliteStore } from '../store/sqlite.js';
import { account } from '../store/test-helpers/store-contract.js';
import { accountLookup, attachDetector, countedDecisions, storedAccounts } from './detector-link.js';
import { createGatewayMetrics } from './metrics.js';

function event(account: string, i: number): ExchangeEvent {
  return {
    id: `e${i}`,
    ts: new Date(i * 1000).toISOString(),
    account_id: account,
    client: { ip: '10.0.0.1' },
    api: 'openai.chat',
    model: 'm',
    request: { messages: [] },
  };
}

/** Blocks an account on its third event. */
function thirdStrike(): OnlineDetector & { added: AccountRecord[] } {
  const counts = new Map<string, number>();
  const added: AccountRecord[] = [];
  return {
    added,
    addAccount: (r) => void added.push(r),
    process(e): Decision[] {
      const n = (counts.get(e.account_id) ?? 0) + 1;
      counts.set(e.account_id, n);
      if (n !== 3) return [];
      return [
        {
          at: e.ts,
          event_id: e.id,
          account_id: e.account_id,
          action: 'block',
          score: 0.9,
          reasons: ['third strike'],
        },
      ];
    },
    campaigns: (): CampaignReport[] => [],
    notes: () => [],
  };
}

describe('countedDecisions', () => {
  it('counts each decision by action and passes decisions and campaigns on unchanged', async () => {
    const metrics = createGatewayMetrics();
    const got: Array<[readonly Decision[], unknown]> = [];
    const sink = countedDecisions({ record: (d, c) => void got.push([d, c]) }, metrics);
    const decision = (action: Decision['action']): Decision => ({
      account_id: 'a',
      action,
      score: 0.9,
      reasons: ['r'],
      at: '2026-01-01T00:00:00.000Z',
      event_id: 'e1',
    });
    const decisions = [decision('throttle'), decision('block'), decision('block')];
    sink.record(decisions, []);
    expect(got).toEqual([[decisions, []]]);
    const text = await metrics.registry.getSingleMetricAsString('distillguard_decisions_total');
    expect(text).toContain('action="block"} 2');
    expect(text).toContain('action="throttle"} 1');
  });
});

describe('attachDetector', () => {
  it('feeds bus events to the detector and records its decisions, counting them in metrics', async () => {
    const bus = createInProcessBus();
    const detector = thirdStrike();
    const recorded: Decision[] = [];
    const metrics = createGatewayMetrics();
    attachDetector({
      bus,
      detector,
      metrics,
      decisions: { record: (d) => void recorded.push(...d) },
      lookupAccount: async (id) =>
        id === 'a' ? { account_id: 'a', created_at: '2026-01-01T00:00:00.000Z' } : undefined,
    });
    for (let i = 0; i < 4; i++) bus.publish(event('a', i));
    bus.publish(event('b', 9));
    await bus.close();
    expect(recorded.map((d) => [d.account_id, d.event_id])).toEqual([['a', 'e2']]);
    expect(detector.added.map((r) => r.account_id)).toEqual(['a']);
    expect(await metrics.registry.getSingleMetricAsString('distillguard_decisions_total')).toContain(
      'action="block"} 1',
    );
  });

  it('survives a detector that throws', async () => {
    const bus = createInProcessBus();
    const errors: unknown[] = [];
    const detector = {
      ...thirdStrike(),
      process: () => {
        throw new Error('bug');
      },
    };
    attachDetector({ bus, detector, decisions: { record: () => {} }, onError: (e) => void errors.push(e) });
    bus.publish(event('a', 1));
    await bus.close();
    expect(errors).toHaveLength(1);
  });
});

describe('storedAccounts / accountLookup', () => {
  it('give the detector the stored sign-up and payment facts, omitting what is unknown', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    await store.putAccount(
      account('a1', { verified: true, payment_fingerprint: 'pf_1', signup_channel: 'self-serve' }),
    );
    await store.putAccount(account('a2'));
    const known = await storedAccounts(store);
    const lookup = accountLookup(store);
    const a1 = await lookup('a1');
    expect(a1).toMatchObject({
      account_id: 'a1',
      verified: true,
      payment_fingerprint: 'pf_1',
      signup_channel: 'self-serve',
    });
    expect(a1).not.toHaveProperty('org_id');
    expect(known.map((r) => r.account_id).sort()).toEqual(['a1', 'a2']);
    expect(known.find((r) => r.account_id === 'a1')).toEqual(a1);
    expect(await lookup('nobody')).toBeUndefined();
    await store.close();
  });
});
