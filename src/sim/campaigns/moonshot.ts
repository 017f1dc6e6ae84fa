/**
 * moonshot: the public record's 3.4M-exchange campaign over hundreds of varied accounts (mixed
 * sign-up dates, channels, networks and clients) targeting agentic reasoning and tool use,
 * coding, data analysis and computer-use agents; in its later phase it asks the model to
 * reconstruct the reasoning behind given answers.
 */
import { answerText } from '../answers.js';
import { endpoint, HOSTING, residential } from '../network.js';
import { chooseClient, newAccount } from '../personas/common.js';
import type { Rng } from '../rng.js';
import { DAY, dailyCycle, PoissonClock } from '../timing.js';
import { CONSUMER_DOMAINS, type Population, scaled, type World } from '../world.js';
import {
  type Ask,
  attackLabel,
  Cursor,
  dayAt,
  deal,
  fill,
  machineAccount,
  promptOf,
  toolChain,
} from './common.js';

const AGENT_SYSTEMS = [
  'You are an autonomous agent. Plan your approach, call tools when useful, and explain each decision.',
  'You are a senior software agent operating in a sandbox. Think about the plan before acting.',
  'You are an AI assistant with access to tools. Decide which tool to call and why.',
];

const CODING = [
  'Solve this programming task. First outline your plan, then write the code, then explain how you verified it.\n\n{q}',
  '{q}\n\nWrite a complete, tested solution and describe the design decisions you made.',
  'As an expert engineer, implement the following and walk through the edge cases you considered:\n{q}',
];

const ANALYSIS = [
  'Analyze the following and present your findings as a structured report with a summary table:\n\n{q}',
  'Break this problem down into sub-questions, answer each, and combine them into a final conclusion.\n\n{q}',
];

const COMPUTER_USE = [
  'You control a desktop through the actions click(x,y), type(text), scroll(dy) and key(name). The screen shows a browser with a search page. Goal: {q}\nDecide the next action and explain why.',
  'Screen state: a spreadsheet application is open with an empty sheet. Using GUI actions only, describe the exact sequence of actions to accomplish: {q}',
];

const RECONSTRUCT = [
  'Here is a question and its final answer. Reconstruct the complete step-by-step reasoning that leads from the question to this answer.\n\nQuestion: {q}\nFinal answer: {a}',
  'Explain, as a detailed reasoning trace, how one would arrive at the answer below. Include intermediate conclusions.\n\n{q}\n\nAnswer: {a}',
];

/**
 * The moonshot campaign.
 *
 * @example
 * const pop = moonshot(world, rng.fork('moonshot'));
 */
export function moonshot(world: World, rng: Rng): Population {
  const pop: Population = { name: 'moonshot', accounts: [], labels: [], streams: [] };
  const n = scaled(world, 500, 8);
  const total = scaled(world, 3_400_000, 4000);
  const from = dayAt(world, 0.07);
  const until = dayAt(world, 0.75);
  const lateFrom = dayAt(world, 0.45);
  const { coding, tools, general, reasoning } = world.corpora.distill;
  const shares = {
    coding: deal(rng, coding, n),
    tools: deal(rng, tools, n),
    general: deal(rng, general, n),
    reasoning: deal(rng, reasoning, n),
  };
  const perAccount = Math.ceil(total / n);
  const activeDays = Math.max(0.5, (until - from) / DAY);
  let card = `pf_${rng.hex(24)}`;
  for (let i = 0; i < n; i++) {
    const r = rng.fork(`moonshot/${i}`);
    if (i % 10 === 0) card = `pf_${r.hex(24)}`;
    const onCloud = r.chance(0.6);
    const home = onCloud ? endpoint(r, r.pick(HOSTING)) : residential(r);
    const { record, who } = newAccount(world, r, {
      createdAt: world.start - r.range(5, 120) * DAY,
      verified: r.chance(0.2),
      signupChannel: r.pick(['self-serve', 'self-serve', 'startup-program']),
      paymentFingerprint: r.chance(0.3) ? card : `pf_${r.hex(24)}`,
      emailDomain: r.chance(0.5)
        ? r.weighted(CONSUMER_DOMAINS)
        : `${r.pick(['dataforge', 'codenest', 'agentlab', 'mlworks'])}${r.int(1, 999)}.com`,
      signupIp: home.ip,
    });
    pop.accounts.push(record);
    pop.labels.push(attackLabel(record, 'moonshot', 'moonshot-worker'));
    const client = chooseClient(r, [
      ['openai-python', 35],
      ['anthropic-python', 30],
      ['openai-node', 15],
      ['python-requests', 20],
    ]);
    const mine = {
      coding: new Cursor(shares.coding[i] ?? []),
      tools: new Cursor(shares.tools[i] ?? []),
      general: new Cursor(shares.general[i] ?? []),
      reasoning: new Cursor(shares.reasoning[i] ?? []),
    };
    const system = r.pick(AGENT_SYSTEMS);
    const opts = (x: Rng): Ask['opts'] => ({
      maxTokens: x.pick([4096, 8192]),
      temperature: x.pick([0.6, 0.8, 1]),
      ...(x.chance(0.3) ? { stream: true } : {}),
    });
    const clock = new PoissonClock(
      r,
      // The daily cycle keeps ~57% of proposals; about a third of tasks are two-step tool chains.
      ((activeDays * DAY) / perAccount) * 0.575 * 1.35,
      from + r.range(0, DAY),
      dailyCycle(6, 0.15),
    );
    pop.streams.push(
      machineAccount({
        world,
        rng: r,
        who,
        client,
        next: () => clock.next(),
        until,
        max: perAccount,
        where: (x) => (x.chance(0.85) ? home : onCloud ? endpoint(x, x.pick(HOSTING)) : residential(x)),
        model: () => world.models.pro,
        task: (x, t) => {
          const area = x.weighted([
            ['tools', 35],
            ['coding', 30],
            ['analysis', 15],
            ['computer', 10],
            ['reconstruct', t >= lateFrom ? 30 : 0],
          ] as const);
          if (area === 'tools') {
            const item = mine.tools.next();
            if (item !== undefined) return toolChain(x, item, system, opts(x));
          }
          if (area === 'reconstruct') {
            const q = promptOf(
              mine.reasoning.next() ?? mine.general.next() ?? { id: '', source: '', turns: [] },
            );
            return [
              {
                turns: [
                  { role: 'user', text: fill(x.pick(RECONSTRUCT), q).replace('{a}', answerText(x, 'math')) },
                ],
                kind: 'reasoning',
                opts: opts(x),
              },
            ];
          }
          const item = area === 'coding' ? mine.coding.next() : mine.general.next();
          const q = promptOf(item ?? { id: '', source: '', turns: [] });
          const template = area === 'coding' ? CODING : area === 'analysis' ? ANALYSIS : COMPUTER_USE;
          return [
            {
              system,
              turns: [{ role: 'user', text: fill(x.pick(template), q) }],
              kind: area === 'coding' ? 'code' : 'reasoning',
              opts: opts(x),
            },
          ];
        },
      }),
    );
  }
  return pop;
}
