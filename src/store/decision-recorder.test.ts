import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignReport, Decision } from '../contract/types.js';
import { loadEnforcementTable } from '../gateway/enforcement-table.js';
import { createDecisionRecorder } from './decision-recorder.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

const d = (account: string, action: Decision['action']): Decision => ({
  at: '2026-01-01T00:00:00.000Z',
  event_id: `e-${account}-${action}`,
  account_id: account,
  action,
  score: 0.8,
  campaign_id: 'hydra-1',
  reasons: ['shared templates'],
});
const campaign = (accounts: string[]): CampaignReport => ({
  id: 'hydra-1',
  accounts,
  first_action_at: '2026-01-01T00:00:00.000Z',
  score: 0.8,
  evidence: ['x'],
});

describe('decision recorder', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore({ path: ':memory:' });
  });
  afterEach(() => store.close());

  it('enforces at once and stores decisions and changed campaigns', async () => {
    const enforcement = await loadEnforcementTable({ store });
    const rec = createDecisionRecorder({ store, enforcement });
    rec.record([d('a1', 'block'), d('a2', 'degrade')], [campaign(['a1', 'a2'])]);
    expect(enforcement.get('a1')?.action).toBe('block');
    expect(enforcement.get('a2')?.action).toBe('degrade');
    rec.record([], [campaign(['a1', 'a2'])]);
    rec.record([d('a3', 'throttle')], [campaign(['a1', 'a2', 'a3'])]);
    await rec.flush();
    expect((await store.listDecisions()).map((x) => x.account_id).sort()).toEqual(['a1', 'a2', 'a3']);
    expect((await store.getCampaign('hydra-1'))?.accounts).toEqual(['a1', 'a2', 'a3']);
    expect(rec.stats).toMatchObject({ decisions: 3, failed: 0 });
    // Records made before the write merge: one write of the latest campaign version.
    expect(rec.stats.campaignWrites).toBe(1);
  });

  it('counts store failures without losing enforcement', async () => {
    const enforcement = await loadEnforcementTable({ store, onError: () => undefined });
    const errors: unknown[] = [];
    const broken: Store = { ...store, insertDecisions: async () => Promise.reject(new Error('locked')) };
    const rec = createDecisionRecorder({ store: broken, enforcement, onError: (e) => errors.push(e) });
    rec.record([d('a1', 'block')]);
    await rec.flush();
    expect(enforcement.get('a1')?.action).toBe('block');
    expect(rec.stats.failed).toBe(1);
    expect(String(errors[0])).toContain('locked');
  });
});
