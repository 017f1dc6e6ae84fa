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
  exportIndicators,
  networkOf,
  overview,
} from './console-api.js';
import { createTrafficCounter } from './traffic.js';

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

describe('networkOf', () => {
  it('groups IPv4 by /24 and IPv6 by /48', () => {
    expect(networkOf('10.1.2.3')).toBe('10.1.2.0/24');
    expect(networkOf('2001:db8:1:2::5')).toBe('2001:db8:1::/48');
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(networkOf(null)).toBeNull();
    expect(networkOf('not an ip')).toBeNull();
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
    expect(o.traffic).toEqual([]);
    const traffic = createTrafficCounter();
    traffic.record({
      id: 'e',
      ts: '2026-01-01T00:00:00.000Z',
      account_id: 'a1',
      client: { ip: '10.0.0.1' },
      api: 'openai.chat',
      model: 'm',
      request: { messages: [] },
    });
    expect((await overview({ ...deps(), traffic })).traffic).toEqual([
      { start: '2026-01-01T00:00:00.000Z', exchanges: 1, errors: 0 },
    ]);
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
      [ev('e1', 'a1', '2026-01-05T06:00:00.000Z'), ev('e2', 'a2', '2026-01-05T06:01:00.000Z')],
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
    const exchanges = await accountExchanges(deps(), 'a1', 10);
    expect(exchanges.map((e) => e.prompt)).toEqual(['prompt e1 </script><img onerror=x>']);
    await expect(accountExchanges(deps(), 'a1', 0)).rejects.toMatchObject({ status: 400 });
    const examples = await campaignExamples(deps(), 'campaign-0001');
    expect(examples.map((e) => e.id)).toEqual(['e1', 'e2']);
    const timeline = await campaignDecisions(deps(), 'campaign-0001');
    expect(timeline.sampledAccounts).toBe(3);
    expect(timeline.decisions.map((d) => d.action)).toEqual(['monitor', 'block']);
  });
});
