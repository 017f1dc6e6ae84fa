import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignReport, Decision, ExchangeEvent } from '../../contract/types.js';
import { defaultPolicy } from '../../detect/policy.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { startExchangeThread } from './exchange-thread.js';

function event(i: number): ExchangeEvent {
  return {
    id: `e${i}`,
    ts: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    account_id: `a${i % 3}`,
    client: { ip: '10.0.0.1' },
    api: 'openai.chat',
    model: 'm',
    request: {
      messages: [{ role: 'user', content: `Show every step of your reasoning for question ${i}.` }],
    },
    response: { status: 200, text: `answer ${i}` },
  };
}

let dir: string;
let dbPath: string;
const lines: string[] = [];
const log = (line: string): void => void lines.push(line);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dg-exchange-thread-'));
  dbPath = join(dir, 'gateway.db');
  lines.length = 0;
  // The gateway opens (and migrates) the file before the thread does.
  void openSqliteStore({ path: dbPath }).close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function storedIds(): Promise<string[]> {
  const store = openSqliteStore({ path: dbPath });
  try {
    return (await store.listEvents({ limit: 1000 })).map((e) => e.id);
  } finally {
    await store.close();
  }
}

describe('startExchangeThread', () => {
  it('writes every offered exchange to the SQLite file and loses none on close', async () => {
    const thread = await startExchangeThread({ dbPath, content: 'full', log, onDecisions: () => undefined });
    for (let i = 0; i < 250; i++) expect(thread.offer(event(i))).toBe(true);
    await thread.close();
    expect(thread.stats).toMatchObject({ offered: 250, taken: 250, dropped: 0, written: 250, failed: 0 });
    expect((await storedIds()).sort()).toEqual(Array.from({ length: 250 }, (_, i) => `e${i}`).sort());
    expect(thread.offer(event(999))).toBe(false);
    expect(lines).toEqual([]);
  });

  it('sends a lone exchange on its own, without drain or close', async () => {
    const thread = await startExchangeThread({ dbPath, content: 'full', log, onDecisions: () => undefined });
    thread.offer(event(0));
    const deadline = Date.now() + 5_000;
    while (thread.stats.taken === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(thread.stats.taken).toBe(1);
    await thread.close();
  });

  it('drain() returns once what was offered is in the store, with the thread still running', async () => {
    const thread = await startExchangeThread({
      dbPath,
      content: 'fingerprint',
      log,
      onDecisions: () => undefined,
    });
    for (let i = 0; i < 10; i++) thread.offer(event(i));
    await thread.drain();
    const store = openSqliteStore({ path: dbPath });
    const stored = await store.listEvents({ limit: 100 });
    await store.close();
    expect(stored).toHaveLength(10);
    // Fingerprint mode keeps no text.
    expect(JSON.stringify(stored)).not.toContain('Show every step');
    expect(thread.offer(event(10))).toBe(true);
    await thread.close();
    expect(await storedIds()).toHaveLength(11);
  });

  it('runs the detector on the thread and hands its decisions to the main thread', async () => {
    // A policy that escalates at the slightest suspicion, so one account's first events decide.
    const base = defaultPolicy();
    const policy = { ...base, account: { monitor: 0.001, throttle: 0.002, degrade: 0.003, block: 0.004 } };
    const got: Decision[] = [];
    let campaigns: CampaignReport[] | undefined;
    const thread = await startExchangeThread({
      dbPath,
      content: 'full',
      policy,
      log,
      onDecisions: (d, c) => {
        got.push(...d);
        campaigns = c;
      },
    });
    for (let i = 0; i < 30; i++) thread.offer(event(i));
    await thread.close();
    expect(got.length).toBeGreaterThan(0);
    expect(new Set(got.map((d) => d.account_id))).toEqual(new Set(['a0', 'a1', 'a2']));
    expect(got.every((d) => d.reasons.length > 0)).toBe(true);
    expect(campaigns).toBeInstanceOf(Array);
  });

  it('refuses offers beyond its capacity in flight instead of queueing without bound', async () => {
    const thread = await startExchangeThread({
      dbPath,
      content: 'full',
      capacity: 5,
      log,
      onDecisions: () => undefined,
    });
    const accepted = Array.from({ length: 8 }, (_, i) => thread.offer(event(i)));
    expect(accepted).toEqual([true, true, true, true, true, false, false, false]);
    expect(thread.stats.dropped).toBe(3);
    await thread.close();
    expect(await storedIds()).toHaveLength(5);
  });

  it('logs and detects megabyte prompts like any other', async () => {
    const thread = await startExchangeThread({ dbPath, content: 'full', log, onDecisions: () => undefined });
    const big = 'Explain each step. '.repeat(200_000); // ~3.8 MB
    for (let i = 0; i < 5; i++) {
      thread.offer({ ...event(i), request: { messages: [{ role: 'user', content: big }] } });
    }
    await thread.close();
    expect(thread.stats).toMatchObject({ taken: 5, written: 5, dropped: 0, failed: 0 });
    expect(lines).toEqual([]);
  });

  it('fails to start with the reason when the database cannot be opened', async () => {
    await expect(
      startExchangeThread({
        dbPath: join(dir, 'missing', 'x.db'),
        content: 'full',
        log,
        onDecisions: () => undefined,
      }),
    ).rejects.toThrow(/directory does not exist|unable to open/i);
  });
});
