/**
 * Event files for speed measurements: many accounts, ts-sorted, ~1 KB prompts built from the real
 * corpora (read in place from ../shared/data; the built-in generator stands in when absent).
 */
import type { ExchangeEvent } from '../src/contract/types.js';
import { createJsonlWriter } from '../src/contract/write-jsonl.js';
import { loadCorpora } from '../src/sim/corpora.js';

/** Target prompt size: the detector's speed bar is stated for ~1 KB prompts. */
const PROMPT_CHARS = 1_000;
const ACCOUNTS = 2_000;

/** Real prompts from every corpus, for building ~1 KB prompts. */
function promptPool(dataDir: string): string[] {
  const c = loadCorpora(dataDir);
  const items = [
    ...c.userPrompts,
    ...c.conversations,
    ...c.distill.reasoning,
    ...c.distill.general,
    ...c.distill.coding,
    ...c.distill.tools,
    ...c.evals.gsm8k,
    ...c.evals.humaneval,
  ];
  return items.map((item) => item.turns[0]?.text ?? '').filter((text) => text.length > 0);
}

/**
 * Writes `count` events of ~1 KB prompts (sorted by ts, many accounts) to `path`.
 *
 * @example
 * await writeSpeedFile('/tmp/events.jsonl.gz', 100_000, '../shared/data');
 */
export async function writeSpeedFile(path: string, count: number, dataDir: string): Promise<void> {
  const pool = promptPool(dataDir);
  const writer = createJsonlWriter(path);
  const start = Date.UTC(2026, 4, 1);
  let cursor = 0;
  for (let i = 0; i < count; i += 1) {
    let prompt = '';
    while (prompt.length < PROMPT_CHARS) {
      prompt += `${pool[cursor % pool.length]}\n\n`;
      cursor += 7;
    }
    const account = (i * 2_654_435_761) % ACCOUNTS;
    const event: ExchangeEvent = {
      id: `speed-${i}`,
      ts: new Date(start + i * 25).toISOString(),
      account_id: `acct-${account}`,
      key_id: `key-${account}`,
      client: {
        ip: `10.${account % 200}.${(account >> 3) % 250}.${account % 250}`,
        user_agent: account % 3 === 0 ? 'python-requests/2.31.0' : 'openai-python/1.40.0',
        asn: 64_500 + (account % 20),
      },
      api: account % 2 === 0 ? 'openai.chat' : 'anthropic.messages',
      model: 'model-large',
      request: {
        messages: [{ role: 'user', content: prompt.slice(0, PROMPT_CHARS + 100) }],
        max_tokens: 1_024,
        temperature: 0.7,
      },
      response: {
        status: 200,
        input_tokens: 260,
        output_tokens: 420,
        latency_ms: 850,
        finish_reason: 'stop',
      },
    };
    await writer.write(event);
  }
  await writer.close();
}
