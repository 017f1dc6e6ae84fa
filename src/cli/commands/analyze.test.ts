import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import type { ExchangeEvent } from '../../contract/types.js';
import { validateReport } from '../../contract/validate.js';
import type { AnalyzeReport } from '../../detect/analyze.js';
import { defaultPolicy } from '../../detect/policy.js';
import { main } from '../main.js';
import { captureCli } from '../test-helpers/cli-capture.js';

const cli = captureCli('dg-analyze-cli-');

const run = (...args: string[]): Promise<number> => main(['node', 'distillguard', 'analyze', ...args]);

const T0 = Date.UTC(2026, 3, 1);
const event = (i: number): ExchangeEvent => ({
  id: `e${i}`,
  ts: new Date(T0 + i * 1000).toISOString(),
  account_id: `acct-${i % 4}`,
  client: { ip: `192.0.2.${i % 4}` },
  api: 'openai.chat',
  model: 'm',
  request: { messages: [{ role: 'user', content: `Question number ${i}?` }] },
});

/**
 * 40 valid events with two bad lines at known places (lines 5 and 11) and, at line 20, an event
 * stamped with the first event's time: out of order by 18 s, within the default reorder window.
 */
function eventLines(): string {
  const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify(event(i)));
  lines.splice(4, 0, '{"id": "cut-off"');
  lines.splice(10, 0, JSON.stringify({ ...event(99), client: { ip: 12 } }));
  lines.splice(19, 0, JSON.stringify({ ...event(0), id: 'late' }));
  return `${lines.join('\n')}\n`;
}

async function readReport(path: string): Promise<AnalyzeReport> {
  return JSON.parse(await readFile(path, 'utf8')) as AnalyzeReport;
}

describe('distillguard analyze', () => {
  it('reads a .gz log, reports bad lines with their numbers, puts a late line in order, writes a valid report', async () => {
    const events = join(cli.dir, 'events.jsonl.gz');
    await writeFile(events, gzipSync(eventLines()));
    const accounts = join(cli.dir, 'accounts.jsonl');
    await writeFile(
      accounts,
      `${JSON.stringify({ account_id: 'acct-0', created_at: '2026-01-01T00:00:00Z', verified: true })}\n{"account_id": "x"}\n`,
    );
    const out = join(cli.dir, 'report.json');
    const code = await run(events, '--accounts', accounts, '--out', out);
    expect(code).toBe(0);
    expect(cli.stderr).toContain(`${events}:5: invalid JSON: `);
    expect(cli.stderr).toContain(`${events}:11: /client/ip: must be string`);
    expect(cli.stderr).not.toContain(`${events}:20:`);
    expect(cli.stderr).toContain(`${accounts}:2: /: missing required property "created_at"`);
    const report = await readReport(out);
    expect(validateReport(report).ok).toBe(true);
    expect(report.events).toBe(41);
    expect(report.rejected).toBe(3);
    expect(report.summary.accounts).toBe(4);
    expect(report.summary.accountRecords).toBe(1);
    expect(cli.stdout).toMatch(
      /^events: 41 from 4 accounts \(2026-04-01T00:00:00\.000Z → 2026-04-01T00:00:39\.000Z\); rejected lines: 3; account records: 1\n/,
    );
    expect(cli.stdout).toMatch(/\ndecisions: \d+ \(monitor \d+, throttle \d+, degrade \d+, block \d+\)\n/);
    expect(cli.stdout).toContain(`\nreport: ${out}\n`);
  });

  it('takes the events with --events and from stdin with -', async () => {
    const input = Readable.from([Buffer.from(eventLines())]);
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(input as unknown as typeof process.stdin);
    const out = join(cli.dir, 'r.json');
    expect(await run('--events', '-', '--out', out)).toBe(0);
    expect(cli.stderr).toContain('stdin:5: invalid JSON');
    expect((await readReport(out)).events).toBe(41);
  });

  it('writes the report to stdout with --out - and the summary to stderr', async () => {
    const events = join(cli.dir, 'events.jsonl');
    await writeFile(events, `${JSON.stringify(event(1))}\n`);
    expect(await run(events, '--out', '-')).toBe(0);
    const report = JSON.parse(cli.stdout) as AnalyzeReport;
    expect(report.schema).toBe('distillguard.report/1');
    expect(report.events).toBe(1);
    expect(cli.stderr).toContain('report: stdout\n');
  });

  it.each([
    [['--out', 'r.json'], 'missing the events file'],
    [
      ['a.jsonl', '--events', 'b.jsonl', '--out', 'r.json'],
      'either as an argument or with --events, not both',
    ],
    [['nope.jsonl', '--out', 'r.json'], 'events: cannot read nope.jsonl: no such file or directory'],
  ])('refuses %j with a clear usage error', async (args, message) => {
    const code = await main(['node', 'distillguard', 'analyze', ...args]);
    expect(code).toBe(2);
    expect(cli.stderr).toContain(message);
    expect(cli.stderr).not.toContain('    at ');
  });

  it('refuses a missing accounts file, a directory as events and a bad policy', async () => {
    const events = join(cli.dir, 'events.jsonl');
    await writeFile(events, `${JSON.stringify(event(1))}\n`);
    const out = join(cli.dir, 'r.json');
    expect(await run(events, '--accounts', join(cli.dir, 'none.jsonl'), '--out', out)).toBe(2);
    expect(cli.stderr).toContain(
      `--accounts: cannot read ${join(cli.dir, 'none.jsonl')}: no such file or directory`,
    );
    expect(await run(cli.dir, '--out', out)).toBe(2);
    expect(cli.stderr).toContain(`events: cannot read ${cli.dir}: not a regular file`);
    const policy = join(cli.dir, 'policy.json');
    await writeFile(policy, '{"schema": "distillguard.policy/1"}');
    expect(await run(events, '--policy', policy, '--out', out)).toBe(2);
    expect(cli.stderr).toMatch(/--policy: /);
  });

  it('runs with a valid policy file', async () => {
    const events = join(cli.dir, 'events.jsonl');
    await writeFile(events, eventLines());
    const policy = join(cli.dir, 'policy.json');
    await writeFile(policy, JSON.stringify(defaultPolicy()));
    const out = join(cli.dir, 'r.json');
    expect(await run(events, '--policy', policy, '--out', out)).toBe(0);
    expect((await readReport(out)).events).toBe(41);
  });

  it('with --reorder-window 0 analyses in file order and notes the late line', async () => {
    const events = join(cli.dir, 'events.jsonl');
    await writeFile(events, eventLines());
    const out = join(cli.dir, 'r.json');
    expect(await run(events, '--reorder-window', '0', '--out', out)).toBe(0);
    const report = await readReport(out);
    expect(report.events).toBe(41);
    expect(report.notes).toContain(
      `1 event came more than the reorder window (0, at most 1,000 events held, 32 until the first event out of order) out of ts order, first at ${events}:20, and were analysed as they came; sort the log by ts or widen --reorder-window`,
    );
    expect(cli.stdout).toContain(`first at ${events}:20`);
  });

  it('analyses an event later than the reorder window as it comes, notes it, and a wider window takes it in order', async () => {
    // One event a minute for 40 minutes; line 31 carries a time 25 minutes before the line above it.
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ ...event(i), ts: new Date(T0 + i * 60_000).toISOString() }),
    );
    lines.splice(30, 0, JSON.stringify({ ...event(98), ts: new Date(T0 + 5 * 60_000).toISOString() }));
    const events = join(cli.dir, 'events.jsonl');
    await writeFile(events, `${lines.join('\n')}\n`);
    const out = join(cli.dir, 'r.json');
    expect(await run(events, '--out', out)).toBe(0);
    let report = await readReport(out);
    expect(report.events).toBe(41);
    expect(report.rejected).toBe(0);
    expect(report.notes.join('\n')).toContain(
      `(10m, at most 1,000 events held, 32 until the first event out of order) out of ts order, first at ${events}:31`,
    );
    expect(await run(events, '--reorder-window', '30m', '--out', out)).toBe(0);
    report = await readReport(out);
    expect(report.events).toBe(41);
    expect(report.notes.join('\n')).not.toContain('out of ts order');
    expect(await run(events, '--reorder-window', 'soon', '--out', out)).toBe(2);
    expect(cli.stderr).toContain('--reorder-window must be a duration like 90s, 15m, 12h or 30d, got "soon"');
  });

  it('analyses a log shipped twice once, naming each repeated line', async () => {
    const once = Array.from({ length: 10 }, (_, i) => JSON.stringify(event(i))).join('\n');
    const events = join(cli.dir, 'events.jsonl');
    await writeFile(events, `${once}\n${once}\n`);
    const out = join(cli.dir, 'r.json');
    expect(await run(events, '--out', out)).toBe(0);
    const report = await readReport(out);
    expect(report.events).toBe(10);
    expect(report.rejected).toBe(10);
    expect(cli.stderr).toContain(`${events}:11: duplicate event id e0 (first at line 1); skipped`);
  });

  it('refuses an unwritable --out before reading anything', async () => {
    const events = join(cli.dir, 'events.jsonl');
    await writeFile(events, `${JSON.stringify(event(1))}\n`);
    const out = join(cli.dir, 'no-such-dir', 'r.json');
    expect(await run(events, '--out', out)).toBe(2);
    expect(cli.stderr).toBe(`distillguard: --out: cannot write ${out}: no such file or directory\n`);
    if (process.getuid?.() !== 0) {
      const locked = join(cli.dir, 'locked');
      await writeFile(locked, '');
      await chmod(locked, 0o444);
      expect(await run(events, '--out', locked)).toBe(2);
      expect(cli.stderr).toContain(`cannot write ${locked}: permission denied`);
    }
  });

  it('requires --out', async () => {
    expect(await run('events.jsonl')).not.toBe(0);
    expect(cli.stderr).toContain("required option '--out <file>' not specified");
  });
});
