/**
 * A tiny hand-made simulate output for bench tests: one attack account sending 10 requests in
 * ten minutes and two benign accounts sending a few, so a baseline with limit 3 blocks exactly
 * the attacker after its 4th request (leak 4/10).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountRecord, ExchangeEvent, Label } from '../../contract/types.js';
import { createJsonlWriter } from '../../contract/write-jsonl.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function event(n: number, account: string, minute: number): ExchangeEvent {
  return {
    id: `ev-${n}`,
    ts: new Date(T0 + minute * 60_000).toISOString(),
    account_id: account,
    client: { ip: '198.51.100.9' },
    api: 'openai.chat',
    model: 'm',
    request: { messages: [{ role: 'user', content: `question ${n}` }] },
  };
}

/** Writes events.jsonl.gz, accounts.jsonl and labels.jsonl into `dir`. */
export async function writeTinyRun(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const events: ExchangeEvent[] = [];
  for (let i = 0; i < 10; i++) events.push(event(events.length, 'atk-1', i));
  events.push(event(events.length, 'dev-1', 2.5), event(events.length + 1, 'dev-1', 30));
  events.push(event(events.length, 'chat-1', 5.5));
  events.sort((a, b) => a.ts.localeCompare(b.ts));
  const labels: Label[] = [
    { account_id: 'atk-1', label: 'attack', campaign: 'hydra-1', persona: 'hydra-worker' },
    { account_id: 'dev-1', label: 'benign', persona: 'power-developer' },
    { account_id: 'chat-1', label: 'benign', persona: 'casual-chat' },
  ];
  const accounts: AccountRecord[] = labels.map((l) => ({
    account_id: l.account_id,
    created_at: '2025-12-01T00:00:00.000Z',
  }));
  for (const [file, records] of [
    ['events.jsonl.gz', events],
    ['labels.jsonl', labels],
    ['accounts.jsonl', accounts],
  ] as const) {
    const writer = createJsonlWriter(join(dir, file));
    for (const r of records) await writer.write(r);
    await writer.close();
  }
}
