/**
 * low-and-slow: a few aged accounts that each send a request every several minutes during long
 * working days for the whole window, staying well under obvious rate limits, asking for worked
 * reasoning in mild phrasing. Volume hides in duration rather than rate.
 */
import { residential } from '../network.js';
import { chooseClient, newAccount } from '../personas/common.js';
import type { Rng } from '../rng.js';
import { DAY, HOUR, MINUTE, PoissonClock } from '../timing.js';
import { CONSUMER_DOMAINS, type Population, scaled, type World } from '../world.js';
import { attackLabel, Cursor, deal, fill, machineAccount, promptOf } from './common.js';

const TEMPLATES = [
  '{q}\n\nExplain your reasoning step by step.',
  '{q}\nPlease show your work.',
  '{q}',
  'Walk me through how to solve this: {q}',
];

/** Requests per account per active hour: one every 6–12 minutes on average, never bursts. */
const MEAN_GAP = 9 * MINUTE;

/**
 * The low-and-slow campaign.
 *
 * @example
 * const pop = lowAndSlow(world, rng.fork('low-and-slow'));
 */
export function lowAndSlow(world: World, rng: Rng): Population {
  const pop: Population = { name: 'low-and-slow', accounts: [], labels: [], streams: [] };
  const n = scaled(world, 20, 4);
  const { reasoning, general } = world.corpora.distill;
  const shares = deal(rng, [...reasoning, ...general], n);
  for (let i = 0; i < n; i++) {
    const r = rng.fork(`low-and-slow/${i}`);
    const home = residential(r);
    const { record, who } = newAccount(world, r, {
      createdAt: world.start - r.range(60, 400) * DAY,
      verified: r.chance(0.5),
      signupChannel: 'self-serve',
      paymentFingerprint: `pf_${r.hex(24)}`,
      emailDomain: r.weighted(CONSUMER_DOMAINS),
      signupIp: home.ip,
    });
    pop.accounts.push(record);
    pop.labels.push(attackLabel(record, 'low-and-slow', 'low-and-slow-worker'));
    const client = chooseClient(r, [['openai-python', 1]]);
    const mine = new Cursor(shares[i] ?? []);
    // Active 16 hours a day, starting at a per-account hour: looks like someone's workday.
    const startHour = r.int(0, 23);
    const shape = (t: number): number => (((t % DAY) / HOUR - startHour + 24) % 24 < 16 ? 1 : 0);
    const clock = new PoissonClock(r, MEAN_GAP, world.start + r.range(0, DAY), shape);
    const minGap = 3 * MINUTE;
    let last = Number.NEGATIVE_INFINITY;
    pop.streams.push(
      machineAccount({
        world,
        rng: r,
        who,
        client,
        next: () => {
          let t = clock.next();
          while (t - last < minGap) t = clock.next();
          last = t;
          return t;
        },
        until: world.end,
        max: Number.POSITIVE_INFINITY,
        where: () => home,
        model: () => world.models.pro,
        task: (x) => {
          const item = mine.next();
          if (item === undefined) return [];
          return [
            {
              turns: [{ role: 'user', text: fill(x.pick(TEMPLATES), promptOf(item)) }],
              kind: 'reasoning',
              opts: { maxTokens: 4096 },
            },
          ];
        },
      }),
    );
  }
  return pop;
}
