import { describe, expect, it } from 'vitest';
import type { Action, CampaignReport, Decision, ExchangeEvent, Label, Report } from '../contract/types.js';
import { createBaselineDetector } from '../detect/baseline-rate.js';
import { createScorer, scoreRun } from './score.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (s: number): string => new Date(T0 + s * 1000).toISOString();

/** An event `id` from `account` at T0 + `s` seconds. */
function ev(id: string, account: string, s: number): ExchangeEvent {
  return {
    id,
    ts: iso(s),
    account_id: account,
    client: { ip: '198.51.100.1' },
    api: 'openai.chat',
    model: 'm',
    request: { messages: [{ role: 'user', content: 'q' }] },
  };
}

function dec(eventId: string, account: string, s: number, action: Action): Decision {
  return { at: iso(s), event_id: eventId, account_id: account, action, score: 0.9, reasons: ['test'] };
}

function report(decisions: Decision[], campaigns: CampaignReport[] = []): Report {
  return { schema: 'distillguard.report/1', events: 0, decisions, campaigns };
}

async function* stream(events: ExchangeEvent[]): AsyncGenerator<ExchangeEvent> {
  yield* events;
}

const attack = (account_id: string, campaign: string): Label => ({
  account_id,
  label: 'attack',
  campaign,
  persona: `${campaign}-worker`,
});
const benign = (account_id: string, persona: string): Label => ({ account_id, label: 'benign', persona });

describe('scoreRun leak', () => {
  it('counts the triggering event as served and contains from the next request', async () => {
    const events = [ev('e1', 'a', 0), ev('e2', 'a', 1), ev('e3', 'a', 2), ev('e4', 'a', 3)];
    const score = await scoreRun({
      events: stream(events),
      labels: [attack('a', 'deepseek')],
      report: report([dec('e2', 'a', 1, 'degrade')]),
    });
    const c = score.campaigns[0];
    expect(c).toMatchObject({ campaign: 'deepseek', exchanges: 4, leakedExchanges: 2, leak: 0.5 });
    expect(score.decisionsAppliedByTs).toBe(0);
  });

  it('a decision on the very first event still leaks that event', async () => {
    const score = await scoreRun({
      events: stream([ev('e1', 'a', 0), ev('e2', 'a', 1)]),
      labels: [attack('a', 'minimax')],
      report: report([dec('e1', 'a', 0, 'block')]),
    });
    expect(score.campaigns[0]?.leakedExchanges).toBe(1);
  });

  it('a decision triggered by another account applies to requests after the trigger, even at the same ts', async () => {
    // b0 has the same ts as the trigger but comes before it in the stream: served.
    // b1 has the same ts and comes after it: contained.
    const events = [ev('b0', 'b', 5), ev('a1', 'a', 5), ev('b1', 'b', 5), ev('b2', 'b', 6)];
    const score = await scoreRun({
      events: stream(events),
      labels: [attack('a', 'hydra-1'), attack('b', 'hydra-1')],
      report: report([dec('a1', 'a', 5, 'block'), dec('a1', 'b', 5, 'block')]),
    });
    // a1 leaked (it triggered), b0 leaked (before the trigger); b1 and b2 contained.
    expect(score.campaigns[0]).toMatchObject({ exchanges: 4, leakedExchanges: 2, leak: 0.5 });
  });

  it('monitor and throttle do not stop the leak; a later degrade does', async () => {
    const events = [ev('e1', 'a', 0), ev('e2', 'a', 1), ev('e3', 'a', 2), ev('e4', 'a', 3), ev('e5', 'a', 4)];
    const score = await scoreRun({
      events: stream(events),
      labels: [attack('a', 'moonshot')],
      report: report([
        dec('e1', 'a', 0, 'monitor'),
        dec('e2', 'a', 1, 'throttle'),
        dec('e3', 'a', 2, 'degrade'),
      ]),
    });
    expect(score.campaigns[0]?.leakedExchanges).toBe(3);
  });

  it('applies a decision whose trigger is not in the stream from strictly later ts', async () => {
    const events = [ev('e1', 'a', 0), ev('e2', 'a', 1), ev('e3', 'a', 1), ev('e4', 'a', 2)];
    const score = await scoreRun({
      events: stream(events),
      labels: [attack('a', 'adaptive')],
      report: report([dec('elsewhere', 'a', 1, 'block')]),
    });
    // e2 and e3 share the decision's ts: served. e4 is later: contained.
    expect(score.campaigns[0]?.leakedExchanges).toBe(3);
    expect(score.decisionsAppliedByTs).toBe(1);
  });

  it('sums leak over all attack traffic', async () => {
    const events = [ev('e1', 'a', 0), ev('e2', 'a', 1), ev('e3', 'b', 2), ev('e4', 'b', 3)];
    const score = await scoreRun({
      events: stream(events),
      labels: [attack('a', 'deepseek'), attack('b', 'low-and-slow-7')],
      report: report([dec('e1', 'a', 0, 'block')]),
    });
    expect(score.attack).toEqual({ accounts: 2, exchanges: 4, leakedExchanges: 3, leak: 0.75 });
    expect(score.campaigns.map((c) => [c.campaign, c.kind])).toEqual([
      ['deepseek', 'deepseek'],
      ['low-and-slow-7', 'low-and-slow'],
    ]);
  });
});

describe('scoreRun time to first action', () => {
  it('measures first flag and first containment from the campaign start', async () => {
    const events = [ev('e1', 'a', 10), ev('e2', 'b', 70), ev('e3', 'a', 130), ev('e4', 'b', 400)];
    const score = await scoreRun({
      events: stream(events),
      labels: [attack('a', 'hydra'), attack('b', 'hydra')],
      report: report([
        dec('e2', 'b', 70, 'monitor'),
        dec('e3', 'a', 130, 'throttle'),
        dec('e4', 'b', 400, 'block'),
      ]),
    });
    expect(score.campaigns[0]).toMatchObject({
      startedAt: iso(10),
      firstFlagMs: 60_000,
      firstContainmentMs: 390_000,
      accountsFlagged: 2,
      accountsContained: 1,
    });
  });

  it('reports null when the campaign was never acted on', async () => {
    const score = await scoreRun({
      events: stream([ev('e1', 'a', 0)]),
      labels: [attack('a', 'hydra')],
      report: report([]),
    });
    expect(score.campaigns[0]).toMatchObject({ firstFlagMs: null, firstContainmentMs: null, leak: 1 });
  });
});

describe('scoreRun attribution', () => {
  const labels = [
    attack('a1', 'hydra'),
    attack('a2', 'hydra'),
    attack('a3', 'hydra'),
    attack('a4', 'hydra'),
    attack('d1', 'deepseek'),
    benign('u1', 'shared-nat'),
  ];
  const events = labels.map((l, i) => ev(`e${i}`, l.account_id, i));
  const campaign = (id: string, accounts: string[]): CampaignReport => ({
    id,
    accounts,
    first_action_at: iso(0),
    score: 0.9,
    evidence: [],
  });

  it('takes the reported campaign holding most accounts; others and benign accounts lower purity', async () => {
    const score = await scoreRun({
      events: stream(events),
      labels,
      report: report(
        [],
        [
          campaign('c-small', ['a4']),
          campaign('c-big', ['a1', 'a2', 'a3', 'd1', 'u1']),
          campaign('c-d', ['d1']),
        ],
      ),
    });
    const hydra = score.campaigns.find((c) => c.campaign === 'hydra');
    expect(hydra?.attribution).toEqual({
      reportedCampaign: 'c-big',
      matchedAccounts: 3,
      reportedAccounts: 5,
      completeness: 0.75,
      purity: 0.6,
    });
    // d1 is in c-big and c-d with one account each: the smaller (purer) one wins the tie.
    const deepseek = score.campaigns.find((c) => c.campaign === 'deepseek');
    expect(deepseek?.attribution).toMatchObject({ reportedCampaign: 'c-d', completeness: 1, purity: 1 });
  });

  it('is zero with no purity when no reported campaign holds any account', async () => {
    const score = await scoreRun({
      events: stream(events),
      labels,
      report: report([], [campaign('x', ['u1'])]),
    });
    expect(score.campaigns.find((c) => c.campaign === 'hydra')?.attribution).toEqual({
      reportedCampaign: null,
      matchedAccounts: 0,
      reportedAccounts: 0,
      completeness: 0,
      purity: null,
    });
  });
});

describe('scoreRun collateral', () => {
  it('counts benign accounts that ever reached throttle or above, per persona and overall', async () => {
    const labels = [
      benign('p1', 'power-developer'),
      benign('p2', 'power-developer'),
      benign('p3', 'power-developer'),
      benign('p4', 'power-developer'),
      benign('c1', 'casual-chat'),
      benign('c2', 'casual-chat'),
    ];
    const events = [
      ev('e1', 'p1', 0),
      ev('e2', 'p2', 1),
      ev('e3', 'p3', 2),
      ev('e4', 'c1', 3),
      ev('e5', 'p2', 4),
    ];
    const score = await scoreRun({
      events: stream(events),
      labels,
      report: report([
        dec('e1', 'p1', 0, 'monitor'), // monitor alone is not collateral
        dec('e2', 'p2', 1, 'throttle'),
        dec('e3', 'p3', 2, 'block'),
      ]),
    });
    expect(score.personas).toEqual([
      {
        persona: 'casual-chat',
        accounts: 2,
        exchanges: 1,
        collateralAccounts: 0,
        collateral: 0,
        blockedAccounts: 0,
        blockRate: 0,
        affectedExchanges: 0,
      },
      {
        persona: 'power-developer',
        accounts: 4,
        exchanges: 4,
        collateralAccounts: 2,
        collateral: 0.5,
        blockedAccounts: 1,
        blockRate: 0.25,
        // e5: p2's request after its throttle.
        affectedExchanges: 1,
      },
    ]);
    expect(score.benign).toMatchObject({
      accounts: 6,
      collateralAccounts: 2,
      collateral: 2 / 6,
      blockedAccounts: 1,
    });
  });

  it('reports traffic and decisions of unlabelled accounts separately', async () => {
    const score = await scoreRun({
      events: stream([ev('e1', 'x', 0), ev('e2', 'x', 1), ev('e3', 'a', 2)]),
      labels: [benign('a', 'casual-chat')],
      report: report([dec('e1', 'x', 0, 'block')]),
    });
    expect(score.events).toBe(3);
    expect(score.unlabelled).toEqual({ accounts: 1, exchanges: 2, decisions: 1 });
    expect(score.benign.collateralAccounts).toBe(0);
  });

  it('rejects an account labelled twice', async () => {
    await expect(
      scoreRun({ events: stream([]), labels: [benign('a', 'x'), attack('a', 'hydra')], report: report([]) }),
    ).rejects.toThrow('labels: account a is labelled more than once');
  });
});

describe('createScorer', () => {
  it('scoring online, as decisions are made, matches scoring the finished report', async () => {
    // Two attackers interleaved at the same timestamps, and a benign account, under a tight rate rule.
    const events: ExchangeEvent[] = [];
    for (let i = 0; i < 12; i++) {
      events.push(ev(`a${i}`, 'a', i), ev(`b${i}`, 'b', i));
      if (i % 4 === 0) events.push(ev(`u${i}`, 'u', i));
    }
    const labels = [attack('a', 'hydra'), attack('b', 'hydra'), benign('u', 'casual-chat')];
    const detector = createBaselineDetector({ requestsPerHour: 5 });
    const scorer = createScorer(labels);
    const decisions: Decision[] = [];
    for (const event of events) {
      scorer.observe(event);
      const made = detector.process(event);
      scorer.apply(made);
      decisions.push(...made);
    }
    const finished = report(decisions);
    const online = scorer.finish(finished);
    const offline = await scoreRun({ events: stream(events), labels, report: finished });
    expect(online).toEqual(offline);
    // Each attacker sent 12, was blocked on its 6th: 6 served each.
    expect(online.campaigns[0]).toMatchObject({ exchanges: 24, leakedExchanges: 12 });
  });
});
