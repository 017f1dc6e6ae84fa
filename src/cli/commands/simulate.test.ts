import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DATA_NOTICE, TEST_DATA_DIR } from '../../sim/test-helpers/world.js';
import { main } from '../main.js';
import { captureCli } from '../test-helpers/cli-capture.js';

const cli = captureCli('dg-simulate-cli-');

const run = (...args: string[]): Promise<number> => main(['node', 'distillguard', 'simulate', ...args]);

describe('distillguard simulate', () => {
  it('writes the three files and prints a summary', async () => {
    const out = join(cli.dir, 'sim');
    const code = await run(
      '--out',
      out,
      '--scale',
      '0.0001',
      '--days',
      '2',
      '--seed',
      '3',
      '--scenario',
      'deepseek',
      '--data',
      TEST_DATA_DIR,
    );
    expect(cli.stderr).toMatch(DATA_NOTICE);
    expect(code).toBe(0);
    for (const f of ['events.jsonl.gz', 'accounts.jsonl', 'labels.jsonl'])
      expect(existsSync(join(out, f))).toBe(true);
    const events = gunzipSync(await readFile(join(out, 'events.jsonl.gz')))
      .toString('utf8')
      .trim()
      .split('\n');
    expect(cli.stdout).toContain(`${events.length.toLocaleString('en-US')} events`);
    expect(cli.stdout).toMatch(/deepseek\s+6 accounts/);
    const labels = (await readFile(join(out, 'labels.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(labels.some((l) => l.campaign === 'deepseek' && l.label === 'attack')).toBe(true);
  });

  it('says when it falls back to the built-in generator', async () => {
    const code = await run(
      '--out',
      join(cli.dir, 'b'),
      '--scale',
      '0.0001',
      '--days',
      '1',
      '--scenario',
      'deepseek',
      '--data',
      join(cli.dir, 'no-data'),
    );
    expect(code).toBe(0);
    expect(cli.stderr).toMatch(/built-in prompt and timing generator/);
  });

  it.each([
    [['--scale', '2'], '--scale must be a number greater than 0 and at most 1, got "2"'],
    [['--scale', 'lots'], '--scale must be a number'],
    [['--seed', '-4'], '--seed must be a whole number'],
    [['--scenario', 'hydra,bogus'], '--scenario: unknown name "bogus"'],
    [['--days', '0'], '--days must be a whole number from 1 to 366'],
    [['--inject-into', '/no/such/file.jsonl'], '--inject-into: /no/such/file.jsonl does not exist'],
  ])('rejects %j with a clear message', async (args, message) => {
    const code = await run('--out', join(cli.dir, 'x'), ...args);
    expect(code).toBe(2);
    expect(cli.stderr).toContain(message);
    expect(cli.stderr).not.toMatch(/\n\s+at /);
  });

  it('injects into a host log and reports its invalid lines by number', async () => {
    const host = join(cli.dir, 'host.jsonl');
    const ev = (i: number) =>
      JSON.stringify({
        id: `h${i}`,
        ts: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(),
        account_id: `u${i % 3}`,
        client: { ip: '198.51.100.7' },
        api: 'openai.chat',
        model: 'm',
        request: { messages: [{ role: 'user', content: 'hello' }] },
      });
    await writeFile(host, [ev(0), ev(1), '{"id":"broken"}', ev(3), ev(4)].join('\n'));
    const out = join(cli.dir, 'inj');
    const code = await run(
      '--out',
      out,
      '--inject-into',
      host,
      '--scenario',
      'deepseek',
      '--scale',
      '0.0001',
      '--data',
      TEST_DATA_DIR,
    );
    expect(code).toBe(0);
    expect(cli.stderr).toContain(`${host}:3:`);
    expect(cli.stdout).toMatch(/host log: 4 events from 2 accounts kept/);
    const labels = await readFile(join(out, 'labels.jsonl'), 'utf8');
    expect(labels.match(/injected-host/g)).toHaveLength(2);
  });

  it('requires --out', async () => {
    const code = await run('--scale', '0.001');
    expect(code).not.toBe(0);
    expect(cli.stderr).toMatch(/--out/);
  });

  it('reports a corrupt corpus file by name and line', async () => {
    const data = join(cli.dir, 'data');
    await mkdir(join(data, 'prompts'), { recursive: true });
    await writeFile(
      join(data, 'prompts', 'benign-chatbot-arena.jsonl'),
      '{"messages":[{"role":"user","content":"hi"}]}\nnot json\n',
    );
    const code = await run('--out', join(cli.dir, 'y'), '--data', data, '--scale', '0.0001', '--days', '1');
    expect(code).toBe(2);
    expect(cli.stderr).toContain('benign-chatbot-arena.jsonl:2: not valid JSON');
  });
});
