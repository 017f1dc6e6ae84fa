/**
 * adaptive: a distiller that avoids every tell it can — real human timing replayed from the
 * activity log, one residential address per account, many client fingerprints, aged accounts
 * with their own cards, no elicitation phrases, 30% benign-looking prompts, multi-turn follow-ups
 * — but is still distilling: each account works through its own disjoint share of a query set,
 * capability by capability, so together they cover the taxonomy without ever repeating a prompt.
 */

import { answerText } from '../answers.js';
import type { CorpusItem } from '../corpora.js';
import { residential } from '../network.js';
import {
  type Conversation,
  chooseClient,
  corpusTurns,
  newAccount,
  replayConversations,
} from '../personas/common.js';
import type { Rng } from '../rng.js';
import { DAY, HumanClock } from '../timing.js';
import type { Turn } from '../wire.js';
import { CONSUMER_DOMAINS, type Population, scaled, type World } from '../world.js';
import { attackLabel, CAPABILITY_KIND, type Capability, Cursor, deal, promptOf } from './common.js';

/** Phrases that give a reasoning-extraction request away; adaptive never sends them. */
export const ELICITATION =
  /step[- ]by[- ]step|\breason(ing)?\b|chain[- ]of[- ]thought|think (it |this )?through|show (your|all|every)|explain (your|how you)|internal|rubric|grade|score/i;

const FRAMES = [
  (q: string) => q,
  (q: string) => q,
  (q: string) => `quick question: ${q}`,
  (q: string) => `I'm preparing for an interview, can you help with this? ${q}`,
  (q: string) => `${q} thanks!`,
  (q: string) => `My friend asked me this and I'm stuck. ${q}`,
];

/** Follow-ups that fit the kind of question, as a person would ask them. */
const FOLLOW_UPS: Record<Capability, readonly string[]> = {
  reasoning: [
    'what if the numbers were doubled?',
    'hm, can you check that again?',
    'is there a quicker way?',
  ],
  coding: ['can you add error handling?', 'how would this look in TypeScript?', 'can you make it faster?'],
  general: [
    'thanks! could you make that a bit shorter?',
    'can you give another example like that?',
    'nice, can you put that in a table?',
  ],
  tools: ['ok, and what about tomorrow?', 'can you do the same for the other one?'],
};

const TAXONOMY: readonly Capability[] = ['reasoning', 'coding', 'general', 'tools'];

/**
 * The adaptive campaign.
 *
 * @example
 * const pop = adaptive(world, rng.fork('adaptive'));
 */
export function adaptive(world: World, rng: Rng): Population {
  const pop: Population = { name: 'adaptive', accounts: [], labels: [], streams: [] };
  const n = scaled(world, 400, 12);
  const total = scaled(world, 1_200_000, 6000);
  // Drop anything with a tell in any user turn, and duplicate texts (a share must be disjoint).
  const seen = new Set<string>();
  const clean = (items: readonly CorpusItem[]): CorpusItem[] =>
    items.filter((c) => {
      const key = promptOf(c);
      if (seen.has(key) || c.turns.some((t) => t.role === 'user' && ELICITATION.test(t.text))) return false;
      seen.add(key);
      return true;
    });
  const { distill, userPrompts, conversations } = world.corpora;
  const shares: Record<Capability, CorpusItem[][]> = {
    reasoning: deal(rng, clean(distill.reasoning), n),
    coding: deal(rng, clean(distill.coding), n),
    general: deal(rng, clean(distill.general), n),
    tools: deal(rng, clean(distill.tools), n),
  };
  const benign = deal(rng, clean([...userPrompts, ...conversations]), n);
  const ips = new Set<string>();
  for (let i = 0; i < n; i++) {
    const r = rng.fork(`adaptive/${i}`);
    let home = residential(r);
    while (ips.has(home.ip)) home = residential(r);
    ips.add(home.ip);
    const { record, who } = newAccount(world, r, {
      createdAt: world.start - r.range(30, 500) * DAY,
      verified: r.chance(0.3),
      signupChannel: 'self-serve',
      paymentFingerprint: `pf_${r.hex(24)}`,
      emailDomain: r.weighted(CONSUMER_DOMAINS),
      signupIp: home.ip,
    });
    pop.accounts.push(record);
    pop.labels.push(attackLabel(record, 'adaptive', 'adaptive-worker'));
    const client = chooseClient(r, [
      ['chrome', 25],
      ['safari', 10],
      ['firefox', 10],
      ['openai-python', 20],
      ['anthropic-python', 15],
      ['openai-node', 10],
      ['anthropic-node', 10],
    ]);
    const mine = {
      reasoning: new Cursor(shares.reasoning[i] ?? []),
      coding: new Cursor(shares.coding[i] ?? []),
      general: new Cursor(shares.general[i] ?? []),
      tools: new Cursor(shares.tools[i] ?? []),
    };
    const cover = new Cursor(benign[i] ?? []);
    let step = 0;
    // One pass over its share: repeating would make the account's own traffic look like a loop.
    const budget = Math.min(
      Math.ceil(total / n),
      TAXONOMY.reduce((s, c) => s + mine[c].size, 0) + cover.size,
    );
    let drawn = 0;
    const next = (x: Rng): Conversation | undefined => {
      if (drawn++ >= budget) return undefined;
      if (x.chance(0.3)) {
        const item = cover.take();
        if (item !== undefined) return { turns: corpusTurns(item.turns), kind: 'chat' };
      }
      // Systematic coverage: the capabilities in turn.
      let item: CorpusItem | undefined;
      let cap: Capability = 'general';
      for (let k = 0; k < TAXONOMY.length && item === undefined; k++) {
        cap = TAXONOMY[step++ % TAXONOMY.length] ?? 'general';
        item = mine[cap].take();
      }
      if (item === undefined) return undefined;
      const turns: Turn[] = [{ role: 'user', text: x.pick(FRAMES)(promptOf(item)) }];
      const followUps = x.chance(0.4) ? x.int(1, 2) : 0;
      for (let k = 0; k < followUps; k++) {
        turns.push({ role: 'assistant', text: answerText(x, CAPABILITY_KIND[cap]) });
        turns.push({ role: 'user', text: x.pick(FOLLOW_UPS[cap]) });
      }
      return { turns, ...(item.tools ? { tools: item.tools } : {}), kind: CAPABILITY_KIND[cap] };
    };
    pop.streams.push(
      replayConversations({
        world,
        rng: r,
        who,
        clock: new HumanClock(r, world.timing, { start: world.start, spreadDays: 7, minActions: 200 }),
        client,
        where: () => home,
        model: () => (r.chance(0.7) ? world.models.pro : world.models.fast),
        next,
        options: (x) => ({
          maxTokens: x.pick([2048, 4096]),
          ...(x.chance(0.5) ? { temperature: x.pick([0.7, 1]) } : {}),
          stream: x.chance(0.5),
        }),
        continueSession: 0.75,
        maxEvents: Math.ceil(total / n),
      }),
    );
  }
  return pop;
}
