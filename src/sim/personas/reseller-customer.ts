/**
 * reseller-customer: legitimate customers of an API reseller whose traffic leaves through the
 * same commercial proxy pool (ASN and /24s) that the hydra campaign uses, signed up through the
 * reseller channel. Ordinary prompts and human rhythm; most requests carry the reseller backend's
 * HTTP client. Sharing infrastructure with an attack must not convict them.
 */
import { proxyExit } from '../network.js';
import type { Rng } from '../rng.js';
import { DAY, HumanClock } from '../timing.js';
import { CONSUMER_DOMAINS, type Population, type World } from '../world.js';
import { chooseClient, corpusTurns, modelChooser, newAccount, replayConversations } from './common.js';

/**
 * `count` reseller-customer accounts.
 *
 * @example
 * const pop = resellerCustomer(world, rng.fork('reseller-customer'), 80);
 */
export function resellerCustomer(world: World, rng: Rng, count: number): Population {
  const pop: Population = { name: 'reseller-customer', accounts: [], labels: [], streams: [] };
  const { conversations, userPrompts } = world.corpora;
  for (let i = 0; i < count; i++) {
    const r = rng.fork(`reseller-customer/${i}`);
    const signup = proxyExit(r);
    const { record, who } = newAccount(world, r, {
      // Customers keep arriving during the window, as hydra's fresh accounts do.
      createdAt: r.chance(0.6)
        ? world.start - r.lognormal(60 * DAY, 1)
        : world.start + r.range(0, world.end - world.start) * 0.8,
      verified: false,
      signupChannel: 'reseller',
      emailDomain: r.weighted(CONSUMER_DOMAINS),
      signupIp: signup.ip,
    });
    pop.accounts.push(record);
    pop.labels.push({ account_id: who.account_id, label: 'benign', persona: 'reseller-customer' });
    const client = chooseClient(r, [
      ['python-requests', 45],
      ['node-fetch', 15],
      ['openai-python', 25],
      ['chrome', 15],
    ]);
    const created = Date.parse(record.created_at);
    let sessions = 1 + Math.floor(r.lognormal(5, 0.8));
    pop.streams.push(
      replayConversations({
        world,
        rng: r,
        who,
        clock: new HumanClock(r, world.timing, { start: Math.max(world.start, created), spreadDays: 5 }),
        client,
        // The pool rotates exits per session, like hydra's.
        where: (x) => proxyExit(x),
        model: modelChooser(world, r, 0.4, 0.3),
        next: (x) => {
          if (sessions-- <= 0) return undefined;
          return {
            turns: corpusTurns((x.chance(0.5) ? x.pick(userPrompts) : x.pick(conversations)).turns),
            kind: 'chat',
          };
        },
        options: (x) => ({ maxTokens: x.pick([1024, 2048]), ...(x.chance(0.5) ? { temperature: 0.7 } : {}) }),
        maxEvents: 600,
      }),
    );
  }
  return pop;
}
