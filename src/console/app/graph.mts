/**
 * The campaign's accounts graph: one dot per account (first GRAPH_NODE_CAP), on a canvas grid,
 * grouped and coloured either by enforcement state, by a shared sign-up signal (payment
 * fingerprint, email domain, sign-up network) or by a shared traffic signal (prompt template,
 * timing, request network, client fingerprint; fetched from the server the first time one is
 * chosen), so an analyst sees at a glance which accounts are tied together by what.
 */
import { GRAPH_NODE_CAP, gridLayout, signalGroups, UNSHARED_COLOR } from '../view-model.js';
import { h } from './dom.mjs';
import type { AccountSignals, Action, CampaignAccountPage } from './types.mjs';

export type Row = CampaignAccountPage['data'][number];

export const STATE_COLORS: Record<Action | 'none' | 'allowlisted', string> = {
  none: '#9aa5b3',
  monitor: '#8aa4c8',
  throttle: '#e0b040',
  degrade: '#e07a30',
  block: '#c83838',
  allowlisted: '#3a9a5a',
};
const STATE_ORDER: Array<keyof typeof STATE_COLORS> = [
  'block',
  'degrade',
  'throttle',
  'monitor',
  'none',
  'allowlisted',
];

/**
 * The enforcement state a row is drawn with.
 *
 * @example
 * stateOf({ ...row, allowlisted: true }); // 'allowlisted'
 */
export const stateOf = (r: Row): keyof typeof STATE_COLORS =>
  r.allowlisted ? 'allowlisted' : (r.action ?? 'none');

const MODES = {
  state: 'enforcement state',
  payment_fingerprint: 'shared payment fingerprint',
  email_domain: 'shared email domain',
  signup_network: 'shared sign-up network',
  template: 'shared prompt template',
  timing: 'shared timing (cadence, hours)',
  request_network: 'shared request network',
  client_fingerprint: 'shared client fingerprint (user agent + TLS)',
} as const;
type Mode = keyof typeof MODES;
type TrafficMode = 'template' | 'timing' | 'request_network' | 'client_fingerprint';
const TRAFFIC_MODES: readonly string[] = [
  'template',
  'timing',
  'request_network',
  'client_fingerprint',
] satisfies TrafficMode[];

/** Loads the traffic signals of the drawn accounts (once; the panel caches the answer). */
export type SignalsLoader = () => Promise<ReadonlyMap<string, AccountSignals>>;

interface Coloured {
  rows: Row[];
  colors: string[];
  legend: Array<{ label: string; color: string }>;
}

function colour(rows: Row[], mode: Mode, signals: ReadonlyMap<string, AccountSignals>): Coloured {
  if (mode === 'state') {
    const sorted = [...rows].sort(
      (a, b) => STATE_ORDER.indexOf(stateOf(a)) - STATE_ORDER.indexOf(stateOf(b)),
    );
    return {
      rows: sorted,
      colors: sorted.map((r) => STATE_COLORS[stateOf(r)]),
      legend: Object.entries(STATE_COLORS).map(([label, color]) => ({ label, color })),
    };
  }
  const keys = TRAFFIC_MODES.includes(mode)
    ? rows.map((r) => signals.get(r.account_id)?.[mode as TrafficMode] ?? null)
    : rows.map((r) => r[mode as Exclude<Mode, 'state' | TrafficMode>]);
  const groups = signalGroups(keys);
  const rank = new Map(groups.legend.map((g, i) => [g.color, i]));
  // Sort positions so each group forms one contiguous block; unshared accounts go last.
  const order = rows
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = rank.get(groups.colors[a] ?? UNSHARED_COLOR) ?? groups.legend.length;
      const rb = rank.get(groups.colors[b] ?? UNSHARED_COLOR) ?? groups.legend.length;
      return ra - rb || a - b;
    });
  return {
    rows: order.map((i) => rows[i] as Row),
    colors: order.map((i) => groups.colors[i] ?? UNSHARED_COLOR),
    legend: [
      ...groups.legend.map((g) => ({ label: `${g.key} (${g.count})`, color: g.color })),
      { label: `not shared or unknown (${groups.unshared})`, color: UNSHARED_COLOR },
    ],
  };
}

function draw(canvas: HTMLCanvasElement, c: Coloured): void {
  const width = canvas.clientWidth || 900;
  const layout = gridLayout(c.rows.length, width);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = layout.height * ratio;
  canvas.style.height = `${layout.height}px`;
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  ctx.scale(ratio, ratio);
  const r = Math.max(1.5, layout.cell * 0.38);
  c.rows.forEach((_, i) => {
    const p = layout.positions[i];
    if (p === undefined) return;
    ctx.fillStyle = c.colors[i] ?? UNSHARED_COLOR;
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
    ctx.fill();
  });
  canvas.onclick = (ev) => {
    const perRow = Math.max(1, Math.floor(width / layout.cell));
    const row = c.rows[Math.floor(ev.offsetY / layout.cell) * perRow + Math.floor(ev.offsetX / layout.cell)];
    if (row !== undefined) location.hash = `#/account/${encodeURIComponent(row.account_id)}`;
  };
}

/**
 * The graph panel: colour-by selector, legend and canvas; drawn once attached to the page.
 *
 * @example
 * view.append(graphPanel(rowsOfFirstPages, campaign.accounts.length, loadSignals));
 */
export function graphPanel(
  loaded: ReadonlyArray<Row | undefined>,
  total: number,
  loadSignals: SignalsLoader,
): HTMLElement {
  const rows = loaded.slice(0, Math.min(total, GRAPH_NODE_CAP)).filter((r): r is Row => r !== undefined);
  const canvas = h('canvas', { id: 'campaign-graph', class: 'graph' });
  const legend = h('p', { class: 'muted legend', id: 'graph-legend' });
  const select = h(
    'select',
    { id: 'colour-by', 'aria-label': 'colour accounts by' },
    ...Object.entries(MODES).map(([value, label]) => h('option', { value }, label)),
  );
  const capped = total > GRAPH_NODE_CAP ? ` — first ${GRAPH_NODE_CAP} of ${total} drawn` : '';
  let signals: Promise<ReadonlyMap<string, AccountSignals>> | undefined;
  const status = h('span', { class: 'muted', id: 'graph-status' });
  const render = async (): Promise<void> => {
    const mode = select.value as Mode;
    let loadedSignals: ReadonlyMap<string, AccountSignals> = new Map();
    if (TRAFFIC_MODES.includes(mode)) {
      status.textContent = 'reading the latest exchanges of each account…';
      signals ??= loadSignals();
      try {
        loadedSignals = await signals;
        status.textContent = '';
      } catch (error) {
        signals = undefined;
        status.textContent = (error as Error).message;
        return;
      }
      // Another mode was chosen while this one loaded: that render wins.
      if (select.value !== mode) return;
    }
    const c = colour(rows, mode, loadedSignals);
    legend.replaceChildren(
      ...c.legend.map(({ label, color }) => {
        const dot = h('span', { class: 'dot' });
        dot.style.background = color;
        return h('span', {}, dot, label);
      }),
      capped,
    );
    legend.dataset.mode = mode;
    draw(canvas, c);
  };
  select.addEventListener('change', () => void render());
  requestAnimationFrame(() => void render());
  return h('div', {}, h('label', {}, 'Colour by ', select), ' ', status, legend, canvas);
}
