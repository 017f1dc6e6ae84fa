/**
 * power-developer: heavy coding use by a person. Coding questions phrased conversationally with
 * follow-ups that build on the previous answer ("that throws…", "add tests"), plus ordinary
 * chats; busy, irregular human hours; large max_tokens, streaming, sometimes thinking, logprobs
 * or n>1 while experimenting; early adoption of new models. A hard negative for output hunger.
 */
import { type AnswerKind, answerText } from '../answers.js';
import { endpoint, HOSTING, residential } from '../network.js';
import type { Rng } from '../rng.js';
import { DAY, HumanClock } from '../timing.js';
import type { Turn } from '../wire.js';
import { CONSUMER_DOMAINS, type Population, type World } from '../world.js';
import { chooseClient, corpusTurns, modelChooser, newAccount, replayConversations } from './common.js';

const OPENERS = [
  (p: string) => `hey, quick one: ${p}`,
  (p: string) => `I'm working on a side project and need some help. ${p}`,
  (p: string) => `${p}\n\nKeep it idiomatic please, this is going into production code.`,
  (p: string) => `Can you help me with this? ${p} I tried a couple of things but nothing worked.`,
  (p: string) => `${p} (no need to explain basics, I just want the code)`,
];

const FOLLOW_UPS = [
  'that throws `TypeError: Cannot read properties of undefined` on the second line, can you fix it?',
  'nice. can you add unit tests for that?',
  'now make it handle empty input without crashing',
  'why did you use a dictionary there instead of a list?',
  'can you rewrite it without the external dependency?',
  'the performance is bad on 1M rows, any ideas?',
  'ok that works. how would I make it async?',
  "it's failing the linter because of the unused variable, clean it up",
];

function codingConversation(rng: Rng, prompt: string): { turns: Turn[]; kind: AnswerKind } {
  const first = rng.pick(OPENERS)(prompt.charAt(0).toLowerCase() + prompt.slice(1));
  const turns: Turn[] = [{ role: 'user', text: first }];
  const followUps = Math.floor(rng.exp(1.5));
  for (let k = 0; k < followUps; k++) {
    turns.push({ role: 'assistant', text: answerText(rng, 'code') });
    turns.push({ role: 'user', text: rng.pick(FOLLOW_UPS) });
  }
  return { turns, kind: 'code' };
}

/**
 * `count` power-developer accounts.
 *
 * @example
 * const pop = powerDeveloper(world, rng.fork('power-developer'), 50);
 */
export function powerDeveloper(world: World, rng: Rng, count: number): Population {
  const pop: Population = { name: 'power-developer', accounts: [], labels: [], streams: [] };
  const { conversations, distill } = world.corpora;
  for (let i = 0; i < count; i++) {
    const r = rng.fork(`power-developer/${i}`);
    const home = residential(r);
    const devBox = endpoint(r, r.pick(HOSTING));
    const work = r.chance(0.4);
    const { record, who } = newAccount(world, r, {
      createdAt: world.start - r.lognormal(300 * DAY, 0.8),
      verified: r.chance(0.35),
      signupChannel: r.chance(0.15) ? 'startup-program' : 'self-serve',
      paymentFingerprint: `pf_${r.hex(24)}`,
      emailDomain: work
        ? `${r.pick(['acme', 'lumen', 'tessera', 'northwind', 'quanta', 'brightlabs'])}${r.int(1, 99)}.io`
        : r.weighted(CONSUMER_DOMAINS),
      signupIp: home.ip,
    });
    pop.accounts.push(record);
    pop.labels.push({ account_id: who.account_id, label: 'benign', persona: 'power-developer' });
    const client = chooseClient(r, [
      ['openai-python', 30],
      ['anthropic-python', 25],
      ['openai-node', 15],
      ['anthropic-node', 10],
      ['curl', 10],
      ['chrome', 10],
    ]);
    const experimenter = r.chance(0.25);
    let sessions = 8 + Math.floor(r.lognormal(20, 0.6));
    pop.streams.push(
      replayConversations({
        world,
        rng: r,
        who,
        clock: new HumanClock(r, world.timing, { start: world.start, spreadDays: 10, minActions: 60 }),
        client,
        where: (x) => (x.chance(0.25) ? devBox : home),
        model: modelChooser(world, r, 0.7, 0.7),
        next: (x) => {
          if (sessions-- <= 0) return undefined;
          if (x.chance(0.25)) return { turns: corpusTurns(x.pick(conversations).turns), kind: 'chat' };
          return codingConversation(x, x.pick(distill.coding).turns[0]?.text ?? '');
        },
        options: (x) => ({
          maxTokens: x.pick([4096, 8192, 16000]),
          stream: x.chance(0.7),
          ...(x.chance(0.3) ? { temperature: x.pick([0, 0.2, 0.5]) } : {}),
          ...(x.chance(0.15) ? { thinkingBudget: x.pick([4000, 10000]) } : {}),
          ...(experimenter && x.chance(0.2) ? { n: x.pick([2, 3]), topLogprobs: 5 } : {}),
        }),
        continueSession: 0.5,
        maxEvents: 2000,
      }),
    );
  }
  return pop;
}
