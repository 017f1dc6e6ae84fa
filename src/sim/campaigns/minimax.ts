/**
 * minimax: the public record's largest named campaign (13M exchanges) — agentic coding and tool
 * use around the clock from cloud servers — which moved about half its traffic to a newly
 * released model within 24 hours of its release.
 */

import type { ToolSpec } from '../corpora.js';
import { endpoint, HOSTING } from '../network.js';
import { chooseClient, newAccount } from '../personas/common.js';
import type { Rng } from '../rng.js';
import { DAY, HOUR, PoissonClock } from '../timing.js';
import { CONSUMER_DOMAINS, type Population, scaled, type World } from '../world.js';
import {
  type Ask,
  attackLabel,
  Cursor,
  dayAt,
  deal,
  fill,
  machineAccount,
  promptOf,
  toolChain,
} from './common.js';

const str = { type: 'string' } as const;
const AGENT_TOOLS: ToolSpec[] = [
  {
    name: 'bash',
    description: 'Run a shell command in the repository',
    parameters: { type: 'object', properties: { command: str }, required: ['command'] },
  },
  {
    name: 'read_file',
    description: 'Read a file from the repository',
    parameters: { type: 'object', properties: { path: str }, required: ['path'] },
  },
  {
    name: 'write_file',
    description: 'Write a file in the repository',
    parameters: { type: 'object', properties: { path: str, content: str }, required: ['path', 'content'] },
  },
  {
    name: 'search_code',
    description: 'Search the codebase',
    parameters: { type: 'object', properties: { query: str }, required: ['query'] },
  },
];

const CODING_AGENT = [
  'You are working in a Python repository. Task: {q}\nInspect the relevant files with the tools, then implement the change and run the tests.',
  'Task for the coding agent: {q}\nPlan the edit, make it, and report the diff.',
  'Fix or implement the following in the repository, using the available tools as needed: {q}',
  '{q}\n\nImplement this as production-quality code with tests. Use the tools to explore first.',
];

/**
 * Share of traffic on the new model `hoursAfter` its release: half within the first day.
 *
 * @example
 * pivotShare(24); // 0.5
 */
export function pivotShare(hoursAfter: number): number {
  if (hoursAfter < 2) return 0;
  return 0.5 * Math.min(1, (hoursAfter - 2) / 8);
}

/**
 * The minimax campaign.
 *
 * @example
 * const pop = minimax(world, rng.fork('minimax'));
 */
export function minimax(world: World, rng: Rng): Population {
  const pop: Population = { name: 'minimax', accounts: [], labels: [], streams: [] };
  const n = scaled(world, 1000, 8);
  const total = scaled(world, 13_000_000, 6000);
  const from = dayAt(world, 0.05);
  const perAccount = Math.ceil(total / n);
  const activeDays = Math.max(0.5, (world.end - from) / DAY);
  const { coding, tools } = world.corpora.distill;
  const codeShares = deal(rng, coding, n);
  const toolShares = deal(rng, tools, n);
  const bursts = Array.from({ length: Math.max(1, Math.ceil(n / 40)) }, () => from - rng.range(1, 30) * DAY);
  for (let i = 0; i < n; i++) {
    const r = rng.fork(`minimax/${i}`);
    const net = r.pick(HOSTING);
    const server = endpoint(r, net);
    const { record, who } = newAccount(world, r, {
      createdAt: (bursts[i % bursts.length] ?? from) + r.range(0, 3) * HOUR,
      verified: false,
      signupChannel: 'self-serve',
      paymentFingerprint: `pf_${r.hex(24)}`,
      emailDomain: r.weighted(CONSUMER_DOMAINS),
      signupIp: server.ip,
    });
    pop.accounts.push(record);
    pop.labels.push(attackLabel(record, 'minimax', 'minimax-worker'));
    const client = chooseClient(r, [
      ['openai-python', 60],
      ['anthropic-python', 40],
    ]);
    const mineCode = new Cursor(codeShares[i] ?? []);
    const mineTools = new Cursor(toolShares[i] ?? []);
    const system = 'You are an expert autonomous coding agent.';
    const opts = (x: Rng): Ask['opts'] => ({
      maxTokens: 8192,
      temperature: x.pick([0.2, 0.7, 1]),
      ...(x.chance(0.4) ? { thinkingBudget: 8000 } : {}),
    });
    const clock = new PoissonClock(r, (activeDays * DAY) / perAccount, from + r.range(0, HOUR));
    pop.streams.push(
      machineAccount({
        world,
        rng: r,
        who,
        client,
        next: () => clock.next(),
        until: world.end,
        max: perAccount,
        where: () => server,
        model: (t, x) =>
          t >= world.releaseAt && x.chance(pivotShare((t - world.releaseAt) / HOUR))
            ? world.models.next
            : world.models.pro,
        task: (x) => {
          const item = x.chance(0.25) ? mineTools.next() : undefined;
          if (item !== undefined) return toolChain(x, item, system, opts(x));
          const q = promptOf(mineCode.next() ?? { id: '', source: '', turns: [] });
          const first: Ask = {
            system,
            turns: [{ role: 'user', text: fill(x.pick(CODING_AGENT), q) }],
            tools: AGENT_TOOLS,
            kind: 'tool',
            opts: opts(x),
          };
          return [first];
        },
      }),
    );
  }
  return pop;
}
