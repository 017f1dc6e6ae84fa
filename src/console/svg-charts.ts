/**
 * Inline SVG charts for the HTML report: decisions over time (stacked bars per action) and a
 * capability mix (horizontal bars). Pure string builders: no DOM, no script, every label escaped.
 */
import { ACTIONS, type Action } from '../contract/types.js';
import { html, type SafeHtml } from './escape.js';
import type { Timeline } from './report-model.js';

/** Colours of the action ladder, shared with the style sheet's legend. */
export const ACTION_COLORS: Record<Action, string> = {
  monitor: '#8aa4c8',
  throttle: '#e0b040',
  degrade: '#e07a30',
  block: '#c83838',
};

const round = (x: number): number => Math.round(x * 10) / 10;

/**
 * Stacked bar chart of decisions per bucket, with the time range and the tallest bar's count as
 * axis labels.
 *
 * @example
 * timelineSvg(decisionTimeline(report.decisions, 60)!, { width: 720, height: 160 }).value;
 */
export function timelineSvg(timeline: Timeline, size: { width: number; height: number }): SafeHtml {
  const { width, height } = size;
  const top = 12;
  const bottom = 22;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...timeline.buckets.map((b) => ACTIONS.reduce((s, a) => s + b.counts[a], 0)));
  const barW = width / timeline.buckets.length;
  const bars: SafeHtml[] = [];
  timeline.buckets.forEach((bucket, i) => {
    let y = top + plotH;
    for (const action of ACTIONS) {
      const count = bucket.counts[action];
      if (count === 0) continue;
      const h = (count / max) * plotH;
      y -= h;
      const title = `${new Date(bucket.start).toISOString()}: ${count} ${action}`;
      bars.push(
        html`<rect x="${round(i * barW)}" y="${round(y)}" width="${round(Math.max(barW - 1, 1))}" height="${round(h)}" fill="${ACTION_COLORS[action]}"><title>${title}</title></rect>`,
      );
    }
  });
  const from = new Date(timeline.start).toISOString().slice(0, 16).replace('T', ' ');
  const to = new Date(timeline.end).toISOString().slice(0, 16).replace('T', ' ');
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="decisions over time"><text x="0" y="10" class="axis">${max} per bucket</text>${bars}<line x1="0" y1="${top + plotH}" x2="${width}" y2="${top + plotH}" class="base"/><text x="0" y="${height - 6}" class="axis">${from} UTC</text><text x="${width}" y="${height - 6}" text-anchor="end" class="axis">${to} UTC</text></svg>`;
}

/**
 * Horizontal bars of a campaign's share of traffic per capability, largest first.
 *
 * @example
 * capabilityBarsSvg({ coding: 0.6, math: 0.4 }, 320).value;
 */
export function capabilityBarsSvg(capabilities: Record<string, number>, width: number): SafeHtml {
  const entries = Object.entries(capabilities)
    .filter(([, share]) => Number.isFinite(share) && share > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const rowH = 18;
  const labelW = 90;
  const barMax = width - labelW - 48;
  const rows = entries.map(([name, share], i) => {
    const y = i * rowH;
    const w = Math.max(1, Math.min(1, share) * barMax);
    return html`<text x="0" y="${y + 13}" class="axis">${name}</text><rect x="${labelW}" y="${y + 3}" width="${round(w)}" height="${rowH - 6}" fill="#4a78b0"/><text x="${round(labelW + w + 4)}" y="${y + 13}" class="axis">${(share * 100).toFixed(1)}%</text>`;
  });
  const height = Math.max(rowH, entries.length * rowH);
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="capability mix">${rows}</svg>`;
}

/**
 * Bars of exchanges per time bucket, the part answered with an error drawn in red on top.
 *
 * @example
 * trafficSvg(overview.traffic, { width: 960, height: 140 }).value;
 */
export function trafficSvg(
  points: ReadonlyArray<{ start: string; exchanges: number; errors: number }>,
  size: { width: number; height: number },
): SafeHtml {
  const { width, height } = size;
  const top = 12;
  const bottom = 22;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...points.map((p) => p.exchanges));
  const barW = width / Math.max(1, points.length);
  const bars = points.map((p, i) => {
    const h = (p.exchanges / max) * plotH;
    const eh = (p.errors / max) * plotH;
    const x = round(i * barW);
    const w = round(Math.max(barW - 1, 1));
    const title = `${p.start}: ${p.exchanges} exchanges, ${p.errors} errors`;
    return html`<g><title>${title}</title><rect x="${x}" y="${round(top + plotH - h)}" width="${w}" height="${round(h)}" fill="#4a78b0"/>${
      p.errors > 0
        ? html`<rect x="${x}" y="${round(top + plotH - h)}" width="${w}" height="${round(eh)}" fill="${ACTION_COLORS.block}"/>`
        : null
    }</g>`;
  });
  const label = (iso: string | undefined): string =>
    iso === undefined ? '' : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="traffic over time"><text x="0" y="10" class="axis">${max} per bucket</text>${bars}<line x1="0" y1="${top + plotH}" x2="${width}" y2="${top + plotH}" class="base"/><text x="0" y="${height - 6}" class="axis">${label(points[0]?.start)}</text><text x="${width}" y="${height - 6}" text-anchor="end" class="axis">${label(points.at(-1)?.start)}</text></svg>`;
}
