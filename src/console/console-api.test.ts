import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEnforcementTable, type PersistentEnforcementTable } from '../gateway/enforcement-table.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import {
  accountExchanges,
  campaignAccounts,
  campaignAction,
  campaignDecisions,
  campaignExamples,
  campaignSignals,
  exportIndicators,
  overview,
  sampleEvenly,
  traffic,
} from './console-api.js';

let store: Store;
let enforcement: PersistentEnforcementTable;

beforeEach(async () => {
  store = openSqliteStore({ path: ':memory:' });
  enforcement = await loadEnforcementTable({ store });
  await store.putCampaign(
    {
      id: 'campaign-0001',
      accounts: ['a1', 'a2', 'a3'],
      first_action_at: '2026-01-05T06:32:28.959Z',
      score: 0.97,
      evidence: [
        '40 of 41 accounts share a payment fingerprint (+3.0)',
        '83% dataset-style single-turn instructions (+1.2)',
      ],
    },
    '2026-01-05T07:00:00.000Z',
  );
  await store.putCampaign(
    {
      id: 'campaign-0002',
      accounts: ['b1'],
      first_action_at: '2026-01-06T06:32:28.959Z',
      score: 0.8,
      evidence: ['3 of 5 accounts share a payment fingerprint (+1.0)'],
    },
    '2026-01-06T07:00:00.000Z',
  );
});

afterEach(async () => {
  await enforcement.flush();
  await store.close();
});

const deps = () => ({ store, enforcement });

/** An exchange of account a1 with the given upstream status. */
const statusEvent = (id: string, ts: string, status: number) => ({
  id,
  ts,
  account_id: 'a1',
  client: { ip: '10.0.0.1' },
  api: 'openai.chat' as const,
  model: 'm',
  request: { messages: [] },
  response: { status },
});

describe('campaignAction', () => {
  it('confirm blocks every account of the campaign with an audited override', async () => {
    const result = await campaignAction(deps(), 'campaign-0001', 'confirm', {
      actor: 'console:t',
      reason: 'confirmed',
    });
    expect(result).toEqual({ campaign: 'campaign-0001', accounts: 3, action: 'block' });
    for (const id of ['a1', 'a2', 'a3']) expect(enforcement.get(id)?.action).toBe('block');
    expect(enforcement.get('b1')).toBeUndefined();
    await enforcement.flush();
    const audit = await store.listAudit({ target: 'account:a2', limit: 10 });
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).toContain('console:t');
  });

  it('dismiss allowlists, and a missing reason or campaign is refused', async () => {
    await campaignAction(deps(), 'campaign-0002', 'dismiss', { actor: 'x', reason: 'benign lab' });
    expect(enforcement.get('b1')?.allowlisted).toBe(true);
    await expect(
      campaignAction(deps(), 'campaign-0002', 'confirm', { actor: 'x', reason: ' ' }),
    ).rejects.toThrow(/reason/);
    await expect(
      campaignAction(deps(), 'nope', 'confirm', { actor: 'x', reason: 'r' }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('campaignAccounts', () => {
  it('pages through accounts with their enforcement', async () => {
    await enforcement.override('a2', { kind: 'block', actor: 't', reason: 'r' });
    await store.putAccount({
      id: 'a2',
      org_id: null,
      created_at: '2026-01-01T00:00:00.000Z',
      verified: false,
      signup_channel: null,
      payment_fingerprint: 'pf-1',
      email_domain: 'mail.test',
      signup_ip: '203.0.113.9',
      limits: {},
    });
    const page = await campaignAccounts(deps(), 'campaign-0001', 1, 1);
    expect(page).toEqual({
      total: 3,
      offset: 1,
      data: [
        {
          account_id: 'a2',
          action: 'block',
          allowlisted: false,
          payment_fingerprint: 'pf-1',
          email_domain: 'mail.test',
          signup_network: '203.0.113.0/24',
        },
      ],
    });
    const unknown = await campaignAccounts(deps(), 'campaign-0001', 0, 1);
    expect(unknown.data[0]).toMatchObject({
      account_id: 'a1',
      payment_fingerprint: null,
      signup_network: null,
    });
    await expect(campaignAccounts(deps(), 'campaign-0001', -1, 10)).rejects.toMatchObject({ status: 400 });
    await expect(campaignAccounts(deps(), 'campaign-0001', 0, 5000)).rejects.toMatchObject({ status: 400 });
  });
});

describe('overview', () => {
  it('counts enforcement, exposure per campaign and shared signals', async () => {
    await enforcement.override('a1', { kind: 'block', actor: 't', reason: 'r' });
    const o = await overview(deps());
    expect(o.enforced.block).toBe(1);
    const c1 = o.campaigns.find((c) => c.id === 'campaign-0001');
    expect(c1).toMatchObject({ accounts: 3, contained: 1, uncontained: 2 });
    expect(o.topSignals[0]).toEqual({ signal: 'N of N accounts share a payment fingerprint', campaigns: 2 });
    expect((await traffic(deps())).data).toEqual([]);
  });

  it('shows traffic history from the exchange log, not only since the process started', async () => {
    // Logged by an earlier process: a fresh overview over the same store must still see it.
    await store.insertEvents(
      [
        statusEvent('e1', '2025-12-31T23:10:00.000Z', 200),
        statusEvent('e2', '2026-01-01T00:20:00.000Z', 403),
        statusEvent('e3', '2026-01-01T00:59:00.000Z', 200),
      ],
      'full',
    );
    // A 1 h 49 min span in at most 72 bars: 5-minute buckets, empty ones as zeros.
    const { data: series } = await traffic(deps());
    expect(series[0]).toEqual({ start: '2025-12-31T23:10:00.000Z', exchanges: 1, errors: 0 });
    expect(series.at(-1)).toEqual({ start: '2026-01-01T00:55:00.000Z', exchanges: 1, errors: 0 });
    expect(series).toHaveLength(22);
    expect(series.find((p) => p.start === '2026-01-01T00:20:00.000Z')).toEqual({
      start: '2026-01-01T00:20:00.000Z',
      exchanges: 1,
      errors: 1,
    });
    expect(series.reduce((n, p) => n + p.exchanges, 0)).toBe(3);
  });
});

describe('traffic', () => {
  it('asks the store for whole minutes only, so it is answered from the per-minute roll-up', async () => {
    await store.insertEvents(
      [
        statusEvent('e1', '2026-01-01T00:00:00.001Z', 200),
        statusEvent('e2', '2026-01-01T05:17:42.250Z', 500),
      ],
      'full',
    );
    const asked: Array<{ from: string; to: string; bucketMs: number }> = [];
    const spied: Store = {
      ...store,
      countEventsByTime: (q) => {
        asked.push(q);
        return store.countEventsByTime(q);
      },
    };
    const { data } = await traffic({ store: spied, enforcement });
    expect(asked).toEqual([
      { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T05:18:00.000Z', bucketMs: 300_000 },
    ]);
    expect(data.at(-1)).toEqual({ start: '2026-01-01T05:15:00.000Z', exchanges: 1, errors: 1 });
    expect(data.reduce((n, p) => n + p.exchanges, 0)).toBe(2);
  });

  it('loses exactly what retention deleted, even in the minute the cut-off falls in', async () => {
    await store.insertEvents(
      [
        statusEvent('e1', '2026-01-01T00:00:10.000Z', 200),
        statusEvent('e2', '2026-01-01T00:00:40.000Z', 429),
        statusEvent('e3', '2026-01-01T00:00:50.000Z', 200),
        statusEvent('e4', '2026-01-01T00:30:00.000Z', 200),
      ],
      'full',
    );
    expect(await store.deleteEventsBefore('2026-01-01T00:00:45.000Z')).toBe(2);
    const { data } = await traffic(deps());
    expect(data[0]).toEqual({ start: '2026-01-01T00:00:00.000Z', exchanges: 1, errors: 0 });
    expect(data.reduce((n, p) => n + p.exchanges, 0)).toBe(2);
    expect(data.reduce((n, p) => n + p.errors, 0)).toBe(0);
  });
});

describe('exportIndicators', () => {
  it('lists accounts and evidence', async () => {
    const ind = await exportIndicators(deps(), 'campaign-0002');
    expect(ind).toMatchObject({ campaign: 'campaign-0002', accounts: ['b1'], key_ids: [] });
  });
});

describe('exchanges, examples and campaign decisions', () => {
  it('summarises logged exchanges and samples decisions of campaign accounts', async () => {
    const ev = (id: string, account: string, ts: string) => ({
      id,
      ts,
      account_id: account,
      client: { ip: '10.0.0.1' },
      api: 'openai.chat' as const,
      model: 'm',
      request: { messages: [{ role: 'user', content: `prompt ${id} </script><img onerror=x>` }] },
    });
    await store.insertEvents(
      [
        ev('e0', 'a1', '2026-01-05T05:00:00.000Z'),
        ev('e1', 'a1', '2026-01-05T06:00:00.000Z'),
        ev('e2', 'a2', '2026-01-05T06:01:00.000Z'),
      ],
      'full',
    );
    await store.insertDecisions(
      [
        {
          at: '2026-01-05T06:01:00.000Z',
          event_id: 'e2',
          account_id: 'a2',
          action: 'block',
          score: 0.9,
          reasons: ['r'],
        },
        {
          at: '2026-01-05T06:00:00.000Z',
          event_id: 'e1',
          account_id: 'a1',
          action: 'monitor',
          score: 0.5,
          reasons: ['r'],
        },
      ],
      'detector',
    );
    // The latest exchanges, newest first.
    const exchanges = await accountExchanges(deps(), 'a1', 1);
    expect(exchanges.map((e) => e.prompt)).toEqual(['prompt e1 </script><img onerror=x>']);
    expect((await accountExchanges(deps(), 'a1', 10)).map((e) => e.id)).toEqual(['e1', 'e0']);
    await expect(accountExchanges(deps(), 'a1', 0)).rejects.toMatchObject({ status: 400 });
    const examples = await campaignExamples(deps(), 'campaign-0001');
    expect(examples.data.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(examples.sampledAccounts).toBe(3);
    const timeline = await campaignDecisions(deps(), 'campaign-0001');
    expect(timeline.sampledAccounts).toBe(3);
    expect(timeline.decisions.map((d) => d.action)).toEqual(['monitor', 'block']);
  });
});

describe('sampleEvenly', () => {
  it('spreads the sample over the whole list', () => {
    expect(sampleEvenly(['a', 'b', 'c', 'd', 'e', 'f'], 3)).toEqual(['a', 'c', 'e']);
    expect(sampleEvenly(['a', 'b'], 5)).toEqual(['a', 'b']);
    const big = Array.from({ length: 25_000 }, (_, i) => i);
    const s = sampleEvenly(big, 200);
    expect(s).toHaveLength(200);
    expect(s.at(-1)).toBeGreaterThan(24_000);
  });
});

describe('campaignExamples', () => {
  it('takes its examples from accounts spread over the whole campaign', async () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => `x${String(i).padStart(4, '0')}`);
    await store.putCampaign(
      { id: 'big', accounts, first_action_at: '2026-01-05T00:00:00.000Z', score: 0.9, evidence: [] },
      '2026-01-05T00:00:00.000Z',
    );
    // Every account but the first has one exchange.
    await store.insertEvents(
      accounts.slice(1).map((a, i) => ({
        id: `ev-${a}`,
        ts: new Date(Date.UTC(2026, 0, 5) + i * 1000).toISOString(),
        account_id: a,
        client: { ip: '10.0.0.1' },
        api: 'openai.chat' as const,
        model: 'm',
        request: { messages: [{ role: 'user' as const, content: a }] },
      })),
      'full',
    );
    const examples = await campaignExamples(deps(), 'big');
    expect(examples.data).toHaveLength(12);
    const positions = examples.data.map((e) => accounts.indexOf(e.account_id)).sort((a, b) => a - b);
    expect(positions.at(-1)).toBeGreaterThan(900);
    expect(positions.filter((p) => p < 100).length).toBeLessThanOrEqual(2);
    expect(examples.sampledAccounts).toBe(13);
  });
});

describe('campaignSignals', () => {
  it('keys each account by the template, network and timing of its latest exchanges', async () => {
    const ev = (id: string, account: string, ts: string, ip: string, content: string) => ({
      id,
      ts,
      account_id: account,
      client: { ip },
      api: 'openai.chat' as const,
      model: 'm',
      request: { messages: [{ role: 'user' as const, content }] },
    });
    const rate = (n: number, s: string) => `Rate the response on a scale of 1 to ${n}: "${s}"`;
    await store.insertEvents(
      [
        ev('x1', 'a1', '2026-01-05T09:00:00.000Z', '198.51.100.7', rate(10, 'Paris is in France.')),
        ev('x2', 'a1', '2026-01-05T09:00:05.000Z', '198.51.100.8', rate(5, 'Water boils at 90 C.')),
        ev('x3', 'a1', '2026-01-05T09:00:11.000Z', '198.51.100.9', rate(7, 'Cats are mammals.')),
        ev('y1', 'a2', '2026-01-05T10:00:00.000Z', '198.51.100.20', rate(3, 'The sun is a star.')),
        ev('y2', 'a2', '2026-01-05T10:00:04.000Z', '198.51.100.21', rate(9, 'Ice is cold.')),
        ev('y3', 'a2', '2026-01-05T10:00:12.000Z', '198.51.100.22', rate(4, 'Rome is old.')),
        ev('z1', 'a3', '2026-01-05T09:00:00.000Z', '203.0.113.5', 'how do I sort a list in python'),
      ],
      'full',
    );
    const r = await campaignSignals(deps(), 'campaign-0001', 0, 10);
    expect(r.total).toBe(3);
    const [a1, a2, a3] = r.data;
    expect(a1?.template).toMatch(/^rate the response on a scale of # to #: # \[[0-9a-f]{8}\]$/);
    expect(a2?.template).toBe(a1?.template);
    expect(a1?.request_network).toBe('198.51.100.0/24');
    expect(a2?.request_network).toBe('198.51.100.0/24');
    expect(a1?.timing).toBe('gaps 3–10 s · 06–12 UTC');
    expect(a2?.timing).toBe(a1?.timing);
    // One exchange: its own template and network, but no cadence.
    expect(a3).toMatchObject({ exchanges: 1, request_network: '203.0.113.0/24', timing: null });
    expect(a3?.template).not.toBe(a1?.template);
    await expect(campaignSignals(deps(), 'campaign-0001', 0, 2501)).rejects.toMatchObject({ status: 400 });
    await expect(campaignSignals(deps(), 'nope', 0, 10)).rejects.toMatchObject({ status: 404 });
  });
});
