/**
 * Shared machinery of attack campaigns: dealing a query set across accounts without overlap
 * (complementary coverage), drawing prompts capability by capability, wrapping them in a
 * campaign's templates, and machine-paced request streams.
 */
import type { AccountRecord, ClientInfo, Label } from '../../contract/types.js';
import { type AnswerKind, answerText, answerTokens } from '../answers.js';
import type { CorpusItem, ToolSpec } from '../corpora.js';
import { type Client, clientInfo } from '../personas/common.js';
import type { Rng } from '../rng.js';
import type { RequestSpec, Turn } from '../wire.js';
import { exchange, type Identity, type SimEvent, type World } from '../world.js';

/** The capability taxonomy a distiller covers, each with its query set. */
export type Capability = 'reasoning' | 'coding' | 'general' | 'tools';

export const CAPABILITY_KIND: Record<Capability, AnswerKind> = {
  reasoning: 'math',
  coding: 'code',
  general: 'writing',
  tools: 'tool',
};

/**
 * Deals `items` into `parts` disjoint shares after a seeded shuffle: every item goes to exactly
 * one account, so accounts never repeat each other's prompts.
 *
 * @example
 * deal(rng, items, 3).map((p) => p.length); // three near-equal shares
 */
export function deal<T>(rng: Rng, items: readonly T[], parts: number): T[][] {
  const shares: T[][] = Array.from({ length: parts }, () => []);
  const order = rng.shuffled(items);
  for (let i = 0; i < order.length; i++) shares[i % parts]?.push(order[i] as T);
  return shares;
}

/**
 * Cycles through a share in order; after a full pass it starts again (a new sampling round).
 *
 * @example
 * const c = new Cursor(['a', 'b']);
 * c.next(); // 'a'
 */
export class Cursor<T> {
  private i = 0;
  constructor(private readonly items: readonly T[]) {}
  get size(): number {
    return this.items.length;
  }
  /** The next unused item, or undefined once every item was used (no second round). */
  take(): T | undefined {
    return this.i < this.items.length ? this.items[this.i++] : undefined;
  }
  next(): T | undefined {
    if (this.items.length === 0) return undefined;
    const item = this.items[this.i % this.items.length];
    this.i++;
    return item;
  }
}

/**
 * First user text of a corpus item.
 *
 * @example
 * promptOf(world.corpora.distill.reasoning[0]); // 'Natalia sold clips to 48 of her friends…'
 */
export function promptOf(item: CorpusItem): string {
  return item.turns[0]?.text ?? '';
}

/**
 * The label and record bookkeeping every campaign does.
 *
 * @example
 * attackLabel(record, 'hydra', 'hydra-worker'); // { account_id, label: 'attack', campaign: 'hydra', persona: 'hydra-worker' }
 */
export function attackLabel(account: AccountRecord, campaign: string, persona: string): Label {
  return { account_id: account.account_id, label: 'attack', campaign, persona };
}

export interface Ask {
  system?: string;
  turns: Turn[];
  tools?: ToolSpec[];
  kind: AnswerKind;
  opts: Pick<RequestSpec, 'maxTokens' | 'temperature' | 'stream' | 'n' | 'topLogprobs' | 'thinkingBudget'>;
}

/**
 * One attack exchange at `t` for `ask`, with realistic output volume.
 *
 * @example
 * yield attackExchange(rng, who, t, where, client, world.models.pro, ask);
 */
export function attackExchange(
  rng: Rng,
  who: Identity,
  t: number,
  where: ClientInfo,
  client: Client,
  model: string,
  ask: Ask,
): SimEvent {
  const spec: RequestSpec = {
    api: client.api,
    model,
    turns: ask.turns,
    ...(ask.system === undefined ? {} : { system: ask.system }),
    ...(ask.tools === undefined ? {} : { tools: ask.tools }),
    ...ask.opts,
  };
  const toolUse = ask.kind === 'tool' && rng.chance(0.7);
  return exchange(rng, who, t, clientInfo(where, client), spec, {
    outputTokens: answerTokens(rng, toolUse ? 'tool' : ask.kind),
    text: answerText(rng, toolUse ? 'tool' : ask.kind),
    toolUse,
  });
}

/**
 * Fills `{q}` in a template.
 *
 * @example
 * fill('Solve: {q}', '2+2'); // 'Solve: 2+2'
 */
export function fill(template: string, q: string): string {
  return template.replaceAll('{q}', q);
}

/**
 * The time at `fraction` of the way through the window (0 = start, 1 = end).
 *
 * @example
 * dayAt(world, 0.5); // the middle of the window
 */
export function dayAt(world: World, fraction: number): number {
  return Math.round(world.start + (world.end - world.start) * fraction);
}

export interface MachineAccount {
  world: World;
  rng: Rng;
  who: Identity;
  client: Client;
  /** Next request start (a Poisson clock, usually). */
  next: () => number;
  /** Stop before this time (e.g. the account is banned or retired). */
  until: number;
  /** At most this many exchanges. */
  max: number;
  where: (rng: Rng) => ClientInfo;
  model: (t: number, rng: Rng) => string;
  /** One task: a single ask, or a chain (agent loop) sent back to back in machine time. */
  task: (rng: Rng, t: number) => Ask[];
}

/**
 * A scripted account: tasks at the clock's times, chains sent as soon as each answer arrives.
 *
 * @example
 * pop.streams.push(machineAccount({ world, rng, who, client, next: () => clock.next(), until, max, where, model, task }));
 */
export function* machineAccount(o: MachineAccount): Generator<SimEvent> {
  let sent = 0;
  let busyUntil = Number.NEGATIVE_INFINITY;
  const until = Math.min(o.until, o.world.end);
  while (sent < o.max) {
    let t = Math.max(o.next(), busyUntil);
    if (t >= until) return;
    const where = o.where(o.rng);
    for (const ask of o.task(o.rng, t)) {
      if (t >= until || sent >= o.max) return;
      const event = attackExchange(o.rng, o.who, Math.round(t), where, o.client, o.model(t, o.rng), ask);
      yield event;
      sent++;
      t = Math.round(t + (event.response?.latency_ms ?? 1000) + o.rng.lognormal(800, 0.6));
    }
    busyUntil = t;
  }
}

/**
 * An agent loop over a tool-calling corpus item: the call, then the tool result fed back.
 *
 * @example
 * const chain = toolChain(rng, item, opts); // two asks
 */
export function toolChain(rng: Rng, item: CorpusItem, system: string, opts: Ask['opts']): Ask[] {
  const user: Turn = { role: 'user', text: promptOf(item) };
  const tools = item.tools ?? [];
  const tool = tools.length > 0 ? rng.pick(tools) : undefined;
  const first: Ask = { system, turns: [user], ...(tools.length > 0 ? { tools } : {}), kind: 'tool', opts };
  if (tool === undefined) return [first];
  const call = { id: `call_${rng.hex(20)}`, name: tool.name, args: { input: promptOf(item).slice(0, 40) } };
  const second: Ask = {
    system,
    turns: [
      user,
      { role: 'assistant', text: '', toolCall: call },
      { role: 'tool', call, result: JSON.stringify({ ok: true, data: rng.int(1, 9999) }) },
    ],
    tools,
    kind: 'chat',
    opts,
  };
  return [first, second];
}
