import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../src/contract/types.js';
import { rewriteSimulation } from './rewrite-simulation.js';

const event = (id: string, account: string, content: string): ExchangeEvent => ({
  id,
  ts: `2026-01-01T00:00:0${id.slice(1)}.000Z`,
  account_id: account,
  client: { ip: '203.0.113.9' },
  api: 'openai.chat',
  model: 'm',
  request: { messages: [{ role: 'user', content }] },
});

describe('rewriteSimulation', () => {
  it('rewrites the events of one campaign or persona and copies everything else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-rewrite-'));
    try {
      const input = join(dir, 'in');
      const out = join(dir, 'out');
      mkdirSync(input);
      const events = [event('e1', 'a', 'one'), event('e2', 'b', 'two'), event('e3', 'a', 'skip')];
      writeFileSync(join(input, 'events.jsonl'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
      const labels = [
        { account_id: 'a', label: 'attack', campaign: 'deepseek', persona: 'deepseek-worker' },
        { account_id: 'b', label: 'benign', persona: 'eval-harness' },
      ];
      writeFileSync(join(input, 'labels.jsonl'), labels.map((l) => `${JSON.stringify(l)}\n`).join(''));
      const count = await rewriteSimulation(input, out, 'deepseek', (e) => {
        const m = e.request.messages[0]!;
        if (m.content === 'skip') return false;
        m.content = `${m.content as string}!`;
        return true;
      });
      expect(count).toEqual({ exchanges: 2, rewritten: 1 });
      const written = gunzipSync(readFileSync(join(out, 'events.jsonl.gz')))
        .toString('utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as ExchangeEvent).request.messages[0]!.content);
      expect(written).toEqual(['one!', 'two', 'skip']);
      expect(readFileSync(join(out, 'labels.jsonl'), 'utf8')).toBe(
        readFileSync(join(input, 'labels.jsonl'), 'utf8'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
