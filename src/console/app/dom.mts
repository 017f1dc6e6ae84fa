/**
 * Element helpers for the console app. Text always goes in through text nodes, never innerHTML;
 * the only markup inserted is SVG built by ../svg-charts.ts, whose every label is escaped.
 */
import type { SafeHtml } from '../escape.js';

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

/**
 * Creates an element with attributes (`on…` keys become listeners) and children.
 *
 * @example
 * h('button', { onclick: () => go('#/audit') }, 'Audit');
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/**
 * Appends children, turning text and numbers into text nodes.
 *
 * @example
 * append(cell, ['score ', 0.9]);
 */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/**
 * Wraps escaped SVG markup from svg-charts.ts in a container element.
 *
 * @example
 * svgBlock(capabilityBarsSvg({ math: 0.6 }, 320));
 */
export function svgBlock(svg: SafeHtml): HTMLDivElement {
  const div = document.createElement('div');
  div.innerHTML = svg.value;
  return div;
}

/**
 * A table from a header row and rows of cells.
 *
 * @example
 * table(['key', 'account'], keys.map((k) => [k.prefix, k.account_id]));
 */
export function table(head: string[], rows: Child[][], attrs: Attrs = {}): HTMLTableElement {
  return h(
    'table',
    attrs,
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', {}, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

/**
 * A link (hash routes inside the console).
 *
 * @example
 * link('#/audit', 'Audit');
 */
export function link(href: string, text: string): HTMLAnchorElement {
  return h('a', { href }, text);
}

/**
 * An RFC 3339 time as `YYYY-MM-DD hh:mm:ss UTC`, or an em dash when absent.
 *
 * @example
 * when('2026-01-05T06:32:28.959Z'); // '2026-01-05 06:32:28 UTC'
 */
export const when = (iso: string | null | undefined): string =>
  iso === null || iso === undefined ? '—' : iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
