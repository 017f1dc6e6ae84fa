import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.js';

const event = (i: number) => ({
  id: `e${i}`,
  ts: `2026-01-01T00:00:0${i}.000Z`,
  account_id: `acct-${i}`,
  client: { ip: '10.0.0.1' },
  api: 'openai.chat',
  model: 'm',
  request: { messages: [{ role: 'user', content: `</script><img src=x onerror=alert(${i})>` }] },
});

describe('distillguard analyze --html', () => {
  it('writes the JSON report and a self-contained HTML report of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-analyze-html-'));
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, `${[1, 2, 3].map((i) => JSON.stringify(event(i))).join('\n')}\n`);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await main([
        'node',
        'distillguard',
        'analyze',
        events,
        '--out',
        join(dir, 'r.json'),
        '--html',
        join(dir, 'r.html'),
      ]);
      expect(code).toBe(0);
    } finally {
      out.mockRestore();
    }
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<b>3</b>events');
    expect(html).toContain('r.json');
    expect(html).not.toContain('<img');
  });

  it('fails at once with a message naming --html when the file cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-analyze-html-'));
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, `${JSON.stringify(event(1))}\n`);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let code: number;
    let written: string;
    try {
      code = await main([
        'node',
        'distillguard',
        'analyze',
        events,
        '--out',
        join(dir, 'r.json'),
        '--html',
        join(dir, 'no/such/dir/r.html'),
      ]);
      written = err.mock.calls.map((c) => String(c[0])).join('');
    } finally {
      err.mockRestore();
    }
    expect(code).toBe(2);
    expect(written).toMatch(/distillguard: --html: .*no\/such\/dir/);
  });
});
