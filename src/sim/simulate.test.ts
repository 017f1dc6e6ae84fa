import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonlWriter } from '../contract/write-jsonl.js';
import { SimulateError, type SimulateSummary, simulate } from './simulate.js';
import { TEST_DATA_DIR } from './test-helpers/world.js';

// Validate against the shared contract files themselves, not the repo's copies.
const CONTRACT = existsDir('../shared/contract') ? '../shared/contract' : 'src/contract/schemas';
function existsDir(p: string): boolean {
  try {
    readFileSync(join(p, 'label.schema.json'));
    return true;
  } catch {
    return false;
  }
}
const ajv = new Ajv2020({ strict: true });
addFormats.default(ajv, ['date-time']);
const schema = (name: string) =>
  ajv.compile(JSON.parse(readFileSync(join(CONTRACT, `${name}.schema.json`), 'utf8')));

function lines(path: string): unknown[] {
  const raw = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

const SMALL = {
  seed: 7,
  scale: 0.0001,
  days: 3,
  scenarios: ['deepseek', 'low-and-slow'],
  dataDir: TEST_DATA_DIR,
  onNotice: () => undefined,
};

describe('simulate', () => {
  let dir: string;
  let first: SimulateSummary;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dg-sim-'));
    first = await simulate({ ...SMALL, outDir: join(dir, 'a') });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes events, accounts and labels valid against the contract', () => {
    const event = schema('exchange-event');
    const account = schema('account-record');
    const label = schema('label');
    const events = lines(first.files.events);
    expect(events.length).toBe(first.events);
    for (const e of events) expect(event(e), JSON.stringify(event.errors)).toBe(true);
    for (const a of lines(first.files.accounts))
      expect(account(a), JSON.stringify(account.errors)).toBe(true);
    for (const l of lines(first.files.labels)) expect(label(l), JSON.stringify(label.errors)).toBe(true);
  });

  it('sorts events by ts globally, with unique ids, and labels every account', () => {
    const events = lines(first.files.events) as Array<{ id: string; ts: string; account_id: string }>;
    for (let i = 1; i < events.length; i++)
      expect((events[i - 1]?.ts ?? '') <= (events[i]?.ts ?? '')).toBe(true);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const labelled = new Set(
      (lines(first.files.labels) as Array<{ account_id: string }>).map((l) => l.account_id),
    );
    expect(events.every((e) => labelled.has(e.account_id))).toBe(true);
    expect(first.accounts.benign).toBeGreaterThan(10 * first.accounts.attack);
    expect(Object.keys(first.populations)).toEqual(
      expect.arrayContaining(['casual-chat', 'deepseek', 'low-and-slow']),
    );
    expect(first.populations.hydra).toBeUndefined();
  });

  it('writes accounts in sign-up order, not grouped by population', () => {
    const created = (lines(first.files.accounts) as Array<{ created_at: string }>).map((a) => a.created_at);
    expect(created).toEqual([...created].sort());
  });

  it('keeps every event inside the window and after its account was created', () => {
    const created = new Map(
      (lines(first.files.accounts) as Array<{ account_id: string; created_at: string }>).map((a) => [
        a.account_id,
        a.created_at,
      ]),
    );
    const events = lines(first.files.events) as Array<{ ts: string; account_id: string }>;
    for (const e of events) {
      expect(e.ts >= first.window.start && e.ts < first.window.end).toBe(true);
      expect(e.ts >= (created.get(e.account_id) ?? '')).toBe(true);
    }
  });

  it('is deterministic: the same seed gives byte-identical files, another seed differs', async () => {
    const again = await simulate({ ...SMALL, outDir: join(dir, 'b') });
    for (const f of ['events', 'accounts', 'labels'] as const)
      expect(readFileSync(again.files[f]).equals(readFileSync(first.files[f]))).toBe(true);
    const other = await simulate({ ...SMALL, seed: 8, outDir: join(dir, 'c') });
    expect(readFileSync(other.files.events).equals(readFileSync(first.files.events))).toBe(false);
  });

  it('injects labelled campaigns into a host log, merged by ts', async () => {
    const hostPath = join(dir, 'host.jsonl');
    const out = createJsonlWriter(hostPath);
    const t0 = Date.UTC(2025, 5, 1);
    for (let i = 0; i < 300; i++)
      await out.write({
        id: `h${i}`,
        ts: new Date(t0 + i * 600_000).toISOString(),
        account_id: `host-${i % 7}`,
        client: { ip: '203.0.113.9' },
        api: 'openai.chat',
        model: 'm',
        request: { messages: [{ role: 'user', content: 'hi' }] },
      });
    await out.close();
    const s = await simulate({
      ...SMALL,
      scenarios: ['deepseek'],
      outDir: join(dir, 'inj'),
      injectInto: hostPath,
    });
    const events = lines(s.files.events) as Array<{ ts: string; id: string }>;
    expect(s.host).toEqual({ events: 300, rejected: 0, accounts: 7 });
    expect(events.length).toBe(300 + (s.populations.deepseek?.events ?? 0));
    expect(s.populations.deepseek?.events).toBeGreaterThan(0);
    for (let i = 1; i < events.length; i++)
      expect((events[i - 1]?.ts ?? '') <= (events[i]?.ts ?? '')).toBe(true);
    expect((events[0]?.ts ?? '').slice(0, 10) >= '2025-06-01').toBe(true);
    const labels = lines(s.files.labels) as Array<{ account_id: string; persona: string; label: string }>;
    expect(labels.filter((l) => l.persona === 'injected-host' && l.label === 'benign')).toHaveLength(7);
    expect(s.populations['casual-chat']).toBeUndefined();
  });

  it('rejects bad options with specific messages', async () => {
    await expect(simulate({ ...SMALL, outDir: join(dir, 'x'), scale: 0 })).rejects.toThrow(SimulateError);
    await expect(simulate({ ...SMALL, outDir: join(dir, 'x'), scenarios: ['nope'] })).rejects.toThrow(
      'unknown scenario "nope"',
    );
    await expect(simulate({ ...SMALL, outDir: join(dir, 'x'), seed: 1.5 })).rejects.toThrow(
      'seed must be an integer',
    );
  });

  it('runs without a data directory on the built-in generator and says so', async () => {
    const notices: string[] = [];
    const s = await simulate({
      ...SMALL,
      dataDir: '/nonexistent-data',
      outDir: join(dir, 'builtin'),
      onNotice: (m) => notices.push(m),
    });
    expect(s.data.builtIn).toBe(true);
    expect(s.events).toBeGreaterThan(100);
    expect(notices.join('\n')).toMatch(/built-in/);
  });
});
