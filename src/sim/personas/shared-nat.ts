/**
 * shared-nat: a university cohort. Many student accounts behind one or two campus NAT addresses
 * of a university ASN, signed up through the education channel within days of each other at
 * term start, chatting in their own rhythm and also together during class hours. A hard
 * negative for shared-IP, creation-burst and synchronized-activity signals.
 */
import { answerText, answerTokens } from '../answers.js';
import { endpoint, UNIVERSITIES } from '../network.js';
import type { Rng } from '../rng.js';
import { DAY, HOUR, HumanClock, MINUTE } from '../timing.js';
import { exchange, type Identity, type Population, type SimEvent, type World } from '../world.js';
import {
  type Client,
  chooseClient,
  clientInfo,
  corpusTurns,
  modelChooser,
  newAccount,
  replayConversations,
} from './common.js';

/** Prompts during class meetings: short single questions, a few per student who joins in. */
function* classActivity(
  world: World,
  r: Rng,
  who: Identity,
  client: Client,
  nat: () => ReturnType<typeof endpoint>,
  meetings: number[],
): Generator<SimEvent> {
  const prompts = world.corpora.userPrompts;
  for (const m of meetings) {
    if (!r.chance(0.3)) continue;
    let t = m + r.range(0, 70 * MINUTE);
    const n = r.int(1, 3);
    for (let k = 0; k < n; k++) {
      if (t >= world.end) return;
      const text = r.pick(prompts).turns[0]?.text ?? '';
      const event = exchange(
        r,
        who,
        Math.round(t),
        clientInfo(nat(), client),
        {
          api: client.api,
          model: world.models.fast,
          turns: [{ role: 'user', text }],
          maxTokens: 2048,
          stream: true,
        },
        { outputTokens: answerTokens(r, 'chat'), text: answerText(r, 'chat') },
      );
      yield event;
      t += (event.response?.latency_ms ?? 1000) + r.lognormal(3 * MINUTE, 0.5);
    }
  }
}

/**
 * `count` student accounts in cohorts of 20–150.
 *
 * @example
 * const pop = sharedNat(world, rng.fork('shared-nat'), 200);
 */
export function sharedNat(world: World, rng: Rng, count: number): Population {
  const pop: Population = { name: 'shared-nat', accounts: [], labels: [], streams: [] };
  const { conversations, userPrompts } = world.corpora;
  let made = 0;
  for (let c = 0; made < count; c++) {
    const rc = rng.fork(`shared-nat/cohort-${c}`);
    const uni = rc.pick(UNIVERSITIES);
    const third = rc.int(0, 255);
    const nats = Array.from({ length: rc.int(1, 2) }, () => endpoint(rc, uni, third));
    const domain = `${rc.pick(['students', 'mail', 'alumni'])}.${uni.org.split(' ')[0]?.toLowerCase() ?? 'uni'}.edu`;
    const termStart = world.start - rc.range(5, 20) * DAY;
    const tz = uni.country === 'US' ? -5 : 1;
    // Two meetings a week at 14:00 local time.
    const meetings: number[] = [];
    for (let d = Math.ceil((world.start - termStart) / DAY); termStart + d * DAY < world.end; d++) {
      if (d % 7 === 1 || d % 7 === 3)
        meetings.push(termStart + d * DAY - ((termStart % DAY) - (14 - tz) * HOUR));
    }
    const size = Math.min(count - made, rc.int(20, 150));
    for (let a = 0; a < size; a++, made++) {
      const r = rc.fork(`student-${a}`);
      const { record, who } = newAccount(world, r, {
        createdAt: termStart + r.range(0, 6) * DAY,
        verified: r.chance(0.5),
        signupChannel: 'education',
        emailDomain: domain,
        signupIp: (nats[0] ?? endpoint(r, uni)).ip,
      });
      pop.accounts.push(record);
      pop.labels.push({ account_id: who.account_id, label: 'benign', persona: 'shared-nat' });
      const client = chooseClient(r, [
        ['chrome', 40],
        ['safari', 15],
        ['firefox', 10],
        ['openai-python', 25],
        ['anthropic-python', 10],
      ]);
      const nat = () => r.pick(nats) ?? endpoint(r, uni);
      let sessions = 1 + Math.floor(r.lognormal(3, 0.8));
      pop.streams.push(
        replayConversations({
          world,
          rng: r,
          who,
          clock: new HumanClock(r, world.timing, { start: world.start, spreadDays: 20, tzShiftHours: tz }),
          client,
          where: nat,
          model: modelChooser(world, r, 0.2, 0.3),
          next: (x) => {
            if (sessions-- <= 0) return undefined;
            return {
              turns: corpusTurns((x.chance(0.5) ? x.pick(userPrompts) : x.pick(conversations)).turns),
              kind: 'chat',
            };
          },
          options: (x) => ({ maxTokens: 2048, stream: x.chance(0.6) }),
          maxEvents: 300,
        }),
        classActivity(world, r.fork('class'), who, client, nat, meetings),
      );
    }
  }
  return pop;
}
