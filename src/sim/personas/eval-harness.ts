/**
 * eval-harness: researchers benchmarking the model. Whole evaluation sets (GSM8K test,
 * HumanEval) sent in dataset order in fast bursts by a few parallel workers, single-turn,
 * temperature 0 (or n samples for pass@k), a fixed prompt format that even says "step by step".
 * A hard negative: systematic, high-volume, dataset-style — and benign.
 */
import { answerText, answerTokens } from '../answers.js';
import type { CorpusItem } from '../corpora.js';
import { endpoint, HOSTING, UNIVERSITIES } from '../network.js';
import type { Rng } from '../rng.js';
import { DAY, HOUR } from '../timing.js';
import type { RequestSpec } from '../wire.js';
import { exchange, type Identity, type Population, type SimEvent, type World } from '../world.js';
import { type Client, chooseClient, clientInfo, newAccount } from './common.js';

interface Run {
  at: number;
  items: CorpusItem[];
  format: (text: string) => string;
  workers: number;
  samples: number;
  kind: 'math' | 'code';
}

function* runTraffic(
  world: World,
  r: Rng,
  who: Identity,
  client: Client,
  where: () => ReturnType<typeof endpoint>,
  runs: Run[],
): Generator<SimEvent> {
  let free = 0;
  for (const run of runs) {
    // Each worker sends its next item as soon as its previous answer arrives.
    // Few workers: a linear scan for the next free one is cheaper than a heap.
    const workers = Array.from(
      { length: run.workers },
      (_, w) => Math.max(run.at, free) + w * r.range(5, 60),
    );
    for (const item of run.items) {
      let w = 0;
      for (let k = 1; k < workers.length; k++) if ((workers[k] ?? 0) < (workers[w] ?? 0)) w = k;
      const t = Math.round(workers[w] ?? run.at);
      if (t >= world.end) return;
      const spec: RequestSpec = {
        api: client.api,
        model: world.models.pro,
        system: 'You are a helpful assistant.',
        turns: [{ role: 'user', text: run.format(item.turns[0]?.text ?? '') }],
        maxTokens: run.kind === 'code' ? 768 : 512,
        temperature: run.samples > 1 ? 0.8 : 0,
        ...(run.samples > 1 ? { n: run.samples } : {}),
      };
      const event = exchange(r, who, t, clientInfo(where(), client), spec, {
        outputTokens: answerTokens(r, run.kind),
        text: answerText(r, run.kind),
      });
      yield event;
      workers[w] = t + (event.response?.latency_ms ?? 1000) + r.range(2, 30);
    }
    free = Math.max(...workers);
  }
}

/** The few-shot-free GSM8K prompt format evaluation harnesses commonly use. */
export const GSM8K_FRAME = "Question: {q}\nAnswer: Let's think step by step.";

/**
 * `count` eval-harness accounts, each doing one to four runs over the window.
 *
 * @example
 * const pop = evalHarness(world, rng.fork('eval-harness'), 6);
 */
export function evalHarness(world: World, rng: Rng, count: number): Population {
  const pop: Population = { name: 'eval-harness', accounts: [], labels: [], streams: [] };
  const { gsm8k, humaneval } = world.corpora.evals;
  for (let i = 0; i < count; i++) {
    const r = rng.fork(`eval-harness/${i}`);
    const academic = r.chance(0.5);
    const net = academic ? r.pick(UNIVERSITIES) : r.pick(HOSTING);
    const third = r.int(0, 255);
    const host = endpoint(r, net, third);
    const { record, who } = newAccount(world, r, {
      createdAt: world.start - r.lognormal(120 * DAY, 1),
      verified: r.chance(0.6),
      signupChannel: academic ? 'research-program' : r.pick(['self-serve', 'startup-program']),
      paymentFingerprint: `pf_${r.hex(24)}`,
      emailDomain: academic
        ? `${r.pick(['cs', 'eecs', 'ml'])}.${r.pick(['stanford', 'ox', 'ethz', 'cmu', 'tsinghua', 'utoronto'])}.edu`
        : r.pick(['gmail.com', 'evalco.ai', 'benchlab.io']),
      signupIp: host.ip,
    });
    pop.accounts.push(record);
    pop.labels.push({ account_id: who.account_id, label: 'benign', persona: 'eval-harness' });
    const client = chooseClient(r, [
      ['openai-python', 50],
      ['python-requests', 30],
      ['anthropic-python', 20],
    ]);
    const runs: Run[] = [];
    const n = r.int(1, 4);
    for (let k = 0; k < n; k++) {
      const day = Math.floor(r.range(0, (world.end - world.start) / DAY - 1));
      const at = world.start + day * DAY + r.range(8, 20) * HOUR;
      if (r.chance(0.6)) {
        const limit = r.pick([gsm8k.length, gsm8k.length, 250, 500]);
        runs.push({
          at,
          items: gsm8k.slice(0, Math.min(limit, gsm8k.length)),
          format: (q) => GSM8K_FRAME.replace('{q}', () => q),
          workers: r.pick([1, 4, 8, 16]),
          samples: 1,
          kind: 'math',
        });
      } else {
        runs.push({
          at,
          items: humaneval,
          format: (p) => p,
          workers: r.pick([1, 4, 8]),
          samples: r.pick([1, 1, 5, 10]),
          kind: 'code',
        });
      }
    }
    runs.sort((a, b) => a.at - b.at);
    pop.streams.push(
      runTraffic(world, r, who, client, () => ({ ...host, ip: endpoint(r, net, third).ip }), runs),
    );
  }
  return pop;
}
