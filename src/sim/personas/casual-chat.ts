/**
 * casual-chat: people chatting. Real multi-turn conversations (Chatbot Arena, OpenAssistant)
 * replayed turn by turn with earlier turns and the real answers as context, in the rhythm of a
 * real person from the activity log; home IP, sometimes a phone.
 */
import { endpoint, MOBILE, residential } from '../network.js';
import type { Rng } from '../rng.js';
import { DAY, HumanClock } from '../timing.js';
import { CONSUMER_DOMAINS, type Population, type World } from '../world.js';
import { chooseClient, corpusTurns, modelChooser, newAccount, replayConversations } from './common.js';

/**
 * `count` casual-chat accounts.
 *
 * @example
 * const pop = casualChat(world, rng.fork('casual-chat'), 100);
 */
export function casualChat(world: World, rng: Rng, count: number): Population {
  const pop: Population = { name: 'casual-chat', accounts: [], labels: [], streams: [] };
  const { conversations, userPrompts } = world.corpora;
  for (let i = 0; i < count; i++) {
    const r = rng.fork(`casual-chat/${i}`);
    const home = residential(r);
    const { record, who } = newAccount(world, r, {
      createdAt: world.start - r.lognormal(200 * DAY, 1),
      verified: r.chance(0.1),
      signupChannel: 'self-serve',
      emailDomain: r.weighted(CONSUMER_DOMAINS),
      signupIp: home.ip,
    });
    pop.accounts.push(record);
    pop.labels.push({ account_id: who.account_id, label: 'benign', persona: 'casual-chat' });
    const client = chooseClient(r, [
      ['chrome', 30],
      ['safari', 12],
      ['firefox', 5],
      ['openai-python', 25],
      ['anthropic-python', 12],
      ['openai-node', 8],
      ['curl', 3],
    ]);
    const phone = endpoint(r, r.pick(MOBILE));
    let sessions = 1 + Math.floor(r.lognormal(3, 0.8));
    pop.streams.push(
      replayConversations({
        world,
        rng: r,
        who,
        clock: new HumanClock(r, world.timing, { start: world.start, spreadDays: 30 }),
        client,
        where: (x) => (x.chance(0.2) ? phone : home),
        model: modelChooser(world, r, 0.3, 0.3),
        next: (x) => {
          if (sessions-- <= 0) return undefined;
          if (x.chance(0.3)) return { turns: corpusTurns(x.pick(userPrompts).turns), kind: 'chat' };
          return { turns: corpusTurns(x.pick(conversations).turns), kind: 'chat' };
        },
        options: (x) => ({
          maxTokens: x.pick([1024, 2048, 4096]),
          ...(x.chance(0.4) ? { temperature: x.pick([0.7, 1]) } : {}),
          stream: client.family === 'chrome' || client.family === 'safari' || x.chance(0.3),
        }),
        maxEvents: 400,
      }),
    );
  }
  return pop;
}
