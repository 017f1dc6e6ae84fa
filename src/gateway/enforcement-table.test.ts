import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../contract/types.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { enforcementFromDecision, loadEnforcementTable } from './enforcement-table.js';

const decision = (action: Decision['action'], account = 'a1'): Decision => ({
  at: '2026-01-01T00:00:00.000Z',
  event_id: `ev-${action}`,
  account_id: account,
  action,
  score: 0.9,
  campaign_id: 'hydra-1',
  reasons: [`${action} evidence`],
});

describe('enforcement table', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore({ path: ':memory:' });
  });
  afterEach(() => store.close());

  it('lets the detector only escalate', async () => {
    const table = await loadEnforcementTable({ store });
    table.set('a1', enforcementFromDecision(decision('degrade')));
    table.set('a1', enforcementFromDecision(decision('throttle')));
    table.set('a1', enforcementFromDecision(decision('degrade')));
    expect(table.get('a1')).toMatchObject({ action: 'degrade', caseRef: 'hydra-1', campaignId: 'hydra-1' });
    table.set('a1', enforcementFromDecision(decision('block')));
    expect(table.get('a1')?.action).toBe('block');
    await table.flush();
    expect((await store.listEnforcement())[0]).toMatchObject({
      account_id: 'a1',
      action: 'block',
      source: 'detector',
    });
  });

  it('persists and reloads at start', async () => {
    const table = await loadEnforcementTable({ store });
    table.set('a1', enforcementFromDecision(decision('block')));
    table.set('a2', enforcementFromDecision(decision('throttle', 'a2')));
    table.clear('a2');
    await table.flush();
    const reloaded = await loadEnforcementTable({ store });
    expect(reloaded.get('a1')?.action).toBe('block');
    expect(reloaded.get('a2')).toBeUndefined();
  });

  it('operator unblock takes effect at once and is audited; the detector can escalate again later', async () => {
    const table = await loadEnforcementTable({ store });
    table.set('a1', enforcementFromDecision(decision('block')));
    const pending = table.override('a1', {
      kind: 'unblock',
      actor: 'ana',
      reason: 'false positive, ticket 42',
    });
    // In memory before the write completes: the next request is already served.
    expect(table.get('a1')).toBeUndefined();
    await pending;
    const [entry] = await store.listAudit({ target: 'account:a1' });
    expect(entry).toMatchObject({
      actor: 'ana',
      action: 'enforcement.unblock',
      reason: 'false positive, ticket 42',
    });
    expect(entry?.details).toMatchObject({ before: { action: 'block', source: 'detector' }, after: null });
    table.set('a1', enforcementFromDecision(decision('throttle')));
    expect(table.get('a1')?.action).toBe('throttle');
  });

  it('allowlisted accounts ignore detector decisions until the allowlist is lifted', async () => {
    const table = await loadEnforcementTable({ store });
    table.set('a1', enforcementFromDecision(decision('degrade')));
    await table.override('a1', { kind: 'allowlist', actor: 'ana', reason: 'known eval partner' });
    expect(table.get('a1')).toMatchObject({ action: 'monitor', allowlisted: true });
    table.set('a1', enforcementFromDecision(decision('block')));
    expect(table.get('a1')).toMatchObject({ action: 'monitor', allowlisted: true });
    const reloaded = await loadEnforcementTable({ store });
    expect(reloaded.get('a1')?.allowlisted).toBe(true);
    await table.override('a1', { kind: 'unallowlist', actor: 'ana', reason: 'contract ended' });
    table.set('a1', enforcementFromDecision(decision('block')));
    expect(table.get('a1')?.action).toBe('block');
  });

  it('operator block and throttle set the action directly, even downwards', async () => {
    const table = await loadEnforcementTable({ store });
    await table.override('a1', { kind: 'block', actor: 'ana', reason: 'abuse report' });
    expect(table.get('a1')).toMatchObject({ action: 'block', source: 'operator:ana' });
    await table.override('a1', { kind: 'throttle', actor: 'bo', reason: 'downgrade pending review' });
    expect(table.get('a1')?.action).toBe('throttle');
    expect((await store.listAudit()).map((a) => a.action)).toEqual([
      'enforcement.throttle',
      'enforcement.block',
    ]);
  });

  it("apply adopts a replica's state in memory without storing or auditing it", async () => {
    const table = await loadEnforcementTable({ store });
    table.apply('a1', {
      action: 'block',
      reasons: ['r'],
      caseRef: 'c',
      campaignId: null,
      source: 'operator:x',
    });
    expect(table.get('a1')).toMatchObject({ action: 'block', source: 'operator:x' });
    table.apply('a1', { action: 'throttle', reasons: ['r'], caseRef: 'c', campaignId: null });
    expect(table.get('a1')).toMatchObject({ action: 'throttle', source: 'replica' });
    await table.flush();
    expect(await store.listEnforcement()).toEqual([]);
    expect(await store.listAudit()).toEqual([]);
    table.apply('a1', undefined);
    expect(table.get('a1')).toBeUndefined();
  });
});
