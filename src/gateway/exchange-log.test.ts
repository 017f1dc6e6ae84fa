import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBus } from '../bus/types.js';
import type { ExchangeEvent } from '../contract/types.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { createExchangeLog } from './exchange-log.js';

function event(i: number, ts = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString()): ExchangeEvent {
  return {
    id: `e${i}`,
    ts,
    account_id: `a${i % 3}`,
    client: { ip: '10.0.0.1' },
    api: 'openai.chat',
    model: 'm',
    request: { messages: [{ role: 'user', content: `secret prompt ${i}` }] },
    response: { status: 200, text: `secret answer ${i}` },
  };
}

function recordingBus(): EventBus & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    publish: (e) => void seen.push(e.id),
    subscribe: () => () => undefined,
    close: async () => undefined,
  };
}

/** Counts insert transactions. */
function countingInserts(store: Store): { store: Store; batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    store: {
      ...store,
      insertEvents: (events, mode) => {
        batches.push(events.length);
        return store.insertEvents(events, mode);
      },
    },
  };
}

describe('exchange log', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0)) await f();
  });

  it('writes off the hot path, in batched transactions, and publishes every event in order', async () => {
    const base = openSqliteStore({ path: ':memory:' });
    cleanup.push(() => base.close());
    const c = countingInserts(base);
    const bus = recordingBus();
    const log = createExchangeLog({ store: c.store, bus, batchSize: 500 });
    for (let i = 0; i < 1200; i++) expect(log.offer(event(i))).toBe(true);
    // Nothing written synchronously by offer.
    expect(c.batches).toEqual([]);
    expect(bus.seen).toHaveLength(1200);
    expect(bus.seen[0]).toBe('e0');
    await log.drain();
    expect(c.batches).toEqual([500, 500, 200]);
    expect(await base.countEvents()).toBe(1200);
    expect(log.stats).toMatchObject({ offered: 1200, written: 1200, pending: 0, dropped: 0 });
  });

  it('flushes by itself without drain', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    cleanup.push(() => store.close());
    const log = createExchangeLog({ store });
    log.offer(event(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.countEvents()).toBe(1);
  });

  it('drops (and counts) when the bounded queue is full, but still publishes', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    cleanup.push(() => store.close());
    const bus = recordingBus();
    const log = createExchangeLog({ store, bus, capacity: 10 });
    const accepted = Array.from({ length: 15 }, (_, i) => log.offer(event(i)));
    expect(accepted.filter((a) => !a)).toHaveLength(5);
    expect(bus.seen).toHaveLength(15);
    await log.drain();
    expect(log.stats).toMatchObject({ dropped: 5, written: 10 });
    expect(await store.countEvents()).toBe(10);
  });

  it('graceful shutdown loses nothing: close() then reopen the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-log-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'db.sqlite');
    const store = openSqliteStore({ path });
    const log = createExchangeLog({ store, batchSize: 64 });
    for (let i = 0; i < 1000; i++) log.offer(event(i));
    // Offers that arrive while the first batches are being written must be drained too.
    setImmediate(() => {
      for (let i = 1000; i < 1100; i++) log.offer(event(i));
    });
    await new Promise((r) => setImmediate(r));
    await log.close();
    await store.close();
    expect(log.offer(event(5000))).toBe(false);
    expect(log.stats.dropped).toBe(1);
    const reopened = openSqliteStore({ path });
    cleanup.push(() => reopened.close());
    expect(await reopened.countEvents()).toBe(1100);
  });

  it('stores only fingerprints in fingerprint mode', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    cleanup.push(() => store.close());
    const bus = recordingBus();
    const log = createExchangeLog({ store, bus, content: 'fingerprint' });
    log.offer(event(7));
    await log.drain();
    const [stored] = await store.listEvents();
    expect(JSON.stringify(stored)).not.toContain('secret');
    expect(stored?.request.messages[0]?.content).toMatchObject({ chars: 'secret prompt 7'.length });
  });

  it('deletes events past the retention period', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    cleanup.push(() => store.close());
    const now = Date.parse('2026-02-01T00:00:00.000Z');
    const log = createExchangeLog({ store, retentionDays: 7, now: () => now });
    log.offer(event(1, '2026-01-01T00:00:00.000Z'));
    log.offer(event(2, '2026-01-30T00:00:00.000Z'));
    await log.drain();
    expect(await log.applyRetention()).toBe(1);
    expect((await store.listEvents()).map((e) => e.id)).toEqual(['e2']);
    await log.close();
  });

  it('refuses nonsensical settings', () => {
    const store = openSqliteStore({ path: ':memory:' });
    cleanup.push(() => store.close());
    expect(() => createExchangeLog({ store, retentionDays: 0 })).toThrow(/retentionDays must be a positive/);
    expect(() => createExchangeLog({ store, capacity: 0 })).toThrow(/capacity and batchSize/);
  });

  it('counts a failed batch and keeps going', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    cleanup.push(() => store.close());
    const errors: unknown[] = [];
    let fail = true;
    const flaky: Store = {
      ...store,
      insertEvents: async (events, mode) => {
        if (fail) throw new Error('disk full');
        return store.insertEvents(events, mode);
      },
    };
    const log = createExchangeLog({ store: flaky, onError: (e) => errors.push(e) });
    log.offer(event(1));
    await log.drain();
    fail = false;
    log.offer(event(2));
    await log.drain();
    expect(log.stats).toMatchObject({ failed: 1, written: 1, pending: 0 });
    expect(String(errors[0])).toContain('disk full');
  });
});
