/**
 * enterprise-app: a verified organisation's product calling the API: one prompt template per
 * org filled with its users' texts, high volume around the clock from cloud servers with a
 * daily cycle. A hard negative: template repetition, volume and 24/7 machine timing are all
 * "suspicious" alone.
 */
import { answerText, clip } from '../answers.js';
import { endpoint, HOSTING } from '../network.js';
import type { Rng } from '../rng.js';
import { DAY, dailyCycle, HOUR, PoissonClock } from '../timing.js';
import type { RequestSpec } from '../wire.js';
import { exchange, type Identity, type Population, type SimEvent, type World } from '../world.js';
import { type Client, chooseClient, clientInfo, newAccount } from './common.js';

interface Template {
  system: string;
  wrap: (input: string) => string;
  kind: 'summary' | 'writing' | 'chat';
  maxTokens: number;
}

const TEMPLATES: readonly Template[] = [
  {
    system: 'You are a support triage assistant for Helpdesk Cloud.',
    wrap: (x) =>
      `Summarize the following customer support ticket in three bullet points and classify its urgency as low, medium or high.\n\nTicket:\n${x}`,
    kind: 'summary',
    maxTokens: 300,
  },
  {
    system: 'You extract structured data for an order-management system. Reply with JSON only.',
    wrap: (x) =>
      `Extract the product names, order numbers and requested action from this email. Reply as JSON with keys products, orders, action.\n\nEmail:\n${x}`,
    kind: 'summary',
    maxTokens: 400,
  },
  {
    system: 'You are a translation engine. Preserve formatting and placeholders.',
    wrap: (x) => `Translate the following message into German, keeping the formatting.\n\n${x}`,
    kind: 'writing',
    maxTokens: 800,
  },
  {
    system: 'You are a content moderation assistant for a community forum.',
    wrap: (x) =>
      `Does the following user post violate our community guidelines? Answer ALLOW or REVIEW with one sentence of justification.\n\nPost:\n${x}`,
    kind: 'chat',
    maxTokens: 120,
  },
  {
    system: 'You write product copy for an online store.',
    wrap: (x) => `Rewrite this product description to be under 60 words, friendly and clear:\n\n${x}`,
    kind: 'writing',
    maxTokens: 200,
  },
];

function* appTraffic(
  world: World,
  r: Rng,
  who: Identity,
  client: Client,
  ips: string[],
  template: Template,
  perDay: number,
  peakHour: number,
): Generator<SimEvent> {
  const net = HOSTING[0] ?? { asn: 16509, org: 'Amazon.com, Inc.', country: 'US', prefixes: [] };
  const clock = new PoissonClock(
    r,
    DAY / perDay / 0.6,
    world.start + r.range(0, HOUR),
    dailyCycle(peakHour, 0.35),
  );
  const inputs = world.corpora.userPrompts;
  for (;;) {
    const t = clock.next();
    if (t >= world.end) return;
    const input = clip(r.pick(inputs).turns[0]?.text ?? '', 500);
    const spec: RequestSpec = {
      api: client.api,
      model: world.models.fast,
      system: template.system,
      turns: [{ role: 'user', text: template.wrap(input) }],
      maxTokens: template.maxTokens,
      temperature: 0.2,
    };
    const where = { ip: r.pick(ips), asn: net.asn, asn_org: net.org, country: net.country };
    yield exchange(r, who, t, clientInfo(where, client), spec, {
      // Templates are tuned to their caps: answers land well under max_tokens, rarely at it.
      outputTokens: Math.round(
        Math.min(r.lognormal(template.maxTokens * 0.4, 0.35), template.maxTokens * 1.05),
      ),
      text: answerText(r, template.kind),
    });
  }
}

/**
 * `count` enterprise-app accounts, grouped into organisations of one to three accounts
 * (production, staging…) that share the org's template and servers.
 *
 * @example
 * const pop = enterpriseApp(world, rng.fork('enterprise-app'), 10);
 */
export function enterpriseApp(world: World, rng: Rng, count: number): Population {
  const pop: Population = { name: 'enterprise-app', accounts: [], labels: [], streams: [] };
  let made = 0;
  for (let o = 0; made < count; o++) {
    const r = rng.fork(`enterprise-app/org-${o}`);
    const orgId = `org_${r.hex(12)}`;
    const company = `${r.pick(['globex', 'initech', 'umbrella', 'stark', 'wayne', 'tyrell', 'cyberdyne', 'soylent'])}-${r.int(10, 99)}`;
    const net = HOSTING[0];
    if (net === undefined) throw new Error('no hosting networks');
    const third = r.int(0, 255);
    const ips = Array.from({ length: r.int(2, 6) }, () => endpoint(r, net, third).ip);
    const template = r.pick(TEMPLATES);
    const payment = `pf_${r.hex(24)}`;
    const peakHour = r.pick([14, 15, 16, 9, 2]);
    const size = Math.min(count - made, r.int(1, 3));
    for (let a = 0; a < size; a++, made++) {
      const ra = r.fork(`account-${a}`);
      const { record, who } = newAccount(world, ra, {
        createdAt: world.start - ra.lognormal(400 * DAY, 0.5),
        verified: true,
        signupChannel: 'sales',
        paymentFingerprint: payment,
        emailDomain: `${company}.com`,
        signupIp: ips[0] ?? '',
        orgId,
      });
      pop.accounts.push(record);
      pop.labels.push({ account_id: who.account_id, label: 'benign', persona: 'enterprise-app' });
      const client = chooseClient(ra, [
        ['openai-python', 50],
        ['openai-node', 30],
        ['anthropic-python', 20],
      ]);
      // Production carries most volume; staging a trickle.
      const perDay = a === 0 ? ra.lognormal(200, 0.4) : ra.lognormal(25, 0.5);
      pop.streams.push(appTraffic(world, ra, who, client, ips, template, perDay, peakHour));
    }
  }
  return pop;
}
