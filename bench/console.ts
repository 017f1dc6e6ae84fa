/**
 * Console render benchmark in Debian's chromium (playwright-core): the overview's time to
 * interactive on a signed-in reload and when its traffic chart is filled in (plus, timed on the
 * server, the uncached traffic query it is built from — read from the per-minute roll-up, side by
 * side with the same series counted from the log as before the roll-up, at 30,000 and again at
 * 300,000 logged exchanges), the campaign view of a 25,000-account campaign (route
 * change → view in the DOM and its graph painted), and recolouring its graph by prompt template
 * (select → the server reads the latest exchanges of the 2,500 drawn accounts → legend and graph
 * redrawn), each repeated, with median, p90 and max. The gateway is the embedded one (SQLite in a
 * temp dir, mock upstream) holding that campaign, 2,000 detector decisions, and 12 logged
 * exchanges for each drawn account over a week (30,000 events, a few templates, a few networks).
 * Prints a Markdown table; changes nothing in docs/.
 *
 *   npx tsx bench/console.ts [--runs N]   (default 15)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildConsoleApp } from '../src/console/build-app.js';
import { TRAFFIC_POINTS } from '../src/console/console-api.js';
import { bucketWidthFor, TRAFFIC_WINDOW_MS, trafficHistory } from '../src/console/traffic-history.js';
import { GRAPH_NODE_CAP } from '../src/console/view-model.js';
import type { Action, Decision, ExchangeEvent } from '../src/contract/types.js';
import { startEmbedded } from '../src/gateway/embedded.js';
import type { Store } from '../src/store/types.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'console-bench-admin-token-0123';
const ACCOUNTS = 25_000;
const EXCHANGES_PER_ACCOUNT = 12;
const TEMPLATES = [
  (i: number) => `Rate the response on a scale of 1 to ${i % 10}: "answer ${i}"`,
  (i: number) => `Compare the two responses below and say which is better.\n\nA: ${i}\nB: ${i + 1}`,
  (i: number) => `Solve step by step and show all reasoning: what is ${i} times ${i + 7}?`,
  (i: number) => `Translate to French: "message number ${i}"`,
];

/** 12 exchanges for each drawn account over a week: a few templates, networks and cadences. */
function exchanges(accounts: readonly string[]): ExchangeEvent[] {
  const out: ExchangeEvent[] = [];
  const start = Date.UTC(2026, 0, 1);
  accounts.forEach((account_id, a) => {
    for (let k = 0; k < EXCHANGES_PER_ACCOUNT; k++) {
      const n = a * EXCHANGES_PER_ACCOUNT + k;
      const template = TEMPLATES[(a + (k % 3 === 0 ? 1 : 0)) % TEMPLATES.length] ?? TEMPLATES[0];
      out.push({
        id: `bench-ev-${n}`,
        ts: new Date(
          start + (a % 7) * 86_400_000 + (a % 24) * 3_600_000 + k * 1000 * (5 + (a % 4) * 40),
        ).toISOString(),
        account_id,
        client: { ip: `10.${a % 5}.${a % 3}.${(a % 250) + 1}` },
        api: 'openai.chat',
        model: 'mock-gpt',
        request: { messages: [{ role: 'user', content: template?.(n) ?? '' }] },
        response: { status: n % 50 === 0 ? 429 : 200, output_tokens: 200 },
      });
    }
  });
  return out;
}

function runsArg(argv: string[]): number {
  const i = argv.indexOf('--runs');
  if (i < 0) return 15;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new Error('--runs must be a whole number from 1 to 1000');
  return n;
}

function stats(xs: number[]): { median: number; p90: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  return { median: at(0.5), p90: at(0.9), max: s.at(-1) ?? Number.NaN };
}

/**
 * The traffic series as it was read before the roll-up: the window ends 1 ms after the newest
 * exchange, which is not a whole minute, so the store counts every logged exchange in it.
 */
async function trafficFromLog(store: Store, points: number): Promise<number> {
  const range = await store.eventTimeRange();
  if (range === undefined) return 0;
  const last = Date.parse(range.last);
  const first = Math.max(Date.parse(range.first), last - TRAFFIC_WINDOW_MS);
  const width = bucketWidthFor(last - first + 1, points);
  const counted = await store.countEventsByTime({
    from: new Date(Math.floor(first / width) * width).toISOString(),
    to: new Date(last + 1).toISOString(),
    bucketMs: width,
  });
  return counted.reduce((n, b) => n + b.exchanges, 0);
}

/** Both ways of reading the series, alternated `runs` times; checks they count the same exchanges. */
async function timeTrafficQueries(store: Store, runs: number): Promise<{ rollup: number[]; log: number[] }> {
  const rollup: number[] = [];
  const log: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const series = await trafficHistory(store, TRAFFIC_POINTS);
    rollup.push(performance.now() - t0);
    t0 = performance.now();
    const fromLog = await trafficFromLog(store, TRAFFIC_POINTS);
    log.push(performance.now() - t0);
    const fromRollup = series.reduce((n, b) => n + b.exchanges, 0);
    if (fromRollup !== fromLog)
      throw new Error(`roll-up counted ${fromRollup} exchanges, the log ${fromLog}`);
  }
  return { rollup, log };
}

async function main(): Promise<void> {
  const runs = runsArg(process.argv.slice(2));
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium`);
  const bytes = await buildConsoleApp();
  const dir = mkdtempSync(join(tmpdir(), 'dg-console-bench-'));
  const gateway = await startEmbedded({
    mockUpstream: true,
    port: 0,
    dbPath: join(dir, 'bench.db'),
    env: { ...process.env, DG_ADMIN_TOKEN: TOKEN },
    log: () => {},
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
    await gateway.store.putCampaign(
      {
        id: 'bench-25k',
        accounts,
        first_action_at: '2026-01-05T00:00:00.000Z',
        score: 0.95,
        capabilities: { coding: 0.4, math: 0.4, agentic: 0.2 },
        evidence: [`${ACCOUNTS} of ${ACCOUNTS} accounts share a payment fingerprint (+3.0)`],
      },
      '2026-01-06T00:00:00.000Z',
    );
    const ladder: Action[] = ['monitor', 'throttle', 'degrade', 'block'];
    const decisions: Decision[] = Array.from({ length: 2000 }, (_, i) => ({
      at: new Date(Date.UTC(2026, 0, 5) + i * 60_000).toISOString(),
      event_id: `ev-${i}`,
      account_id: accounts[i] ?? 'bench-00000',
      action: ladder[i % 4] ?? 'monitor',
      score: 0.9,
      campaign_id: 'bench-25k',
      reasons: ['bench'],
    }));
    await gateway.store.insertDecisions(decisions, 'detector');
    await gateway.store.insertEvents(exchanges(accounts.slice(0, GRAPH_NODE_CAP)), 'full');

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${gateway.url}/console`);
    await page.fill('#token', TOKEN);
    await page.click('#signin button');
    await page.waitForSelector('body[data-ready="overview"]');
    const tti: number[] = [];
    const campaign: number[] = [];
    const template: number[] = [];
    const trafficChart: number[] = [];
    for (let i = 0; i < runs; i++) {
      await page.goto(`${gateway.url}/console#/`);
      await page.reload();
      await page.waitForSelector('body[data-ready="overview"]');
      tti.push(
        (await page.evaluate('performance.getEntriesByName("dg:ready:overview")[0].startTime')) as number,
      );
      await page.waitForSelector('#traffic[data-loaded="true"]');
      trafficChart.push(
        (await page.evaluate('performance.getEntriesByName("dg:loaded:traffic")[0].startTime')) as number,
      );
      campaign.push(
        (await page.evaluate(`(async () => {
          const t0 = performance.now();
          location.hash = '#/campaign/bench-25k';
          await new Promise((resolve) => {
            const check = () => {
              if (document.body.dataset.ready === 'campaign') requestAnimationFrame(() => requestAnimationFrame(resolve));
              else setTimeout(check, 5);
            };
            check();
          });
          return performance.now() - t0;
        })()`)) as number,
      );
      template.push(
        (await page.evaluate(`(async () => {
          const t0 = performance.now();
          const select = document.querySelector('#colour-by');
          select.value = 'template';
          select.dispatchEvent(new Event('change'));
          await new Promise((resolve) => {
            const check = () => {
              if (document.querySelector('#graph-legend').dataset.mode === 'template') requestAnimationFrame(() => requestAnimationFrame(resolve));
              else setTimeout(check, 5);
            };
            check();
          });
          return performance.now() - t0;
        })()`)) as number,
      );
    }
    const small = await timeTrafficQueries(gateway.store, runs);
    // Nine more copies of the week's exchanges (new ids, same times): 300,000 in the log.
    const week = exchanges(accounts.slice(0, GRAPH_NODE_CAP));
    for (let copy = 1; copy < 10; copy++) {
      const more = week.map((e) => ({ ...e, id: `${e.id}-copy${copy}` }));
      for (let i = 0; i < more.length; i += 500)
        await gateway.store.insertEvents(more.slice(i, i + 500), 'full');
    }
    const large = await timeTrafficQueries(gateway.store, runs);
    const row = (name: string, xs: number[], budget: string): string => {
      const s = stats(xs);
      // Tenths below 10 ms, so the roll-up's sub-millisecond reads do not all print as 1.
      const ms = (x: number): string => x.toFixed(x < 10 ? 1 : 0);
      return `| ${name} | ${ms(s.median)} | ${ms(s.p90)} | ${ms(s.max)} | ${budget} |`;
    };
    process.stdout.write(
      [
        `console app bundle: ${bytes} bytes; ${runs} runs; chromium ${browser.version()}`,
        '',
        '| view | median ms | p90 ms | max ms | budget |',
        '|---|---|---|---|---|',
        row('overview time to interactive (reload, signed in)', tti, '< 1000'),
        // The console shares the series for 15 s, so most reloads above reuse it; this row is the
        // log scan itself, timed on the server.
        row(
          'overview traffic chart filled in (reload → chart; the series is shared for 15 s)',
          trafficChart,
          '—',
        ),
        row(
          'traffic series query alone (server, uncached; per-minute roll-up), 30,000 exchanges logged',
          small.rollup,
          '—',
        ),
        row('— the same series counted from the log (before the roll-up), 30,000 logged', small.log, '—'),
        row('traffic series query alone (roll-up), 300,000 exchanges logged', large.rollup, '—'),
        row('— the same series counted from the log, 300,000 logged', large.log, '—'),
        row(
          `campaign view, ${ACCOUNTS.toLocaleString('en-US')} accounts (route → painted)`,
          campaign,
          '< 2000',
        ),
        row(
          `recolour that graph by prompt template (${GRAPH_NODE_CAP.toLocaleString('en-US')} accounts' latest exchanges read)`,
          template,
          '—',
        ),
        '',
      ].join('\n'),
    );
  } finally {
    await browser.close();
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
