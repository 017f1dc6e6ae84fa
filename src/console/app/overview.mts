/** Overview: enforcement totals, decisions over time, active campaigns with a leak estimate, top signals. */
import { decisionTimeline } from '../report-model.js';
import { timelineSvg, trafficSvg } from '../svg-charts.js';
import { api } from './api.mjs';
import { h, link, svgBlock, table, when } from './dom.mjs';
import { ACTIONS, type ListOf, type Overview, type TrafficPoint } from './types.mjs';

/**
 * The traffic chart's slot: filled when `/console/api/traffic` answers (it reads every logged
 * exchange of the window, so the overview does not wait for it).
 */
function trafficChart(): HTMLElement {
  const slot = h('div', { id: 'traffic' }, h('p', { class: 'muted' }, 'Counting logged exchanges…'));
  api<ListOf<TrafficPoint>>('GET', '/console/api/traffic').then(
    (t) => {
      slot.replaceChildren(
        t.data.length === 0
          ? h('p', { class: 'muted' }, 'No exchanges logged.')
          : svgBlock(trafficSvg(t.data, { width: 960, height: 140 })),
      );
      slot.dataset.loaded = 'true';
      performance.mark('dg:loaded:traffic');
    },
    (error: unknown) => {
      slot.replaceChildren(h('p', { class: 'error' }, (error as Error).message));
      slot.dataset.loaded = 'error';
    },
  );
  return slot;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/**
 * Builds the Overview from `/console/api/overview`.
 *
 * @example
 * main.replaceChildren(await overviewView());
 */
export async function overviewView(): Promise<HTMLElement> {
  const o = await api<Overview>('GET', '/console/api/overview');
  const timeline = decisionTimeline(o.recentDecisions, 48);
  const linked = o.campaigns.reduce((s, c) => s + c.accounts, 0);
  const uncontained = o.campaigns.reduce((s, c) => s + c.uncontained, 0);
  return h(
    'section',
    { 'data-view': 'overview' },
    h('h2', {}, 'Overview'),
    h(
      'div',
      { class: 'stats' },
      h('div', { class: 'stat' }, h('b', {}, o.exchanges.toLocaleString('en-US')), 'exchanges logged'),
      h('div', { class: 'stat' }, h('b', {}, o.campaigns.length), 'campaigns'),
      ...ACTIONS.map((a) => h('div', { class: 'stat' }, h('b', {}, o.enforced[a]), `accounts at ${a}`)),
      h('div', { class: 'stat' }, h('b', {}, o.allowlisted), 'allowlisted'),
      h(
        'div',
        { class: 'stat', title: 'linked campaign accounts not yet at degrade or block' },
        h('b', {}, linked === 0 ? '—' : pct(uncontained / linked)),
        'leak estimate (uncontained campaign accounts)',
      ),
    ),
    h('h3', {}, 'Traffic over time (exchange log, up to its last week; errors in red)'),
    trafficChart(),
    h('h3', {}, `Decisions over time (latest ${o.recentDecisions.length})`),
    timeline === null
      ? h('p', { class: 'muted' }, 'No decisions yet.')
      : svgBlock(timelineSvg(timeline, { width: 960, height: 160 })),
    h('h3', {}, 'Active campaigns'),
    o.campaigns.length === 0
      ? h('p', { class: 'muted' }, 'No campaigns detected.')
      : table(
          ['campaign', 'score', 'accounts', 'uncontained', 'first action', 'updated'],
          o.campaigns.map((c) => [
            link(`#/campaign/${encodeURIComponent(c.id)}`, c.id),
            c.score.toFixed(3),
            c.accounts,
            `${c.uncontained} (${c.accounts === 0 ? '—' : pct(c.uncontained / c.accounts)})`,
            when(c.first_action_at),
            when(c.updated_at),
          ]),
          { id: 'campaigns' },
        ),
    h('h3', {}, 'Top signals'),
    o.topSignals.length === 0
      ? h('p', { class: 'muted' }, 'None yet.')
      : h('ul', {}, ...o.topSignals.map((s) => h('li', {}, `${s.signal} — ${s.campaigns} campaign(s)`))),
  );
}
