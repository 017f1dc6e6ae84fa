/**
 * End-to-end console test in a real browser (Debian's chromium via playwright-core): sign in,
 * open the campaign a replayed simulated run produced, confirm it, see its accounts blocked and
 * the next API request from one refused with `account_blocked`; unblock and see it pass. Fails
 * on any console error; saves a screenshot of each main view to docs/screenshots/ and prints the
 * overview's time to interactive and a 25,000-account campaign's render time.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../detect/policy.js';
import { buildConsoleApp } from './build-app.js';
import { signalsOf } from './campaign-signals.js';
import { BUILT_IN_POLICY_SOURCE } from './console-handler.js';
import { renderHtmlReport } from './html-report.js';
import {
  type ReplayedGateway,
  startReplayedGateway,
  TEST_ADMIN_TOKEN,
} from './test-helpers/replayed-gateway.js';

const CHROMIUM = '/usr/bin/chromium';
// Screenshots go to docs/screenshots/ only when asked (DG_CONSOLE_SCREENSHOTS=1), so an ordinary
// test run leaves the working tree alone.
const SHOTS =
  process.env.DG_CONSOLE_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
    : `${mkdtempSync(join(tmpdir(), 'dg-console-shots-'))}/`;
const BIG_CAMPAIGN = 'synthetic-25k';
const HOSTILE = `</script><img src=x onerror="document.title='pwned'"><b>bold</b>`;

describe.skipIf(!existsSync(CHROMIUM))('console in a browser', () => {
  let run: ReplayedGateway;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await buildConsoleApp();
    run = await startReplayedGateway(['deepseek']);
    // A campaign the size of the public hydra record, to time the campaign view at scale.
    await run.gateway.store.putCampaign(
      {
        id: BIG_CAMPAIGN,
        accounts: Array.from({ length: 25_000 }, (_, i) => `synthetic-${String(i).padStart(5, '0')}`),
        first_action_at: '2026-01-05T00:00:00.000Z',
        score: 0.9,
        capabilities: { coding: 0.5, math: 0.3, agentic: 0.2 },
        evidence: ['25000 accounts share a payment fingerprint (+3.0)'],
      },
      '2026-01-06T00:00:00.000Z',
    );
    // A hostile prompt: the console must show it as text, never as markup.
    await run.gateway.store.insertEvents(
      [
        {
          id: 'hostile-1',
          ts: '2026-01-05T00:00:00.000Z',
          account_id: 'synthetic-00000',
          client: { ip: '10.9.9.9' },
          api: 'openai.chat',
          model: 'm',
          request: { messages: [{ role: 'user', content: HOSTILE }] },
        },
      ],
      'full',
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await run?.close();
  });

  const ready = (view: string) => page.waitForSelector(`body[data-ready="${view}"]`, { timeout: 15_000 });

  it('signs in, confirms a replayed campaign, blocks and unblocks an account end to end', async () => {
    const url = `${run.gateway.url}/console`;
    await page.goto(url);
    await page.fill('#token', 'wrong-token-wrong-token');
    await page.click('#signin button');
    await expect.poll(() => page.textContent('#signin-error')).toContain('wrong admin token');
    errors.length = 0; // the 401 above is expected and logged by the browser
    await page.fill('#operator', 'ana');
    await page.fill('#token', TEST_ADMIN_TOKEN);
    await page.click('#signin button');
    await ready('overview');

    // Time to interactive of the overview on a fresh load while signed in: the median of three
    // reloads, since one sample on a shared, loaded CI machine can catch another job's burst.
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.reload();
      await ready('overview');
      samples.push(
        await page.evaluate(() => performance.getEntriesByName('dg:ready:overview')[0]?.startTime ?? -1),
      );
    }
    const tti = samples.sort((a, b) => a - b)[1] ?? -1;
    process.stdout.write(
      `console overview time to interactive: median ${tti.toFixed(0)} ms of ${samples.map((t) => t.toFixed(0)).join(', ')}\n`,
    );
    // The figure is printed for the record; its bar (< 1 s) is checked by bench/console.ts, since a
    // timed test on a shared machine fails on other jobs' bursts rather than on the console.
    expect(tti).toBeGreaterThan(0);
    // The replayed exchanges are in the exchange log, so the traffic chart (filled in after the
    // view is interactive) has bars.
    await page.waitForSelector('#traffic[data-loaded="true"]');
    expect(await page.$$('svg[aria-label="traffic over time"] rect')).not.toHaveLength(0);
    await page.screenshot({ path: `${SHOTS}overview.png`, fullPage: true });

    const deepseek = new Set(
      run.labels.filter((l) => l.campaign?.startsWith('deepseek')).map((l) => l.account_id),
    );
    const campaigns = await run.gateway.store.listCampaigns({ limit: 100 });
    const campaign = campaigns.find((c) => c.id !== BIG_CAMPAIGN && c.accounts.some((a) => deepseek.has(a)));
    expect(campaign, 'the replay produced a deepseek campaign').toBeDefined();
    if (campaign === undefined) return;
    await page.click(`#campaigns a[href="#/campaign/${encodeURIComponent(campaign.id)}"]`);
    await ready('campaign');
    expect(await page.$$eval('table.exchanges tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
    // Colour by payment fingerprint: the accounts sharing one form a coloured group in the legend.
    const shared = new Map<string, number>();
    for (const id of campaign.accounts) {
      const pf = (await run.gateway.store.getAccount(id))?.payment_fingerprint;
      if (pf) shared.set(pf, (shared.get(pf) ?? 0) + 1);
    }
    const largest = Math.max(...shared.values());
    await page.selectOption('#colour-by', 'payment_fingerprint');
    expect(await page.textContent('#graph-legend')).toContain(`(${largest})`);
    // Colour by prompt template (a traffic signal the server derives from each account's latest
    // exchanges): the largest group sharing one skeleton shows in the legend with its size.
    const templates = new Map<string, number>();
    for (const s of await signalsOf(run.gateway.store, campaign.accounts))
      if (s.template !== null) templates.set(s.template, (templates.get(s.template) ?? 0) + 1);
    const [topTemplate, topCount] = [...templates].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    expect(topCount, 'campaign accounts share a prompt template').toBeGreaterThanOrEqual(2);
    await page.selectOption('#colour-by', 'template');
    await page.waitForSelector('#graph-legend[data-mode="template"]');
    const legend = (await page.textContent('#graph-legend')) ?? '';
    expect(legend).toContain(`${topTemplate} (${topCount})`);
    expect(legend).toContain('not shared or unknown');
    await (await page.$('#campaign-graph'))?.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}campaign-template.png` });
    for (const mode of ['timing', 'request_network', 'client_fingerprint']) {
      await page.selectOption('#colour-by', mode);
      await page.waitForSelector(`#graph-legend[data-mode="${mode}"]`);
    }
    await page.selectOption('#colour-by', 'template');
    await page.waitForSelector('#graph-legend[data-mode="template"]');
    await page.fill('#reason', 'confirmed by analyst in browser test');
    await page.click('#confirm-campaign');
    await ready('campaign');
    expect(await page.textContent('#flash')).toBe(
      `block: ${campaign.accounts.length} accounts of ${campaign.id}`,
    );
    for (const id of campaign.accounts) expect(run.gateway.enforcement.get(id)?.action).toBe('block');
    await page.screenshot({ path: `${SHOTS}campaign.png`, fullPage: true });

    const member = campaign.accounts.find((a) => run.secrets.has(a)) ?? '';
    const [latestReplayed] = await run.gateway.store.listLatestEvents({ accountId: member, limit: 1 });
    expect(latestReplayed, 'the member has replayed exchanges').toBeDefined();
    expect(await run.ask(member)).toEqual({ status: 403, errorType: 'account_blocked' });
    // Refused attempts are logged too, off the request path: wait until this one is, or the page
    // may list the exchanges a moment before it lands.
    await expect
      .poll(async () => (await run.gateway.store.listLatestEvents({ accountId: member, limit: 1 }))[0]?.id)
      .not.toBe(latestReplayed?.id);

    await page.goto(`${url}#/account/${encodeURIComponent(member)}`);
    await ready('account');
    // Recent exchanges, newest first: the log's newest entry for the account (the refused request
    // above) leads, and its latest replayed exchange is among the first two rows.
    const shown = await page.$$eval('table.exchanges time', (ts) =>
      ts.map((t) => ({ id: t.getAttribute('data-exchange'), at: t.getAttribute('datetime') ?? '' })),
    );
    const [newest] = await run.gateway.store.listLatestEvents({ accountId: member, limit: 1 });
    expect(shown[0]?.id).toBe(newest?.id);
    expect(shown.slice(0, 2).map((r) => r.id)).toContain(latestReplayed?.id);
    expect(shown.map((r) => r.at)).toEqual(
      shown
        .map((r) => r.at)
        .sort()
        .reverse(),
    );
    await page.fill('#reason', 'analyst unblock in browser test');
    await page.click('#do-unblock');
    await expect.poll(() => page.textContent('#enforcement-state')).not.toBe('block');
    await page.screenshot({ path: `${SHOTS}account.png` });
    expect((await run.ask(member)).status).toBe(200);

    for (const view of ['keys', 'policy', 'audit']) {
      await page.goto(`${url}#/${view}`);
      await ready(view);
      await page.screenshot({ path: `${SHOTS}${view}.png` });
    }
    expect(await page.textContent('section[data-view="audit"]')).toContain(
      'confirmed by analyst in browser test',
    );
    expect(await page.textContent('section[data-view="audit"]')).toContain('console:ana');
    await page.goto(`${url}#/policy`);
    await ready('policy');
    expect(await page.textContent('#policy-thresholds')).toContain(defaultPolicy().campaign.block.toFixed(3));
    expect(await page.textContent('#policy-source')).toBe(BUILT_IN_POLICY_SOURCE);
    expect(errors).toEqual([]);
  }, 120_000);

  it('renders a 25,000-account campaign view with its hostile text inert, and prints its render time', async () => {
    await page.goto(`${run.gateway.url}/console#/`);
    await ready('overview');
    // Runs in the page (a string, so this Node-typed file needs no DOM types): from the route
    // change until the view is in the DOM and the graph has been painted (two frames).
    const ms = (await page.evaluate(`(async () => {
      const t0 = performance.now();
      location.hash = '#/campaign/${BIG_CAMPAIGN}';
      await new Promise((resolve) => {
        const check = () => {
          if (document.body.dataset.ready === 'campaign') requestAnimationFrame(() => requestAnimationFrame(resolve));
          else setTimeout(check, 5);
        };
        check();
      });
      return performance.now() - t0;
    })()`)) as number;
    // Printed for the record; the < 2 s bar is bench/console.ts's to check.
    process.stdout.write(`console 25,000-account campaign view render: ${ms.toFixed(0)} ms\n`);
    await page.screenshot({ path: `${SHOTS}campaign-25k.png` });
    const text = await page.textContent('section[data-view="campaign"]');
    expect(text).toContain('first 2500 of 25000 drawn');
    expect(text).toContain(HOSTILE);
    expect(await page.$$('section img, section b:text("bold")')).toHaveLength(0);
    expect(await page.title()).not.toBe('pwned');
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows the offline HTML report with its filter working under its own CSP', async () => {
    const decisions = (await run.gateway.store.listDecisions({ limit: 1000 })).map(
      ({ id: _id, source: _source, ...d }) => d,
    );
    decisions.push({
      at: '2026-01-05T00:00:00.000Z',
      event_id: 'hostile',
      account_id: HOSTILE,
      action: 'monitor',
      score: 0.5,
      reasons: [HOSTILE],
    });
    const campaigns = (await run.gateway.store.listCampaigns({ limit: 10 })).filter(
      (c) => c.id !== BIG_CAMPAIGN,
    );
    const file = join(mkdtempSync(join(tmpdir(), 'dg-report-')), 'report.html');
    writeFileSync(
      file,
      renderHtmlReport(
        { schema: 'distillguard.report/1', events: 1234, decisions, campaigns },
        { source: 'report.json' },
      ),
    );
    const reportPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const reportErrors: string[] = [];
    reportPage.on('console', (m) => {
      if (m.type() === 'error') reportErrors.push(m.text());
    });
    reportPage.on('pageerror', (e) => reportErrors.push(e.message));
    await reportPage.goto(`file://${file}`);
    const rows = await reportPage.$$eval('#accounts tbody tr', (trs) => trs.length);
    expect(rows).toBeGreaterThan(1);
    expect(await reportPage.$$('main img')).toHaveLength(0);
    await reportPage.screenshot({ path: `${SHOTS}html-report.png` });
    await reportPage.fill('#filter', 'onerror');
    await expect.poll(() => reportPage.textContent('#shown')).toBe('1');
    expect(reportErrors).toEqual([]);
    await reportPage.close();
  }, 60_000);
});
