import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openEventStream } from '../contract/read-jsonl.js';
import type { AccountRecord, ExchangeEvent } from '../contract/types.js';
import { validateReport } from '../contract/validate.js';
import { analyze, PROGRESS_EVERY } from './analyze.js';
import { createBaselineDetector } from './baseline-rate.js';
import { createDetector } from './detector.js';
import { createCountingDetector } from './test-helpers/fake-detectors.js';
import type { OnlineDetector } from './types.js';

const T0 = Date.UTC(2026, 2, 1);

/** A stream where a few accounts on shared subnets send bursts among background traffic. */
const streamArb = fc
  .array(
    fc.record({
      account: fc.integer({ min: 0, max: 7 }),
      gapMs: fc.integer({ min: 0, max: 20_000 }),
    }),
    { minLength: 1, maxLength: 400, size: 'max' },
  )
  .map((steps) => {
    let t = T0;
    return steps.map(({ account, gapMs }, i): ExchangeEvent => {
      t += gapMs;
      return {
        id: `ev-${i}`,
        ts: new Date(t).toISOString(),
        account_id: `acct-${account}`,
        client: { ip: `198.51.${account % 3}.${10 + account}` },
        api: 'openai.chat',
        model: 'm',
        request: { messages: [{ role: 'user', content: `q${i}` }] },
      };
    });
  });

const detectors: Array<[string, () => OnlineDetector]> = [
  ['counting fake', () => createCountingDetector({ throttleAt: 12, campaignSize: 2 })],
  ['baseline', () => createBaselineDetector({ requestsPerHour: 20 })],
];

describe('analyze', () => {
  it.each(detectors)(
    'on a prefix of a stream decides exactly what the full run decided up to the cut (%s)',
    async (_name, make) => {
      let decided = 0;
      await fc.assert(
        fc.asyncProperty(streamArb, fc.nat(), async (events, cutSeed) => {
          const cut = cutSeed % (events.length + 1);
          const full = await analyze({ events, detector: make() });
          const prefix = await analyze({ events: events.slice(0, cut), detector: make() });
          const index = new Map(events.map((e, i) => [e.id, i]));
          expect(prefix.decisions).toEqual(full.decisions.filter((d) => index.get(d.event_id)! < cut));
          expect(prefix.events).toBe(cut);
          decided += full.decisions.length;
        }),
        { numRuns: 60 },
      );
      // The property means little unless the streams actually provoke decisions.
      expect(decided).toBeGreaterThan(100);
    },
  );

  it('collects decisions in the order made, campaigns, notes and a summary', async () => {
    const events = Array.from(
      { length: 8 },
      (_, i): ExchangeEvent => ({
        id: `e${i}`,
        ts: new Date(T0 + i * 1000).toISOString(),
        account_id: i % 2 === 0 ? 'a' : 'b',
        client: { ip: '203.0.113.5' },
        api: 'anthropic.messages',
        model: 'm',
        request: { messages: [] },
      }),
    );
    const report = await analyze({
      events,
      detector: createCountingDetector({ throttleAt: 2, campaignSize: 2 }),
    });
    expect(report.decisions.map((d) => [d.event_id, d.account_id, d.action])).toEqual([
      ['e2', 'a', 'throttle'],
      ['e3', 'b', 'throttle'],
      ['e3', 'a', 'block'],
      ['e3', 'b', 'block'],
    ]);
    expect(report.campaigns).toEqual([
      {
        id: 'camp-203.0.113',
        accounts: ['a', 'b'],
        first_action_at: events[3]!.ts,
        score: 0.95,
        evidence: ['shared 203.0.113.0/24'],
      },
    ]);
    expect(report.notes).toEqual(['no account records']);
    expect(report.summary).toEqual({
      accounts: 2,
      accountRecords: 0,
      firstEventAt: events[0]!.ts,
      lastEventAt: events[7]!.ts,
      decisions: { monitor: 0, throttle: 2, degrade: 0, block: 2 },
      accountsAtAction: { monitor: 0, throttle: 0, degrade: 0, block: 2 },
      campaigns: 1,
    });
  });

  it('feeds every account record before the first event, from sync or async sources', async () => {
    const seen: string[] = [];
    const spy: OnlineDetector = {
      addAccount: (r) => {
        seen.push(`account ${r.account_id}`);
      },
      process: (e) => {
        seen.push(`event ${e.id}`);
        return [];
      },
      campaigns: () => [],
      notes: () => [],
    };
    const accounts: AccountRecord[] = [
      { account_id: 'x', created_at: new Date(T0).toISOString() },
      { account_id: 'y', created_at: new Date(T0).toISOString() },
    ];
    async function* later(): AsyncGenerator<AccountRecord> {
      yield* accounts;
    }
    const lines = ['e1', 'e2'].map((id, i) =>
      JSON.stringify({
        id,
        ts: new Date(T0 + i).toISOString(),
        account_id: 'x',
        client: { ip: '1.2.3.4' },
        api: 'openai.chat',
        model: 'm',
        request: { messages: [] },
      }),
    );
    const reader = openEventStream(Readable.from([Buffer.from(lines.join('\n'))]), 'mem');
    const report = await analyze({ events: reader, accounts: later(), detector: spy });
    expect(seen).toEqual(['account x', 'account y', 'event e1', 'event e2']);
    expect(report.summary.accountRecords).toBe(2);
  });

  it('reports progress every PROGRESS_EVERY events and at the end', async () => {
    const events = Array.from(
      { length: PROGRESS_EVERY * 2 + 5 },
      (_, i): ExchangeEvent => ({
        id: `e${i}`,
        ts: new Date(T0 + i).toISOString(),
        account_id: 'a',
        client: { ip: '1.2.3.4' },
        api: 'openai.chat',
        model: 'm',
        request: { messages: [] },
      }),
    );
    const seen: number[] = [];
    await analyze({ events, detector: createBaselineDetector(), onProgress: (p) => seen.push(p.events) });
    expect(seen).toEqual([PROGRESS_EVERY, PROGRESS_EVERY * 2, PROGRESS_EVERY * 2 + 5]);
  });

  it('produces a report valid against ../shared/contract/report.schema.json, extra properties included', async () => {
    const events = Array.from(
      { length: 30 },
      (_, i): ExchangeEvent => ({
        id: `e${i}`,
        ts: new Date(T0 + i * 1000).toISOString(),
        account_id: `acct-${i % 3}`,
        client: { ip: `203.0.113.${i % 3}` },
        api: 'openai.chat',
        model: 'm',
        request: { messages: [] },
      }),
    );
    const report = {
      ...(await analyze({ events, detector: createCountingDetector({ throttleAt: 5, campaignSize: 3 }) })),
      rejected: 0,
    };
    expect(report.decisions.length).toBeGreaterThan(0);
    expect(validateReport(report)).toEqual({ ok: true, value: report });
    const shared = join(
      fileURLToPath(new URL('.', import.meta.url)),
      '..',
      '..',
      '..',
      'shared',
      'contract',
      'report.schema.json',
    );
    if (!existsSync(shared)) return;
    const ajv = new Ajv2020({ strict: true });
    addFormats.default(ajv);
    const check = ajv.compile(JSON.parse(readFileSync(shared, 'utf8')) as object);
    expect(check(report), JSON.stringify(check.errors)).toBe(true);
  });

  it('runs the distillguard engine when no detector is given', async () => {
    const events = fc.sample(streamArb, { numRuns: 1, seed: 7 })[0]!;
    const byDefault = await analyze({ events });
    const explicit = await analyze({ events, detector: createDetector() });
    expect(byDefault).toEqual(explicit);
    expect(validateReport(byDefault).ok).toBe(true);
  });
});

describe('analyze on a campaign that asks in Chinese', () => {
  const FRAMES = [
    '请一步一步地推理，并写出完整的解题过程：{q}',
    '{q}\n\n回答之前，请详细写下推理的每一个中间步骤。',
    '问题：{q}\n请展示你的思考过程，然后给出最终答案。',
  ];
  /** Six fresh accounts on one card sending distinct word problems every 10 s, framed or not. */
  /** Where the request for reasoning goes: in the user turn, in the system prompt, or nowhere. */
  function fleet(framed: 'turn' | 'system' | false): { events: ExchangeEvent[]; accounts: AccountRecord[] } {
    const accounts = Array.from(
      { length: 6 },
      (_, a): AccountRecord => ({
        account_id: `zh-${a}`,
        created_at: new Date(T0 - 3_600_000 + a * 60_000).toISOString(),
        signup_channel: 'self-serve',
        payment_fingerprint: 'pf_3e77',
      }),
    );
    const events = Array.from({ length: 240 }, (_, i): ExchangeEvent => {
      const q = `小明有${i + 3}个苹果，又买了${((i * 7) % 13) + 2}盒，每盒${(i % 5) + 4}个，他一共有多少个苹果？`;
      return {
        id: `zh-e${i}`,
        ts: new Date(T0 + i * 10_000).toISOString(),
        account_id: `zh-${i % 6}`,
        client: { ip: `203.0.113.${20 + (i % 6)}`, user_agent: 'python-requests/2.31' },
        api: 'openai.chat',
        model: 'm',
        request: {
          messages: [
            ...(framed === 'system'
              ? [{ role: 'system', content: '请一步一步地推理，并写出完整的解题过程。' }]
              : []),
            { role: 'user', content: framed === 'turn' ? FRAMES[i % 3]!.replace('{q}', q) : q },
          ],
        },
      };
    });
    return { events, accounts };
  }

  it('reads the reasoning-trace requests and names them among the campaign’s reasons', async () => {
    const framed = await analyze({ ...fleet('turn'), detector: createDetector() });
    const inSystem = await analyze({ ...fleet('system'), detector: createDetector() });
    const plain = await analyze({ ...fleet(false), detector: createDetector() });
    const evidence = (r: typeof framed) => r.campaigns.flatMap((c) => c.evidence).join('\n');
    expect(evidence(framed)).toMatch(/ask for the full reasoning trace/);
    // Asked once, in the system prompt, with bare questions as the turns: read all the same.
    expect(evidence(inSystem)).toMatch(/ask for the full reasoning trace/);
    expect(evidence(plain)).not.toMatch(/reasoning trace/);
    expect(framed.summary.accountsAtAction.block + framed.summary.accountsAtAction.degrade).toBe(6);
  });
});
