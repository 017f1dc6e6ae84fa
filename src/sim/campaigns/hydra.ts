/**
 * hydra: the public record's proxy-network campaign (scale 1.0 = 25,000 accounts, 28.8M
 * exchanges, 44 days). A fleet of fresh accounts, each used for a few days until banned or
 * retired and replaced by a new sign-up, all reaching the API through a commercial proxy pool
 * whose exits rotate per request — the same pool legitimate reseller customers use. A few stolen
 * or shared cards pay for many accounts, but not all.
 */
import { proxyExit } from '../network.js';
import { chooseClient, newAccount } from '../personas/common.js';
import type { Rng } from '../rng.js';
import { DAY, HOUR, MINUTE, PoissonClock } from '../timing.js';
import { CONSUMER_DOMAINS, type Population, scaled, type World } from '../world.js';
import { type Ask, attackLabel, Cursor, fill, machineAccount, promptOf, toolChain } from './common.js';
import { COT_TEMPLATES } from './deepseek.js';

const PLAIN = [
  '{q}',
  '{q}',
  '{q}\n\nAnswer thoroughly.',
  'Please answer the following.\n\n{q}',
  '{q}\nProvide a detailed, well-structured answer.',
];

/** Median days an account survives before it is banned or retired. */
const MEDIAN_LIFE_DAYS = 5;

/**
 * The hydra campaign.
 *
 * @example
 * const pop = hydra(world, rng.fork('hydra'));
 */
export function hydra(world: World, rng: Rng): Population {
  const pop: Population = { name: 'hydra', accounts: [], labels: [], streams: [] };
  const n = scaled(world, 25_000, 40);
  const total = scaled(world, 28_800_000, 8000);
  const span = world.end - world.start;
  const life = Math.min(MEDIAN_LIFE_DAYS * DAY, span / 4);
  // Enough concurrent slots that n back-to-back lifetimes fill the window.
  const slots = Math.max(2, Math.ceil((n * life * 1.1) / span));
  const cards = Array.from({ length: Math.max(3, Math.round(n / 30)) }, () => `pf_${rng.hex(24)}`);
  const { reasoning, coding, general, tools } = world.corpora.distill;
  const pools = {
    reasoning: new Cursor(rng.shuffled(reasoning)),
    coding: new Cursor(rng.shuffled(coding)),
    general: new Cursor(rng.shuffled(general)),
    tools: new Cursor(rng.shuffled(tools)),
  };
  const cursor = Array.from({ length: slots }, () => world.start + rng.range(0, life / 2));
  const lives: Array<{ from: number; until: number }> = [];
  for (let i = 0; i < n; i++) {
    // The slot that frees up first gets the next fresh account.
    let s = 0;
    for (let k = 1; k < slots; k++) if ((cursor[k] ?? 0) < (cursor[s] ?? 0)) s = k;
    // A chain that overruns the window still signs up before it ends (last replacements).
    const from = Math.min(cursor[s] ?? world.start, world.end - rng.range(0.05, 0.5) * life);
    const until = i >= n - slots ? world.end : Math.min(world.end, from + rng.lognormal(life, 0.5));
    lives.push({ from, until });
    cursor[s] = until + rng.range(0.5, 6) * HOUR;
  }
  const activeMs = lives.reduce((sum, l) => sum + Math.max(0, Math.min(l.until, world.end) - l.from), 0);
  const rate = total / Math.max(1, activeMs);
  for (let i = 0; i < n; i++) {
    const r = rng.fork(`hydra/${i}`);
    const { from, until } = lives[i] ?? { from: world.start, until: world.end };
    const { record, who } = newAccount(world, r, {
      createdAt: from - r.range(10 * MINUTE, 6 * HOUR),
      verified: false,
      signupChannel: 'self-serve',
      ...(r.chance(0.6) ? { paymentFingerprint: r.pick(cards) } : { paymentFingerprint: `pf_${r.hex(24)}` }),
      emailDomain: r.chance(0.7)
        ? r.weighted(CONSUMER_DOMAINS)
        : r.pick(['mail.tm', 'tutamail.com', 'gmx.com', 'yandex.com']),
      signupIp: proxyExit(r).ip,
    });
    pop.accounts.push(record);
    pop.labels.push(attackLabel(record, 'hydra', 'hydra-worker'));
    const client = chooseClient(r, [
      ['python-requests', 40],
      ['openai-python', 35],
      ['anthropic-python', 25],
    ]);
    const expected = Math.max(1, Math.round(rate * (until - from)));
    const clock = new PoissonClock(r, (until - from) / expected, from);
    pop.streams.push(
      machineAccount({
        world,
        rng: r,
        who,
        client,
        next: () => clock.next(),
        until,
        max: Math.ceil(expected * 1.3),
        where: (x) => proxyExit(x),
        model: (_, x) => (x.chance(0.8) ? world.models.pro : world.models.fast),
        task: (x) => {
          const area = x.weighted([
            ['reasoning', 35],
            ['coding', 25],
            ['general', 30],
            ['tools', 10],
          ] as const);
          const opts: Ask['opts'] = {
            maxTokens: x.pick([4096, 8192]),
            ...(x.chance(0.5) ? { temperature: 1 } : {}),
          };
          const item = pools[area].next();
          if (item === undefined) return [];
          if (area === 'tools') return toolChain(x, item, 'You are a helpful assistant with tools.', opts);
          const template = area === 'reasoning' && x.chance(0.5) ? x.pick(COT_TEMPLATES) : x.pick(PLAIN);
          return [
            {
              turns: [{ role: 'user', text: fill(template, promptOf(item)) }],
              kind: area === 'coding' ? 'code' : area === 'reasoning' ? 'reasoning' : 'writing',
              opts,
            },
          ];
        },
      }),
    );
  }
  return pop;
}
