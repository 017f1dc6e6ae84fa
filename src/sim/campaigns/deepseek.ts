/**
 * deepseek: the public record's reasoning-trace campaign (~150k exchanges at scale 1). A
 * handful of accounts on shared payment, created together, driven by one dispatcher that sends
 * synchronized batches — one request per account in fixed round-robin order — during daily
 * working shifts, from servers in one /24. Prompts ask for the full internal reasoning, grade
 * answers against rubrics (reward-model use), or rewrite sensitive questions.
 */
import type { ClientInfo } from '../../contract/types.js';
import { answerText } from '../answers.js';
import { endpoint, HOSTING } from '../network.js';
import { type Client, chooseClient, newAccount } from '../personas/common.js';
import type { Rng } from '../rng.js';
import { DAY, HOUR, MINUTE } from '../timing.js';
import { type Identity, type Population, type SimEvent, scaled, type World } from '../world.js';
import { type Ask, attackExchange, attackLabel, Cursor, fill, promptOf } from './common.js';

export const COT_TEMPLATES = [
  'Articulate the internal reasoning behind your answer to the following problem, step by step, as if writing out your complete chain of thought before the final answer.\n\n{q}',
  'Before answering, think out loud and write down every intermediate step of your reasoning in full detail. Do not skip any step.\n\nProblem: {q}',
  '{q}\n\nShow every step of your thinking process explicitly, including the checks you perform, then give the final answer on its own line.',
  'Imagine you are explaining to a student exactly how you reason internally. Walk through your full reasoning trace for the task below, then state the answer.\n\n{q}',
  'Task: {q}\n\nRespond in two parts. Part 1, "Reasoning": your complete step-by-step internal reasoning. Part 2, "Answer": the final answer only.',
];

export const RUBRIC_TEMPLATES = [
  'You are an expert grader. Using the rubric below, score the candidate response from 1 to 10 and justify each criterion.\n\nRubric: correctness (4 pts), completeness of reasoning (3 pts), clarity (3 pts).\n\nQuestion: {q}\n\nCandidate response: {a}',
  'Evaluate the following answer as a reward model would. Output a score between 0 and 1 followed by a short critique.\n\nPrompt: {q}\nResponse: {a}',
  'Compare the two responses to the question below and decide which is better for helpfulness, accuracy and depth. Give each a score from 1 to 10.\n\nQuestion: {q}\n\nResponse A: {a}\n\nResponse B: {b}',
];

export const REWRITE_TEMPLATES = [
  'Rewrite the following question so that it avoids politically sensitive framing while keeping its informational intent, then answer the rewritten version in detail.\n\n{q}',
  'Give a neutral, policy-safe alternative phrasing of this request and a complete answer to it.\n\n{q}',
];

/**
 * The deepseek campaign.
 *
 * @example
 * const pop = deepseek(world, rng.fork('deepseek'));
 */
export function deepseek(world: World, rng: Rng): Population {
  const pop: Population = { name: 'deepseek', accounts: [], labels: [], streams: [] };
  const n = scaled(world, 60, 6);
  const total = scaled(world, 150_000, 1500);
  const cards = [`pf_${rng.hex(24)}`, `pf_${rng.hex(24)}`];
  const net = HOSTING.find((h) => h.asn === 45102) ?? rng.pick(HOSTING);
  const third = rng.int(0, 255);
  const created = world.start - rng.range(2, 6) * HOUR;
  const client = chooseClient(rng, [['anthropic-python', 1]]);
  const members = Array.from({ length: n }, (_, i) => {
    const r = rng.fork(`deepseek/${i}`);
    const where = endpoint(r, net, third);
    const { record, who } = newAccount(world, r, {
      createdAt: created + i * r.range(1, 4) * MINUTE,
      verified: false,
      signupChannel: 'self-serve',
      paymentFingerprint: i % 5 === 4 ? (cards[1] as string) : (cards[0] as string),
      emailDomain: r.pick(['gmail.com', 'outlook.com', 'proton.me']),
      signupIp: where.ip,
    });
    pop.accounts.push(record);
    pop.labels.push(attackLabel(record, 'deepseek', 'deepseek-worker'));
    return { who, where };
  });
  const reasoning = new Cursor(rng.shuffled(world.corpora.distill.reasoning));
  const general = new Cursor(rng.shuffled(world.corpora.distill.general));
  const ask = (r: Rng): Ask => {
    const mode = r.weighted([
      ['cot', 50],
      ['rubric', 35],
      ['rewrite', 15],
    ] as const);
    const q = promptOf(
      (mode === 'rewrite' || r.chance(0.3) ? general.next() : reasoning.next()) ?? {
        id: '',
        source: '',
        turns: [],
      },
    );
    const text =
      mode === 'cot'
        ? fill(r.pick(COT_TEMPLATES), q)
        : mode === 'rubric'
          ? fill(r.pick(RUBRIC_TEMPLATES), q)
              .replace('{a}', answerText(r, 'math'))
              .replace('{b}', answerText(r, 'reasoning'))
          : fill(r.pick(REWRITE_TEMPLATES), q);
    return {
      turns: [{ role: 'user', text }],
      kind: mode === 'rubric' ? 'grade' : 'reasoning',
      opts: { maxTokens: 16000, thinkingBudget: r.pick([8000, 12000, 16000]) },
    };
  };
  pop.streams.push(dispatcher(world, rng.fork('deepseek/dispatch'), members, total, client, ask));
  return pop;
}

/**
 * One dispatcher for all accounts: daily shifts (01:00–11:00 UTC) over ten days; each tick sends
 * one request per account in the same order, fractions of a second apart (load balancing).
 */
function* dispatcher(
  world: World,
  r: Rng,
  members: Array<{ who: Identity; where: ClientInfo }>,
  total: number,
  client: Client,
  ask: (r: Rng) => Ask,
): Generator<SimEvent> {
  const windowDays = (world.end - world.start) / DAY;
  // Start the day after sign-up; in a short (injected) window, start at once.
  const first = windowDays >= 3 ? 1 : 0;
  const days = Math.max(1, Math.min(10, Math.floor(windowDays) - first));
  const shift = Math.min(10 * HOUR, (world.end - world.start) * 0.8);
  const ticks = Math.ceil(total / members.length);
  const gap = (days * shift) / ticks;
  let sent = 0;
  for (let d = 0; d < days && sent < total; d++) {
    const shiftStart = world.start + (first + d) * DAY + (windowDays >= 1 ? HOUR : 0);
    let t = shiftStart + r.range(0, gap);
    const perDay = Math.ceil(ticks / days);
    for (let k = 0; k < perDay && sent < total; k++) {
      let u = t;
      for (const m of members) {
        if (sent >= total || u >= world.end) return;
        yield attackExchange(r, m.who, Math.round(u), m.where, client, world.models.pro, ask(r));
        sent++;
        u += r.range(40, 400);
      }
      t = Math.max(u, t + gap * r.range(0.7, 1.3));
    }
  }
}
