import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../../contract/types.js';
import type { AnalyzeReport } from '../../detect/analyze.js';
import { simulateSmallCampaignRun } from '../../sim/test-helpers/small-campaign-run.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { provisionAccounts } from '../demo/provision.js';
import { main } from '../main.js';
import { captureCli } from '../test-helpers/cli-capture.js';

const cli = captureCli('dg-export-cli-');
const run = (...args: string[]): Promise<number> => main(['node', 'distillguard', ...args]);

describe('distillguard export', () => {
  it("writes a gateway's log and accounts that analyze reads to the report of the original", async () => {
    const { events, accounts } = await simulateSmallCampaignRun(cli.dir, 5);
    const db = join(cli.dir, 'gateway.db');
    const store = openSqliteStore({ path: db });
    // As the demo provisions a gateway: orgs, accounts with their sign-up facts, a key each.
    await provisionAccounts({ store, serverSecret: Buffer.alloc(32, 7), accounts });
    // Stored in completion order, as a gateway logs: a little out of ts order.
    const shuffled = events.map((e, i) => ({ e, k: i + (i % 7) })).sort((x, y) => x.k - y.k);
    for (let i = 0; i < shuffled.length; i += 500)
      await store.insertEvents(
        shuffled.slice(i, i + 500).map((x) => x.e),
        'full',
      );
    await store.close();

    const outEvents = join(cli.dir, 'events.jsonl.gz');
    const outAccounts = join(cli.dir, 'accounts.jsonl');
    expect(await run('export', '--db', db, '--events', outEvents, '--accounts', outAccounts)).toBe(0);
    expect(cli.stdout).toContain(`exported ${events.length.toLocaleString('en-US')} events (`);
    expect(cli.stdout).toContain(
      `exported ${accounts.length.toLocaleString('en-US')} accounts to ${outAccounts}`,
    );
    const exported = gunzipSync(await readFile(outEvents))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ExchangeEvent);
    expect(exported.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());

    const original = join(cli.dir, 'original');
    await run(
      'analyze',
      join(cli.dir, 'sim', 'events.jsonl.gz'),
      '--accounts',
      join(cli.dir, 'sim', 'accounts.jsonl'),
      '--out',
      original,
    );
    const fromExport = join(cli.dir, 'from-export');
    expect(await run('analyze', outEvents, '--accounts', outAccounts, '--out', fromExport)).toBe(0);
    const a = JSON.parse(await readFile(original, 'utf8')) as AnalyzeReport;
    const b = JSON.parse(await readFile(fromExport, 'utf8')) as AnalyzeReport;
    expect(b.events).toBe(events.length);
    expect(b.decisions.length).toBeGreaterThan(0);
    // Accounts come out by id, not in the simulator's order, so members escalated by one event
    // are listed in another order: the same decisions, compared as a set.
    const canon = (r: AnalyzeReport) => r.decisions.map((d) => JSON.stringify(d)).sort();
    expect(canon(b)).toEqual(canon(a));
    expect(b.campaigns).toEqual(a.campaigns);
  }, 120_000);

  it('refuses a database that is not there, and an output it cannot write', async () => {
    const missing = join(cli.dir, 'none.db');
    expect(await run('export', '--db', missing, '--events', join(cli.dir, 'e.jsonl'))).toBe(2);
    expect(cli.stderr).toContain(`--db: no database at ${missing}`);
    const db = join(cli.dir, 'empty.db');
    await openSqliteStore({ path: db }).close();
    const out = join(cli.dir, 'no-such-dir', 'e.jsonl');
    expect(await run('export', '--db', db, '--events', out)).toBe(2);
    expect(cli.stderr).toContain(`cannot write ${out}`);
    expect(cli.stderr).not.toContain('    at ');
  });
});
