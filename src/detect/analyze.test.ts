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

describe('analyze on a query-set fleet that writes in Chinese behind a proxy pool', () => {
  const POOL = { asn: 64_999, asn_org: 'Example Proxy Services', user_agent: 'python-requests/2.31' };
  const NAMES = ['小明', '小红', '小刚', '小丽', '小华', '王老师', '李阿姨'];
  const THINGS = ['苹果', '铅笔', '糖果', '贴纸', '橘子', '练习本', '气球', '邮票', '饼干', '弹珠', '画片'];
  /** Problems from a word-problem set: a different person, object and question each time. */
  const PROBLEMS = [
    (n: string, t: string, i: number) =>
      `${n}有${i + 3}个${t}，又买了${(i % 13) + 2}盒，每盒${(i % 5) + 4}个。一共有多少个${t}？`,
    (n: string, t: string, i: number) =>
      `${n}把${i + 20}个${t}平均分给${(i % 4) + 2}个同学，每人分到几个？还剩几个？`,
    (n: string, t: string, i: number) =>
      `一箱${t}有${i + 30}个，${n}第一天用去了一半，第二天又用去${(i % 9) + 1}个，箱子里还剩多少个？`,
    (n: string, t: string, i: number) =>
      `${n}买${t}花了${i + 12}元，比买文具少花${(i % 7) + 3}元。买文具花了多少元？`,
    (n: string, t: string, i: number) =>
      `甲、乙两人共有${t}${i + 40}个，甲比乙多${(i % 10) * 2}个。${n}想知道甲、乙各有多少个。`,
  ];
  const problem = (i: number): string =>
    PROBLEMS[i % PROBLEMS.length]!(NAMES[(i * 3) % NAMES.length]!, THINGS[(i * 5) % THINGS.length]!, i);
  /** Each customer's own way of asking (people do not share a phrasing), and a follow-up. */
  const CUSTOMERS: readonly [opener: string, ask: string, followUp: string][] = [
    ['你好！我在做作业，这道题我不太懂：', '你能一步一步给我讲讲吗？谢谢', '嗯嗯，那为什么要乘起来？'],
    ['嗨，我儿子问我这个，我也不会哈哈', '能不能把思路一步步写出来呀', '哦哦懂了，那换成梨也一样吧'],
    ['老师好，这题我算了好几遍都不对', '麻烦您一步一步讲一下，谢谢啦', '我第二步是加起来的，错在哪里？'],
    ['请问一下，', '我想看看详细的解题过程，可以吗？', '可以再讲慢一点吗'],
    ['在吗？帮我看看这道题', '你一步步推给我看看吧，我老是弄错', '原来如此！那还有别的方法吗'],
    ['我明天考试，复习的时候卡住了：', '求详细步骤！！谢谢你', '考试的时候这样写步骤可以拿满分吗？'],
    ['嗯……这题我真的不会', '你能把推理过程写清楚一点吗？我想学会', '你刚才那步我没看懂，能画个图吗'],
    ['打扰一下，我在辅导孩子：', '请一步一步解释，我好讲给他听，多谢', '小孩子能听懂的说法是什么？'],
  ];
  /**
   * Eight harvesters on their own cards and eight customers of the same pool and library, all
   * asking in Chinese for the working: the harvesters send one self-contained problem per
   * request (the request for reasoning in the system prompt, so they share no template); the
   * customers chat, each in their own words, and follow up on answers. What links
   * the harvesters is only the pool's subnets and the library: a pair on those alone links
   * harvest-shaped accounts, so their prompts must read as a query set in Chinese too.
   */
  function traffic(): { events: ExchangeEvent[]; accounts: AccountRecord[] } {
    const accounts: AccountRecord[] = [];
    for (let a = 0; a < 16; a++) {
      accounts.push({
        account_id: a < 8 ? `zh-h${a}` : `zh-c${a - 8}`,
        created_at: new Date(T0 - (a + 1) * 11 * 3_600_000).toISOString(),
        signup_channel: 'self-serve',
        payment_fingerprint: `pf_zh${a}`,
      });
    }
    const events: ExchangeEvent[] = [];
    for (let i = 0; i < 1600; i++) {
      const harvester = i % 2 === 0;
      const who = Math.floor(i / 2) % 8;
      const q = problem(i);
      const [opener, ask, again] = CUSTOMERS[who]!;
      const followUp = !harvester && Math.floor(i / 16) % 3 === 2;
      const first = { role: 'user', content: `${opener}${q}${ask}` };
      const messages = harvester
        ? [
            { role: 'system', content: '请一步一步地推理，并写出完整的解题过程。' },
            { role: 'user', content: q },
          ]
        : followUp
          ? [
              first,
              { role: 'assistant', content: '先算出买来的苹果，再加上原来的。' },
              { role: 'user', content: again },
            ]
          : [first];
      events.push({
        id: `zh-p${i}`,
        ts: new Date(T0 + i * 15_000).toISOString(),
        account_id: harvester ? `zh-h${who}` : `zh-c${who}`,
        client: { ...POOL, ip: `198.51.100.${(i % 4) * 60 + who}` },
        api: 'openai.chat',
        model: 'm',
        request: { messages },
      });
    }
    return { events, accounts };
  }

  it('links the harvesters as one campaign and leaves the chatting customers alone', async () => {
    const report = await analyze({ ...traffic(), detector: createDetector() });
    const harvesters = new Set(Array.from({ length: 8 }, (_, a) => `zh-h${a}`));
    const caught = report.campaigns.filter((c) => c.accounts.some((id) => harvesters.has(id)));
    expect(caught).toHaveLength(1);
    expect(new Set(caught[0]!.accounts)).toEqual(harvesters);
    const acted = new Set(
      report.decisions.filter((d) => d.action === 'degrade' || d.action === 'block').map((d) => d.account_id),
    );
    for (const id of harvesters) expect(acted.has(id), id).toBe(true);
    const customers = report.decisions.filter((d) => d.account_id.startsWith('zh-c'));
    for (const d of customers) expect(['allow', 'monitor'], d.account_id).toContain(d.action);
  });
});
