/**
 * DOM-free layout arithmetic for the console app: which rows of a virtualised table to draw and
 * where to put the nodes of a campaign's account graph. Kept here (plain TS, tested with vitest)
 * so the browser code only turns these numbers into elements.
 */

/** Nodes drawn in a campaign graph; beyond this the view says how many are not drawn. */
export const GRAPH_NODE_CAP = 2500;

/**
 * Rows to render for a scrolled table with fixed row height, plus `overscan` rows either side.
 *
 * @example
 * visibleRange({ scrollTop: 0, viewport: 400, rowHeight: 24, total: 25_000 }); // { start: 0, end: 27 }
 */
export function visibleRange(opts: {
  scrollTop: number;
  viewport: number;
  rowHeight: number;
  total: number;
  overscan?: number;
}): { start: number; end: number } {
  const overscan = opts.overscan ?? 10;
  const first = Math.floor(Math.max(0, opts.scrollTop) / opts.rowHeight);
  const count = Math.ceil(opts.viewport / opts.rowHeight);
  const start = Math.min(opts.total, Math.max(0, first - overscan));
  const end = Math.min(opts.total, first + count + overscan);
  return { start, end: Math.max(start, end) };
}

/**
 * Page-aligned offsets covering rows [start, end).
 *
 * @example
 * pagesFor({ start: 95, end: 125 }, 100); // [0, 100]
 */
export function pagesFor(range: { start: number; end: number }, pageSize: number): number[] {
  const pages: number[] = [];
  for (let p = Math.floor(range.start / pageSize) * pageSize; p < range.end; p += pageSize) pages.push(p);
  return pages;
}

export interface NodePosition {
  x: number;
  y: number;
}

/**
 * Places `count` nodes (capped at GRAPH_NODE_CAP) on a square-ish grid that fills `width` (cells at
 * most `maxCell` wide, so small campaigns stay small), grouped
 * in the order given — callers sort by colour group first so groups form contiguous blocks.
 *
 * @example
 * gridLayout(100, 600).positions.length; // 100
 */
export function gridLayout(
  count: number,
  width: number,
  maxCell = 24,
): { positions: NodePosition[]; cell: number; height: number; drawn: number } {
  const drawn = Math.min(count, GRAPH_NODE_CAP);
  const columns = Math.max(1, Math.ceil(Math.sqrt(drawn * 2)));
  const cell = Math.min(maxCell, Math.max(4, Math.floor(width / columns)));
  const perRow = Math.max(1, Math.floor(width / cell));
  const positions: NodePosition[] = [];
  for (let i = 0; i < drawn; i++) {
    positions.push({ x: (i % perRow) * cell + cell / 2, y: Math.floor(i / perRow) * cell + cell / 2 });
  }
  const rows = Math.ceil(drawn / perRow);
  return { positions, cell, height: Math.max(cell, rows * cell), drawn };
}

/**
 * Parses the console's hash route (`#/campaign/<id>` …) into a view name and its argument.
 *
 * @example
 * parseRoute('#/account/acct%201'); // { view: 'account', arg: 'acct 1' }
 */
export function parseRoute(hash: string): { view: string; arg: string | null } {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const view = parts[0] === undefined || parts[0] === '' ? 'overview' : parts[0];
  const rest = parts.slice(1).join('/');
  let arg: string | null = null;
  if (rest !== '') {
    try {
      arg = decodeURIComponent(rest);
    } catch {
      arg = rest;
    }
  }
  return { view, arg };
}

/** Colours for shared-signal groups, largest group first; accounts sharing nothing are grey. */
export const GROUP_PALETTE = [
  '#c83838',
  '#4a78b0',
  '#e0a030',
  '#3a9a5a',
  '#8a4fb0',
  '#d06aa0',
  '#2aa0a8',
  '#8a6a3a',
  '#6a8a2a',
  '#e07a30',
];
export const UNSHARED_COLOR = '#b8c0cc';

export interface SignalGroups {
  /** Colour of each input position. */
  colors: string[];
  /** Groups that got a colour, largest first, then the count of accounts sharing nothing. */
  legend: Array<{ key: string; count: number; color: string }>;
  unshared: number;
}

/**
 * Colours accounts by a shared signal value (payment fingerprint, email domain, network): each
 * value held by two or more accounts gets a palette colour, largest group first; values beyond
 * the palette, single holders and unknowns share the grey "unshared" colour.
 *
 * @example
 * signalGroups(['pf1', 'pf1', null]).colors; // [GROUP_PALETTE[0], GROUP_PALETTE[0], UNSHARED_COLOR]
 */
export function signalGroups(keys: ReadonlyArray<string | null>): SignalGroups {
  const counts = new Map<string, number>();
  for (const k of keys) if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  const ranked = [...counts]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, GROUP_PALETTE.length);
  const colorOf = new Map(ranked.map(([k], i) => [k, GROUP_PALETTE[i] ?? UNSHARED_COLOR]));
  const colors = keys.map((k) => (k === null ? UNSHARED_COLOR : (colorOf.get(k) ?? UNSHARED_COLOR)));
  const unshared = colors.filter((c) => c === UNSHARED_COLOR).length;
  return {
    colors,
    legend: ranked.map(([key, count]) => ({ key, count, color: colorOf.get(key) ?? UNSHARED_COLOR })),
    unshared,
  };
}
