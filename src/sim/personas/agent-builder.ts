/**
 * agent-builder: a developer building a tool-using agent on the API. Their app's own tools, real
 * user tasks as inputs, and full agent loops: the model calls a tool, the app sends the tool
 * result back within a second or two, the model answers, the developer sometimes follows up.
 */
import { answerText } from '../answers.js';
import type { ToolSpec } from '../corpora.js';
import { endpoint, HOSTING, residential } from '../network.js';
import type { Rng } from '../rng.js';
import { DAY, HumanClock } from '../timing.js';
import type { Turn } from '../wire.js';
import { CONSUMER_DOMAINS, type Population, type World } from '../world.js';
import { type Conversation, chooseClient, modelChooser, newAccount, replayConversations } from './common.js';

const str = { type: 'string' } as const;
const APP_TOOLS: readonly ToolSpec[] = [
  {
    name: 'search_docs',
    description: 'Search the product documentation',
    parameters: { type: 'object', properties: { query: str }, required: ['query'] },
  },
  {
    name: 'get_order_status',
    description: 'Look up an order by id',
    parameters: { type: 'object', properties: { order_id: str }, required: ['order_id'] },
  },
  {
    name: 'create_ticket',
    description: 'Open a support ticket',
    parameters: { type: 'object', properties: { title: str, body: str }, required: ['title'] },
  },
  {
    name: 'run_sql',
    description: 'Run a read-only SQL query on the analytics warehouse',
    parameters: { type: 'object', properties: { sql: str }, required: ['sql'] },
  },
  {
    name: 'fetch_url',
    description: 'Fetch a web page and return its text',
    parameters: { type: 'object', properties: { url: str }, required: ['url'] },
  },
  {
    name: 'calendar_lookup',
    description: 'List events in the user calendar for a date',
    parameters: { type: 'object', properties: { date: str }, required: ['date'] },
  },
];

function toolResult(rng: Rng, name: string): string {
  switch (name) {
    case 'get_order_status':
      return JSON.stringify({
        status: rng.pick(['shipped', 'processing', 'delivered']),
        eta_days: rng.int(0, 6),
      });
    case 'run_sql':
      return JSON.stringify({ rows: [[rng.int(10, 9000)], [rng.int(10, 9000)]], columns: ['count'] });
    case 'calendar_lookup':
      return JSON.stringify({
        events: [
          { title: 'Standup', start: '09:30' },
          { title: '1:1', start: '14:00' },
        ],
      });
    default:
      return JSON.stringify({ results: [{ title: 'Result', snippet: 'Relevant passage from the source.' }] });
  }
}

/** Arguments a model would plausibly fill in for `tool`, from the task where it fits. */
function toolArgs(rng: Rng, tool: ToolSpec, task: string): Record<string, unknown> {
  const excerpt = task.replace(/\s+/g, ' ').slice(0, 60);
  const args: Record<string, unknown> = {};
  for (const key of Object.keys((tool.parameters.properties as Record<string, unknown> | undefined) ?? {})) {
    if (key === 'order_id') args[key] = `ORD-${rng.int(100000, 999999)}`;
    else if (key === 'date') args[key] = `2026-0${rng.int(1, 2)}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    else if (key === 'sql')
      args[key] = `SELECT count(*) FROM orders WHERE created_at > now() - interval '${rng.int(1, 30)} days'`;
    else if (key === 'url')
      args[key] = `https://docs.example.com/${rng.pick(['billing', 'api', 'faq', 'setup'])}`;
    else if (key === 'body') args[key] = task.slice(0, 200);
    else args[key] = excerpt;
  }
  return args;
}

/** One agent task: user input → tool call(s) with results → final answer → maybe a follow-up. */
function agentLoop(rng: Rng, task: string, tools: readonly ToolSpec[]): Conversation {
  const turns: Turn[] = [{ role: 'user', text: task }];
  const calls = 1 + Math.floor(rng.exp(0.8));
  for (let c = 0; c < calls; c++) {
    const tool = rng.pick(tools);
    const call = { id: `call_${rng.hex(20)}`, name: tool.name, args: toolArgs(rng, tool, task) };
    turns.push({ role: 'assistant', text: '', toolCall: call });
    turns.push({ role: 'tool', call, result: toolResult(rng, tool.name) });
  }
  turns.push({ role: 'assistant', text: answerText(rng, 'chat') });
  if (rng.chance(0.35))
    turns.push({
      role: 'user',
      text: rng.pick([
        'ok, and what about last week?',
        'can you do the same for the other account?',
        'thanks. open a ticket for it',
      ]),
    });
  return {
    turns,
    tools: [...tools],
    kind: 'chat',
    system: 'You are an assistant for Acme operations staff. Use the tools when needed; be concise.',
  };
}

/**
 * `count` agent-builder accounts.
 *
 * @example
 * const pop = agentBuilder(world, rng.fork('agent-builder'), 40);
 */
export function agentBuilder(world: World, rng: Rng, count: number): Population {
  const pop: Population = { name: 'agent-builder', accounts: [], labels: [], streams: [] };
  const { userPrompts, conversations } = world.corpora;
  for (let i = 0; i < count; i++) {
    const r = rng.fork(`agent-builder/${i}`);
    const laptop = residential(r);
    const backend = endpoint(r, r.pick(HOSTING));
    const { record, who } = newAccount(world, r, {
      createdAt: world.start - r.lognormal(90 * DAY, 1),
      verified: r.chance(0.3),
      signupChannel: r.chance(0.2) ? 'startup-program' : 'self-serve',
      paymentFingerprint: `pf_${r.hex(24)}`,
      emailDomain: r.chance(0.5)
        ? `${r.pick(['agentic', 'flowbot', 'opsmate', 'helper'])}${r.int(1, 999)}.ai`
        : r.weighted(CONSUMER_DOMAINS),
      signupIp: laptop.ip,
    });
    pop.accounts.push(record);
    pop.labels.push({ account_id: who.account_id, label: 'benign', persona: 'agent-builder' });
    const client = chooseClient(r, [
      ['openai-node', 30],
      ['openai-python', 30],
      ['anthropic-python', 25],
      ['anthropic-node', 15],
    ]);
    const tools = r.shuffled(APP_TOOLS).slice(0, r.int(2, 5));
    let sessions = 3 + Math.floor(r.lognormal(10, 0.7));
    pop.streams.push(
      replayConversations({
        world,
        rng: r,
        who,
        clock: new HumanClock(r, world.timing, { start: world.start, spreadDays: 20, minActions: 20 }),
        client,
        where: (x) => (x.chance(0.6) ? laptop : backend),
        model: modelChooser(world, r, 0.6, 0.5),
        next: (x) => {
          if (sessions-- <= 0) return undefined;
          const source = x.chance(0.5) ? x.pick(userPrompts) : x.pick(conversations);
          const task = source.turns[0]?.text ?? '';
          return source.tools !== undefined && x.chance(0.5)
            ? { turns: [{ role: 'user', text: task }], tools: source.tools, kind: 'tool' }
            : agentLoop(x, task.slice(0, 1500), tools);
        },
        options: (x) => ({
          maxTokens: x.pick([1024, 2048, 4096]),
          temperature: x.pick([0, 0.3, 0.7]),
          stream: x.chance(0.4),
        }),
        continueSession: 0.4,
        maxEvents: 1500,
      }),
    );
  }
  return pop;
}
