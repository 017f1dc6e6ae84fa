/**
 * Behaviour every `Store` backend must have, as a reusable vitest suite: the SQLite store runs
 * it in sqlite.test.ts, and a PostgreSQL store (scale-out) runs the same one against its own
 * database, so both backends are held to one contract.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../../contract/types.js';
import { storedAccountRecords, storedEvents } from '../export-log.js';
import type { AccountRow, EventCountBucket, KeyRow, Store } from '../types.js';

const T0 = '2026-01-01T00:00:00.000Z';

/** An account row with every optional field empty. */
export function account(id: string, extra: Partial<AccountRow> = {}): AccountRow {
  return {
    id,
    org_id: null,
    created_at: T0,
    verified: false,
    signup_channel: null,
    payment_fingerprint: null,
    email_domain: null,
    signup_ip: null,
    limits: {},
    ...extra,
  };
}

function key(id: string, accountId: string, extra: Partial<KeyRow> = {}): KeyRow {
  return {
    id,
    prefix: `dg_${id}`,
    hash: 'ab'.repeat(32),
    account_id: accountId,
    scopes: [],
    expires_at: null,
    revoked_at: null,
    limits: {},
    created_at: T0,
    name: null,
    ...extra,
  };
}

function event(id: string, ts: string, accountId: string, status?: number): ExchangeEvent {
  return {
    id,
    ts,
    account_id: accountId,
    client: { ip: '10.0.0.1' },
    api: 'openai.chat',
    model: 'm',
    request: { messages: [{ role: 'user', content: 'hi' }] },
    ...(status === undefined ? {} : { response: { status } }),
  };
}

/**
 * Registers the store contract tests; `open` must return a fresh, empty store each time.
 *
 * @example
 * describeStoreContract('SQLite', () => openSqliteStore({ path: ':memory:' }));
 */
export function describeStoreContract(name: string, open: () => Store | Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    afterEach(async () => {
      await store.close();
    });

    it('round-trips orgs, accounts and keys and bumps the auth revision on writes', async () => {
      store = await open();
      const r0 = await store.authRevision();
      await store.putOrg({ id: 'acme', name: 'Acme', created_at: T0, limits: { requestsPerMinute: 100 } });
      await store.putAccount(account('a1', { org_id: 'acme', verified: true, signup_channel: 'self-serve' }));
      await store.insertKey(key('k1', 'a1', { scopes: ['gpt-x'], limits: { tokensPerMinute: 5 } }));
      expect(await store.authRevision()).toBeGreaterThan(r0);
      expect(await store.getOrg('acme')).toMatchObject({ name: 'Acme', limits: { requestsPerMinute: 100 } });
      expect(await store.getAccount('a1')).toMatchObject({
        org_id: 'acme',
        verified: true,
        signup_channel: 'self-serve',
      });
      expect(await store.getKey('k1')).toMatchObject({ scopes: ['gpt-x'], limits: { tokensPerMinute: 5 } });
      expect(await store.listAccounts({ orgId: 'acme' })).toHaveLength(1);
      expect(await store.listAccounts({ orgId: 'other' })).toHaveLength(0);

      const r1 = await store.authRevision();
      expect(await store.revokeKey('k1', '2026-01-02T00:00:00.000Z')).toBe(true);
      expect(await store.revokeKey('k1', '2026-01-03T00:00:00.000Z')).toBe(true);
      expect((await store.getKey('k1'))?.revoked_at).toBe('2026-01-02T00:00:00.000Z');
      expect(await store.revokeKey('nope', T0)).toBe(false);
      expect(await store.authRevision()).toBeGreaterThan(r1);

      const snap = await store.authSnapshot();
      expect(snap.keys.map((k) => k.id)).toEqual(['k1']);
      expect(snap.accounts.map((a) => a.id)).toEqual(['a1']);
      expect(snap.revision).toBe(await store.authRevision());
    });

    it('updates an account that already has keys (no delete-and-reinsert)', async () => {
      store = await open();
      await store.putAccount(account('a1'));
      await store.insertKey(key('k1', 'a1'));
      await store.putAccount(account('a1', { verified: true }));
      expect((await store.getAccount('a1'))?.verified).toBe(true);
    });

    it('rejects a key for an unknown account', async () => {
      store = await open();
      await expect(store.insertKey(key('k1', 'ghost'))).rejects.toThrow(/FOREIGN KEY/);
    });

    it('stores events in batches, lists them by account and deletes by age', async () => {
      store = await open();
      await store.insertEvents(
        [event('e1', '2026-01-01T00:00:00.000Z', 'a'), event('e2', '2026-01-02T00:00:00.000Z', 'b')],
        'full',
      );
      await store.insertEvents([event('e3', '2026-01-03T00:00:00.000Z', 'a')], 'fingerprint');
      expect(await store.countEvents()).toBe(3);
      expect((await store.listEvents({ accountId: 'a' })).map((e) => e.id)).toEqual(['e1', 'e3']);
      expect((await store.listEvents({ since: '2026-01-02T00:00:00.000Z' })).map((e) => e.id)).toEqual([
        'e2',
        'e3',
      ]);
      expect(await store.deleteEventsBefore('2026-01-02T12:00:00.000Z')).toBe(2);
      expect(await store.countEvents()).toBe(1);
    });

    it('reads the whole log out in (ts, insertion) order, page by page, and every account by id', async () => {
      store = await open();
      // Inserted out of ts order, with a tie (e2, e3) that a page boundary falls inside.
      await store.insertEvents(
        [
          event('e4', '2026-01-03T00:00:00.000Z', 'a'),
          event('e2', '2026-01-02T00:00:00.000Z', 'b'),
          event('e3', '2026-01-02T00:00:00.000Z', 'a'),
          event('e1', '2026-01-01T00:00:00.000Z', 'c'),
          event('e5', '2026-01-03T00:00:00.001Z', 'b'),
        ],
        'full',
      );
      const pages: string[][] = [];
      for await (const batch of storedEvents(store, 2)) pages.push(batch.map((e) => e.id));
      expect(pages).toEqual([['e1', 'e2'], ['e3', 'e4'], ['e5']]);
      const first = await store.pageEvents({ limit: 5 });
      expect(first.events.map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
      expect(first.next).toBeDefined();
      expect(
        (await store.pageEvents({ limit: 5, ...(first.next ? { after: first.next } : {}) })).events,
      ).toEqual([]);
      for (const id of ['b', 'a', 'c'])
        await store.putAccount(account(id, { payment_fingerprint: `pf_${id}` }));
      const accounts: string[][] = [];
      for await (const batch of storedAccountRecords(store, 2)) accounts.push(batch.map((a) => a.account_id));
      expect(accounts).toEqual([['a', 'b'], ['c']]);
      expect((await store.listAccounts({ afterId: 'a' })).map((a) => a.id)).toEqual(['b', 'c']);
    });

    it("lists an account's latest events newest first, ties in insertion order reversed", async () => {
      store = await open();
      await store.insertEvents(
        [
          event('a-old', '2026-01-01T00:00:00.000Z', 'a'),
          event('b-1', '2026-01-01T12:00:00.000Z', 'b'),
          event('a-mid', '2026-01-02T00:00:00.000Z', 'a'),
          event('a-tie-1', '2026-01-03T00:00:00.000Z', 'a'),
          event('a-tie-2', '2026-01-03T00:00:00.000Z', 'a'),
        ],
        'full',
      );
      expect((await store.listLatestEvents({ accountId: 'a', limit: 3 })).map((e) => e.id)).toEqual([
        'a-tie-2',
        'a-tie-1',
        'a-mid',
      ]);
      expect((await store.listLatestEvents({ accountId: 'b' })).map((e) => e.id)).toEqual(['b-1']);
      expect(await store.listLatestEvents({ accountId: 'nobody' })).toEqual([]);
    });

    it('counts events per time bucket with their error answers, and knows the log time range', async () => {
      store = await open();
      expect(await store.eventTimeRange()).toBeUndefined();
      await store.insertEvents(
        [
          event('e1', '2026-01-01T00:00:10.000Z', 'a', 200),
          event('e2', '2026-01-01T00:00:59.999Z', 'b', 429),
          event('e3', '2026-01-01T00:01:00.000Z', 'a'),
          event('e4', '2026-01-01T00:03:30.500Z', 'a', 500),
          event('e5', '2026-01-02T00:00:00.000Z', 'a', 403),
        ],
        'full',
      );
      await store.insertEvents([event('e6', '2026-01-01T00:03:31.000Z', 'c', 401)], 'fingerprint');
      expect(await store.eventTimeRange()).toEqual({
        first: '2026-01-01T00:00:10.000Z',
        last: '2026-01-02T00:00:00.000Z',
      });
      // [from, to): e5 is at `to` and left out; the empty minute 00:02 is left out.
      expect(
        await store.countEventsByTime({
          from: '2026-01-01T00:00:00.000Z',
          to: '2026-01-02T00:00:00.000Z',
          bucketMs: 60_000,
        }),
      ).toEqual([
        { start: '2026-01-01T00:00:00.000Z', exchanges: 2, errors: 1 },
        { start: '2026-01-01T00:01:00.000Z', exchanges: 1, errors: 0 },
        { start: '2026-01-01T00:03:00.000Z', exchanges: 2, errors: 2 },
      ]);
      expect(
        await store.countEventsByTime({
          from: '2026-01-01T00:00:59.999Z',
          to: '2026-01-03T00:00:00.000Z',
          bucketMs: 86_400_000,
        }),
      ).toEqual([
        { start: '2026-01-01T00:00:00.000Z', exchanges: 4, errors: 3 },
        { start: '2026-01-02T00:00:00.000Z', exchanges: 1, errors: 1 },
      ]);
      await expect(
        store.countEventsByTime({
          from: '2026-01-01T00:00:00.000Z',
          to: '2026-01-02T00:00:00.000Z',
          bucketMs: 0,
        }),
      ).rejects.toThrow(/bucketMs must be a whole number/);
    });

    it('answers whole-minute windows from its per-minute roll-up, in step with the log', async () => {
      store = await open();
      const day = { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' };
      // Counted two ways: whole-minute buckets and window (the roll-up) and one-second buckets
      // (never a whole minute, so the log itself) summed per minute here.
      const both = async (): Promise<[EventCountBucket[], EventCountBucket[]]> => {
        const rollup = await store.countEventsByTime({ ...day, bucketMs: 60_000 });
        const perSecond = await store.countEventsByTime({ ...day, bucketMs: 1000 });
        const perMinute = new Map<string, EventCountBucket>();
        for (const b of perSecond) {
          const start = new Date(Math.floor(Date.parse(b.start) / 60_000) * 60_000).toISOString();
          const m = perMinute.get(start) ?? { start, exchanges: 0, errors: 0 };
          perMinute.set(start, { start, exchanges: m.exchanges + b.exchanges, errors: m.errors + b.errors });
        }
        return [rollup, [...perMinute.values()]];
      };
      await store.insertEvents(
        [
          event('e1', '2026-01-01T00:00:10.000Z', 'a', 200),
          event('e2', '2026-01-01T00:01:59.999Z', 'b', 500),
          event('e3', '2026-01-01T00:01:00.000Z', 'a'),
        ],
        'full',
      );
      // A second batch adding to minutes the first one already counted.
      await store.insertEvents(
        [
          event('e4', '2026-01-01T00:01:30.000Z', 'a', 429),
          event('e5', '2026-01-01T00:03:00.000Z', 'c', 200),
        ],
        'fingerprint',
      );
      // Re-inserting an id already logged: the log keeps both rows (ids are not unique in either
      // store), so the roll-up counts it as often as the log does.
      await store.insertEvents([event('e2', '2026-01-01T00:01:59.999Z', 'b', 500)], 'full');
      expect(await store.countEvents()).toBe(6);
      let [rollup, log] = await both();
      expect(rollup).toEqual([
        { start: '2026-01-01T00:00:00.000Z', exchanges: 1, errors: 0 },
        { start: '2026-01-01T00:01:00.000Z', exchanges: 4, errors: 3 },
        { start: '2026-01-01T00:03:00.000Z', exchanges: 1, errors: 0 },
      ]);
      expect(rollup).toEqual(log);
      // Rebucketed: 5-minute and 1-day buckets over the same minutes.
      expect(await store.countEventsByTime({ ...day, bucketMs: 300_000 })).toEqual([
        { start: '2026-01-01T00:00:00.000Z', exchanges: 6, errors: 3 },
      ]);
      expect(
        await store.countEventsByTime({ from: '2026-01-01T00:01:00.000Z', to: day.to, bucketMs: 86_400_000 }),
      ).toEqual([{ start: '2026-01-01T00:00:00.000Z', exchanges: 5, errors: 3 }]);
      // Retention cutting through a minute: the roll-up loses exactly what the log lost.
      expect(await store.deleteEventsBefore('2026-01-01T00:01:45.000Z')).toBe(3);
      [rollup, log] = await both();
      expect(rollup).toEqual([
        { start: '2026-01-01T00:01:00.000Z', exchanges: 2, errors: 2 },
        { start: '2026-01-01T00:03:00.000Z', exchanges: 1, errors: 0 },
      ]);
      expect(rollup).toEqual(log);
      // Retention past everything in a minute leaves no empty minute behind.
      expect(await store.deleteEventsBefore('2026-01-01T00:02:30.000Z')).toBe(2);
      [rollup, log] = await both();
      expect(rollup).toEqual([{ start: '2026-01-01T00:03:00.000Z', exchanges: 1, errors: 0 }]);
      expect(rollup).toEqual(log);
      await expect(store.deleteEventsBefore('yesterday')).rejects.toThrow(/not an RFC 3339 time/);
    });

    it('stores decisions, campaigns, enforcement and audit', async () => {
      store = await open();
      await store.insertDecisions(
        [
          { at: T0, event_id: 'e1', account_id: 'a', action: 'monitor', score: 0.3, reasons: ['r1'] },
          {
            at: T0,
            event_id: 'e2',
            account_id: 'a',
            action: 'block',
            score: 0.9,
            campaign_id: 'c1',
            reasons: ['r2'],
          },
        ],
        'detector',
      );
      const decisions = await store.listDecisions({ accountId: 'a' });
      expect(decisions.map((d) => d.action)).toEqual(['block', 'monitor']);
      expect(decisions[0]).toMatchObject({ campaign_id: 'c1', source: 'detector', reasons: ['r2'] });

      await store.putCampaign(
        { id: 'c1', accounts: ['a'], first_action_at: T0, score: 0.9, evidence: ['x'] },
        T0,
      );
      await store.putCampaign(
        { id: 'c1', accounts: ['a', 'b'], first_action_at: T0, score: 0.95, evidence: ['x'] },
        T0,
      );
      expect((await store.getCampaign('c1'))?.accounts).toEqual(['a', 'b']);
      expect(await store.listCampaigns()).toHaveLength(1);

      const row = {
        account_id: 'a',
        action: 'block' as const,
        reasons: ['r'],
        case_ref: 'case-1',
        campaign_id: 'c1',
        allowlisted: false,
        source: 'detector',
        updated_at: T0,
      };
      await store.putEnforcement(row);
      await store.putEnforcement({ ...row, allowlisted: true });
      expect(await store.listEnforcement()).toEqual([{ ...row, allowlisted: true }]);
      await store.deleteEnforcement('a');
      expect(await store.listEnforcement()).toEqual([]);

      const entry = await store.appendAudit({
        at: T0,
        actor: 'ops',
        action: 'block',
        target: 'account:a',
        reason: 'why',
        details: { n: 1 },
      });
      await store.appendAudit({
        at: T0,
        actor: 'ops',
        action: 'x',
        target: 'account:b',
        reason: 'why',
        details: {},
      });
      expect(await store.listAudit({ target: 'account:a' })).toEqual([entry]);
      expect(await store.listAudit({ limit: 1 })).toHaveLength(1);
    });
  });
}
