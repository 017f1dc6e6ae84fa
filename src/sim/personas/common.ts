/**
 * Building blocks shared by personas and campaigns: account records, client choice, model
 * choice (including adoption of the newly released model), and the replay of a conversation
 * turn by turn, each request carrying the earlier turns and answers as context.
 */
import type { AccountRecord, ClientInfo, WireApi } from '../../contract/types.js';
import { type AnswerKind, answerText, answerTokens, clip } from '../answers.js';
import type { ToolSpec } from '../corpora.js';
import { apiOf, type ClientFamily, fingerprint } from '../network.js';
import type { Rng } from '../rng.js';
import { DAY, type HumanClock } from '../timing.js';
import type { RequestSpec, Turn } from '../wire.js';
import { exchange, type Identity, iso, type SimEvent, type World } from '../world.js';

export interface AccountSpec {
  createdAt: number;
  verified?: boolean;
  signupChannel: string;
  paymentFingerprint?: string;
  emailDomain: string;
  signupIp: string;
  orgId?: string;
}

/**
 * A fresh account record and the identity its events carry.
 *
 * @example
 * const { record, who } = newAccount(world, rng, { createdAt, signupChannel: 'self-serve', emailDomain: 'gmail.com', signupIp: '73.15.2.9' });
 */
export function newAccount(
  world: World,
  rng: Rng,
  spec: AccountSpec,
): { record: AccountRecord; who: Identity } {
  const account_id = world.accountId(rng);
  const record: AccountRecord = {
    account_id,
    ...(spec.orgId === undefined ? {} : { org_id: spec.orgId }),
    created_at: iso(spec.createdAt),
    verified: spec.verified ?? false,
    signup_channel: spec.signupChannel,
    ...(spec.paymentFingerprint === undefined ? {} : { payment_fingerprint: spec.paymentFingerprint }),
    email_domain: spec.emailDomain,
    signup_ip: spec.signupIp,
  };
  const who: Identity = {
    account_id,
    key_id: world.keyId(rng),
    ...(spec.orgId === undefined ? {} : { org_id: spec.orgId }),
  };
  return { record, who };
}

/** A client (fingerprint + wire format) fixed for an account. */
export interface Client {
  family: ClientFamily;
  api: WireApi;
  ua: { user_agent: string; tls_fingerprint: string };
}

/**
 * @example
 * const client = chooseClient(rng, [['openai-python', 3], ['chrome', 1]]);
 */
export function chooseClient(rng: Rng, families: ReadonlyArray<readonly [ClientFamily, number]>): Client {
  const family = rng.weighted(families);
  return { family, api: apiOf(family, rng), ua: fingerprint(rng, family) };
}

/**
 * Client info of one request: where it came from plus the account's fingerprint.
 *
 * @example
 * clientInfo(home, client); // { ip, asn, asn_org, country, user_agent, tls_fingerprint }
 */
export function clientInfo(where: ClientInfo, client: Client): ClientInfo {
  // Most requests of an account come from the same place with the same client: reuse the object
  // (events are serialised as soon as they are merged, never mutated).
  const hit = infoCache.get(where);
  if (hit !== undefined && hit.client === client) return hit.info;
  const info = { ...where, user_agent: client.ua.user_agent, tls_fingerprint: client.ua.tls_fingerprint };
  infoCache.set(where, { client, info });
  return info;
}

const infoCache = new WeakMap<ClientInfo, { client: Client; info: ClientInfo }>();

/**
 * Model choice over time for ordinary users: a preferred model, and for adopters a gradual move
 * to the new release some days after it ships (rarely within hours).
 *
 * @example
 * const model = modelChooser(world, rng, 0.3, 0.5);
 * model(world.start); // 'atlas-3-pro' or 'atlas-3-mini'
 */
export function modelChooser(
  world: World,
  rng: Rng,
  proShare: number,
  adoptShare: number,
): (t: number) => string {
  const base = rng.chance(proShare) ? world.models.pro : world.models.fast;
  const adopts = rng.chance(adoptShare);
  const adoptAt = world.releaseAt + rng.lognormal(4 * DAY, 1);
  const useNew = rng.range(0.2, 0.8);
  return (t) => (adopts && t >= adoptAt && rng.chance(useNew) ? world.models.next : base);
}

/** A conversation to replay: alternating turns with their answers, as a client builds it. */
export interface Conversation {
  system?: string;
  turns: Turn[];
  tools?: ToolSpec[];
  kind: AnswerKind;
}

export interface ReplayOptions {
  world: World;
  rng: Rng;
  who: Identity;
  clock: HumanClock;
  client: Client;
  /** Where each session comes from (a home IP, sometimes a phone). */
  where: (rng: Rng) => ClientInfo;
  model: (t: number) => string;
  /** The next conversation, or undefined when the account has nothing more to say. */
  next: (rng: Rng) => Conversation | undefined;
  /** Request options per exchange (max_tokens, temperature, stream …). */
  options: (
    rng: Rng,
  ) => Pick<RequestSpec, 'maxTokens' | 'temperature' | 'stream' | 'n' | 'topLogprobs' | 'thinkingBudget'>;
  maxEvents: number;
  /** Chance that another conversation follows in the same session (busy people chain tasks). */
  continueSession?: number;
}

/**
 * Replays conversations session by session in human time: one request per user (or tool-result)
 * turn, with every earlier turn and answer as context; tool results come back in machine time.
 *
 * @example
 * const events = replayConversations({ world, rng, who, clock, client, where, model, next, options, maxEvents: 50 });
 */
export function* replayConversations(o: ReplayOptions): Generator<SimEvent> {
  let emitted = 0;
  let inSession = false;
  while (emitted < o.maxEvents) {
    const conv = o.next(o.rng);
    if (conv === undefined) return;
    let t = inSession ? o.clock.nextTurn(o.rng.lognormal(40_000, 0.6)) : o.clock.nextSession();
    if (t >= o.world.end) return;
    const where = o.where(o.rng);
    for (let i = 0; i < conv.turns.length && emitted < o.maxEvents; i++) {
      const turn = conv.turns[i] as Turn;
      if (turn.role === 'assistant') continue;
      if (t >= o.world.end) return;
      const answer = conv.turns[i + 1];
      const spec: RequestSpec = {
        api: o.client.api,
        model: o.model(t),
        turns: conv.turns.slice(0, i + 1),
        ...(conv.system === undefined ? {} : { system: conv.system }),
        ...(conv.tools === undefined ? {} : { tools: conv.tools }),
        ...o.options(o.rng),
      };
      const toolUse = answer?.role === 'assistant' && answer.toolCall !== undefined;
      const text = answer?.role === 'assistant' ? clip(answer.text) : answerText(o.rng, conv.kind);
      const outputTokens =
        answer?.role === 'assistant' && answer.text.length > 0
          ? Math.max(5, Math.round(answer.text.length / 4))
          : answerTokens(o.rng, toolUse ? 'tool' : conv.kind);
      const event = exchange(o.rng, o.who, t, clientInfo(where, o.client), spec, {
        outputTokens,
        text,
        toolUse,
      });
      yield event;
      emitted++;
      const latency = event.response?.latency_ms ?? 1000;
      const following = conv.turns[i + 2];
      // A tool result is sent by code right after the call; a user reads, thinks and types.
      t =
        following?.role === 'tool'
          ? o.clock.after(latency + o.rng.lognormal(1500, 0.8))
          : o.clock.nextTurn(latency + o.rng.lognormal(20_000, 0.6));
    }
    inSession = o.rng.chance(o.continueSession ?? 0);
  }
}

/**
 * Turns of a corpus conversation in wire-independent form.
 *
 * @example
 * corpusTurns(item.turns); // [{ role: 'user', text: '…' }, { role: 'assistant', text: '…' }]
 */
export function corpusTurns(turns: ReadonlyArray<{ role: 'user' | 'assistant'; text: string }>): Turn[] {
  return turns.map((t) => ({ role: t.role, text: t.text }));
}
