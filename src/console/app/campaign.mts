/**
 * Campaign view: score, capability mix, evidence, example prompts, timeline, the accounts graph
 * (graph.mts: coloured by enforcement state or a shared sign-up signal, capped), a virtualised
 * accounts table paged from the server, and the campaign actions: confirm (block every linked account, so all their keys are refused), dismiss
 * (allowlist) and export indicators.
 */
import { decisionTimeline } from '../report-model.js';
import { capabilityBarsSvg, timelineSvg } from '../svg-charts.js';
import { GRAPH_NODE_CAP, pagesFor, visibleRange } from '../view-model.js';
import { admin, api } from './api.mjs';
import { h, link, svgBlock, when } from './dom.mjs';
import { exchangesTable } from './exchanges.mjs';
import { graphPanel, stateOf } from './graph.mjs';
import type {
  AccountSignals,
  Action,
  Campaign,
  CampaignAccountPage,
  CampaignSignalsPage,
  ExchangeSummary,
} from './types.mjs';

const ROW_HEIGHT = 26;
const PAGE = 500;
type Row = CampaignAccountPage['data'][number];

/** Rows fetched so far, by index; pages are fetched once. */
class AccountPages {
  readonly rows: Array<Row | undefined> = [];
  private readonly pending = new Map<number, Promise<void>>();
  constructor(
    private readonly id: string,
    readonly total: number,
  ) {}
  load(offset: number): Promise<void> {
    let p = this.pending.get(offset);
    if (p === undefined) {
      p = api<CampaignAccountPage>(
        'GET',
        `/console/api/campaigns/${encodeURIComponent(this.id)}/accounts?offset=${offset}&limit=${PAGE}`,
      ).then((page) => {
        page.data.forEach((row, i) => {
          this.rows[offset + i] = row;
        });
      });
      this.pending.set(offset, p);
    }
    return p;
  }
}

function virtualTable(pages: AccountPages): HTMLElement {
  const viewport = h('div', { class: 'vtable', id: 'campaign-accounts' });
  const spacer = h('div', { class: 'vspacer' });
  spacer.style.height = `${pages.total * ROW_HEIGHT}px`;
  viewport.style.height = `${Math.min(420, pages.total * ROW_HEIGHT + 2)}px`;
  viewport.append(spacer);
  const render = (): void => {
    const range = visibleRange({
      scrollTop: viewport.scrollTop,
      viewport: viewport.clientHeight || 400,
      rowHeight: ROW_HEIGHT,
      total: pages.total,
    });
    const missing = pagesFor(range, PAGE).filter((offset) => pages.rows[offset] === undefined);
    if (missing.length > 0) void Promise.all(missing.map((o) => pages.load(o))).then(render);
    const rows: HTMLElement[] = [];
    for (let i = range.start; i < range.end; i++) {
      const row = pages.rows[i];
      const el = h(
        'div',
        { class: 'vrow' },
        h('span', {}, String(i + 1)),
        row === undefined
          ? h('span', {}, '…')
          : link(`#/account/${encodeURIComponent(row.account_id)}`, row.account_id),
        h(
          'span',
          { class: `state state-${row === undefined ? 'none' : stateOf(row)}` },
          row === undefined ? '' : stateOf(row),
        ),
      );
      el.style.top = `${i * ROW_HEIGHT}px`;
      rows.push(el);
    }
    spacer.replaceChildren(...rows);
  };
  viewport.addEventListener('scroll', () => requestAnimationFrame(render));
  queueMicrotask(render);
  return viewport;
}

function actionBar(campaign: Campaign, reload: (flash?: string) => void): HTMLElement {
  const reason = h('input', {
    type: 'text',
    id: 'reason',
    placeholder: 'reason (required, audited)',
    size: 40,
  });
  const status = h('span', { class: 'muted', id: 'action-status' });
  const run = async (what: 'confirm' | 'dismiss'): Promise<void> => {
    if (reason.value.trim() === '') {
      status.textContent = 'Give a reason first.';
      return;
    }
    const verb = what === 'confirm' ? 'Block' : 'Allowlist';
    if (!window.confirm(`${verb} all ${campaign.accounts.length} accounts of ${campaign.id}?`)) return;
    status.textContent = 'Working…';
    try {
      const r = await api<{ accounts: number; action: string }>(
        'POST',
        `/console/api/campaigns/${encodeURIComponent(campaign.id)}/${what}`,
        { reason: reason.value },
      );
      reload(`${r.action}: ${r.accounts} accounts of ${campaign.id}`);
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  };
  const exportIndicators = async (): Promise<void> => {
    const doc = await api<unknown>(
      'GET',
      `/console/api/campaigns/${encodeURIComponent(campaign.id)}/indicators`,
    );
    const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
    const a = h('a', { href: url, download: `indicators-${campaign.id}.json` });
    a.click();
    URL.revokeObjectURL(url);
  };
  return h(
    'div',
    { class: 'actions' },
    reason,
    h(
      'button',
      { id: 'confirm-campaign', class: 'danger', onclick: () => void run('confirm') },
      'Confirm: block all',
    ),
    h('button', { id: 'dismiss-campaign', onclick: () => void run('dismiss') }, 'Dismiss: allowlist all'),
    h('button', { id: 'export-indicators', onclick: () => void exportIndicators() }, 'Export indicators'),
    status,
  );
}

/**
 * Builds the Campaign view, fetching the campaign, its examples, decisions and the first pages of accounts.
 *
 * @example
 * main.replaceChildren(await campaignView('campaign-0001', reload));
 */
export async function campaignView(id: string, reload: (flash?: string) => void): Promise<HTMLElement> {
  const campaign = await admin<Campaign>('GET', `campaigns/${encodeURIComponent(id)}`);
  const pages = new AccountPages(id, campaign.accounts.length);
  const graphPages = pagesFor({ start: 0, end: Math.min(pages.total, GRAPH_NODE_CAP) }, PAGE);
  const path = encodeURIComponent(id);
  const [examples, decided] = await Promise.all([
    api<{ sampledAccounts: number; data: ExchangeSummary[] }>(
      'GET',
      `/console/api/campaigns/${path}/examples`,
    ),
    api<{ sampledAccounts: number; decisions: Array<{ at: string; action: Action }> }>(
      'GET',
      `/console/api/campaigns/${path}/decisions`,
    ),
    ...graphPages.map((o) => pages.load(o)),
  ]);
  const timeline = decisionTimeline(decided.decisions, 48);
  const drawn = Math.min(pages.total, GRAPH_NODE_CAP);
  const loadSignals = async (): Promise<ReadonlyMap<string, AccountSignals>> => {
    const page = await api<CampaignSignalsPage>(
      'GET',
      `/console/api/campaigns/${path}/signals?offset=0&limit=${Math.max(1, drawn)}`,
    );
    return new Map(page.data.map((s) => [s.account_id, s]));
  };
  const sampledNote = (n: number): string =>
    n >= pages.total ? `all ${pages.total} accounts` : `${n} accounts sampled evenly across ${pages.total}`;
  const view = h(
    'section',
    { 'data-view': 'campaign' },
    h('h2', {}, `Campaign ${campaign.id}`),
    h(
      'div',
      { class: 'stats' },
      h('div', { class: 'stat' }, h('b', {}, campaign.accounts.length), 'linked accounts'),
      h('div', { class: 'stat' }, h('b', {}, campaign.score.toFixed(3)), 'score'),
      h('div', { class: 'stat' }, h('b', {}, when(campaign.first_action_at)), 'first action'),
      h('div', { class: 'stat' }, h('b', {}, when(campaign.updated_at)), 'record last updated'),
    ),
    actionBar(campaign, reload),
    h('h3', {}, 'Accounts graph'),
    graphPanel(pages.rows, pages.total, loadSignals),
    h('h3', {}, 'Capability mix'),
    campaign.capabilities === undefined || Object.keys(campaign.capabilities).length === 0
      ? h('p', { class: 'muted' }, 'Not recorded for this campaign.')
      : svgBlock(capabilityBarsSvg(campaign.capabilities, 480)),
    h('h3', {}, 'Evidence'),
    h('ul', { id: 'evidence' }, ...campaign.evidence.map((e) => h('li', {}, e))),
    h('h3', {}, `Example prompts (latest exchange of ${sampledNote(examples.sampledAccounts)})`),
    exchangesTable(examples.data, true),
    h('h3', {}, `Timeline (decisions on ${sampledNote(decided.sampledAccounts)})`),
    timeline === null
      ? h('p', { class: 'muted' }, 'No decisions recorded for these accounts.')
      : svgBlock(timelineSvg(timeline, { width: 960, height: 140 })),
    h('h3', {}, `Accounts (${pages.total})`),
    virtualTable(pages),
  );
  return view;
}
