/**
 * Corpus conversations as exchange events, per source file, for the feature benchmarks. Reads
 * the real prompt files in place (../shared/data/prompts, never copied into the repository).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExchangeEvent, WireMessage } from '../src/contract/types.js';

/** One corpus file's conversations. */
export interface SourceFile {
  /** File name without `.jsonl`, e.g. "benign-chatbot-arena". */
  name: string;
  conversations: { messages: WireMessage[]; tools?: unknown[] }[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads every `prompts/*.jsonl` under `dataDir`. Throws with file:line on a malformed line,
 * and with a hint when the directory is missing.
 *
 * @example
 * const files = readSources('../shared/data');
 */
export function readSources(dataDir: string): SourceFile[] {
  const dir = join(dataDir, 'prompts');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    throw new Error(`no prompt corpora at ${dir} (pass --data DIR, the folder holding prompts/)`);
  }
  return names.sort().map((file) => {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    const conversations: SourceFile['conversations'] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${i + 1}: not valid JSON`);
      }
      if (!isRecord(row) || !Array.isArray(row.messages))
        throw new Error(`${file}:${i + 1}: no messages array`);
      const messages = row.messages.filter(isRecord) as WireMessage[];
      conversations.push(Array.isArray(row.tools) ? { messages, tools: row.tools } : { messages });
    });
    return { name: file.replace(/\.jsonl$/, ''), conversations };
  });
}

/**
 * The request a client would send at the conversation's last user turn (history included,
 * the final answer dropped), or at its first user turn when `firstTurnOnly`.
 *
 * @example
 * const e = toEvent({ messages: [{ role: 'user', content: 'hi' }] }, 0);
 */
export function toEvent(
  conversation: SourceFile['conversations'][number],
  seq: number,
  firstTurnOnly = false,
): ExchangeEvent {
  const msgs = conversation.messages;
  let end = 0;
  for (let i = 0; i < msgs.length; i++) {
    if (msgs[i]!.role === 'user') {
      end = i + 1;
      if (firstTurnOnly) break;
    }
  }
  const request: ExchangeEvent['request'] = { messages: msgs.slice(0, end) };
  if (conversation.tools !== undefined && conversation.tools.length > 0) request.tools = conversation.tools;
  return {
    id: `corpus-${seq}`,
    ts: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
    account_id: `acct-${seq % 97}`,
    client: { ip: `198.51.${seq % 250}.${(seq * 7) % 250}`, user_agent: 'openai-python/1.40.0' },
    api: 'openai.chat',
    model: 'model-large',
    request,
  };
}
