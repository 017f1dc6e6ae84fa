/**
 * Renders a report/1 as one self-contained HTML file: summary, a card per campaign (accounts,
 * score, first action, capability mix, evidence, top reasons), decisions over time and the table
 * of escalated accounts. No network: CSS, script and SVG are inline, and a Content-Security-Policy
 * allows only this file's own script, so even a mis-escaped string could not run code.
 */
import { createHash } from 'node:crypto';
import { ACTIONS, type CampaignReport, type Decision, type Report } from '../contract/types.js';
import { html, raw, type SafeHtml } from './escape.js';
import { type AccountRow, accountRows, accountsAtAction, decisionTimeline } from './report-model.js';
import { ACTION_COLORS, capabilityBarsSvg, timelineSvg } from './svg-charts.js';

/** Rows drawn in the accounts table; beyond this the report says how many were left out. */
export const MAX_TABLE_ROWS = 5000;
/** Account ids listed per campaign card. */
const MAX_CARD_ACCOUNTS = 200;
const TIMELINE_BUCKETS = 72;

export interface HtmlReportOptions {
  /** Shown in the title and heading; defaults to "distillguard report". */
  title?: string;
  /** Where the report came from (e.g. the report file name), shown under the heading. */
  source?: string;
}

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f4f6f9}
header,main{max-width:1100px;margin:0 auto;padding:16px}
header h1{margin:0 0 4px;font-size:22px}
.muted{color:#5b6675}
section{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:14px 16px;margin:14px 0}
h2{font-size:17px;margin:0 0 10px}
.stats{display:flex;flex-wrap:wrap;gap:10px}
.stat{background:#f4f6f9;border-radius:6px;padding:8px 12px;min-width:110px}
.stat b{display:block;font-size:20px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:12px}
.card{border:1px solid #dde3ea;border-radius:8px;padding:12px}
.card h3{margin:0 0 6px;font-size:16px;word-break:break-all}
.card ul{margin:4px 0;padding-left:18px}
.pill{display:inline-block;border-radius:10px;padding:0 8px;color:#fff;font-size:12px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e6eaef;vertical-align:top}
td.reasons{font-size:12px;color:#3b4656}
.chart text.axis,.chart .axis{font-size:10px;fill:#5b6675}
.chart line.base{stroke:#9aa5b3}
.legend span{margin-right:12px}
input[type=search]{padding:5px 8px;width:280px;margin-bottom:8px}
details summary{cursor:pointer}
code{font-size:12px;word-break:break-all}
`;

// Filters table rows by their text; reads nothing but the DOM this file built.
const SCRIPT = `
const q=document.getElementById('filter');const rows=[...document.querySelectorAll('#accounts tbody tr')];
const shown=document.getElementById('shown');
q.addEventListener('input',()=>{const t=q.value.toLowerCase();let n=0;
for(const r of rows){const m=r.textContent.toLowerCase().includes(t);r.hidden=!m;if(m)n++;}
shown.textContent=String(n);});
`;

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:`;

const n = (x: number): string => x.toLocaleString('en-US');
const when = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

function pill(action: (typeof ACTIONS)[number]): SafeHtml {
  return html`<span class="pill" style="background:${ACTION_COLORS[action]}">${action}</span>`;
}

function stat(label: string, value: string): SafeHtml {
  return html`<div class="stat"><b>${value}</b>${label}</div>`;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function summarySection(report: Report, rows: readonly AccountRow[]): SafeHtml {
  const atAction = accountsAtAction(rows);
  const summary = report.summary as { accounts?: unknown; firstEventAt?: unknown; lastEventAt?: unknown };
  const accounts = typeof summary?.accounts === 'number' ? n(summary.accounts) : 'n/a';
  const first = typeof summary?.firstEventAt === 'string' ? summary.firstEventAt : null;
  const last = typeof summary?.lastEventAt === 'string' ? summary.lastEventAt : null;
  const notes = stringArray(report.notes);
  return html`<section><h2>Summary</h2><div class="stats">${[
    stat('events', n(report.events)),
    stat('rejected lines', n(report.rejected ?? 0)),
    stat('accounts seen', accounts),
    stat('campaigns', n(report.campaigns.length)),
    stat('decisions', n(report.decisions.length)),
    ...ACTIONS.map((a) => stat(`accounts at ${a}`, n(atAction[a]))),
  ]}</div>${first !== null && last !== null ? html`<p class="muted">Events from ${when(first)} to ${when(last)}.</p>` : null}${
    notes.length > 0 ? html`<p><b>Notes</b></p><ul>${notes.map((x) => html`<li>${x}</li>`)}</ul>` : null
  }</section>`;
}

/** The reasons of the campaign's highest-scoring decision: why it was acted on, strongest first. */
function topReasons(decisions: readonly Decision[]): string[] {
  let best: Decision | undefined;
  for (const d of decisions) if (best === undefined || d.score > best.score) best = d;
  return best?.reasons ?? [];
}

function campaignCard(campaign: CampaignReport, decisions: readonly Decision[]): SafeHtml {
  const listed = campaign.accounts.slice(0, MAX_CARD_ACCOUNTS);
  const more = campaign.accounts.length - listed.length;
  const reasons = topReasons(decisions);
  return html`<div class="card" id="campaign-${campaign.id}"><h3>${campaign.id}</h3>
<div class="stats">${stat('accounts', n(campaign.accounts.length))}${stat('score', campaign.score.toFixed(3))}${stat('decisions', n(decisions.length))}</div>
<p>First action: ${when(campaign.first_action_at)}</p>
<p><b>Capability mix</b></p>${
    campaign.capabilities === undefined || Object.keys(campaign.capabilities).length === 0
      ? html`<p class="muted">not in the report</p>`
      : capabilityBarsSvg(campaign.capabilities, 440)
  }
<p><b>Evidence</b></p><ul>${campaign.evidence.map((e) => html`<li>${e}</li>`)}</ul>
<p><b>Top reasons</b> <span class="muted">(strongest decision)</span></p>${
    reasons.length > 0
      ? html`<ul>${reasons.map((r) => html`<li>${r}</li>`)}</ul>`
      : html`<p class="muted">no decisions name this campaign</p>`
  }
<details><summary>Accounts (${n(campaign.accounts.length)})</summary><p>${listed.map((a, i) => html`${i > 0 ? ', ' : ''}<code>${a}</code>`)}${more > 0 ? html` … and ${n(more)} more` : null}</p></details></div>`;
}

function campaignsSection(report: Report): SafeHtml {
  if (report.campaigns.length === 0)
    return html`<section><h2>Campaigns</h2><p class="muted">No campaigns found.</p></section>`;
  const byCampaign = new Map<string, Decision[]>();
  for (const d of report.decisions) {
    if (!d.campaign_id) continue;
    const list = byCampaign.get(d.campaign_id) ?? [];
    list.push(d);
    byCampaign.set(d.campaign_id, list);
  }
  const ordered = [...report.campaigns].sort(
    (a, b) => b.score - a.score || b.accounts.length - a.accounts.length,
  );
  return html`<section><h2>Campaigns (${n(report.campaigns.length)})</h2><div class="cards">${ordered.map(
    (c) => campaignCard(c, byCampaign.get(c.id) ?? []),
  )}</div></section>`;
}

function timelineSection(decisions: readonly Decision[]): SafeHtml {
  const timeline = decisionTimeline(decisions, TIMELINE_BUCKETS);
  const legend = html`<p class="legend">${ACTIONS.map((a) => html`<span>${pill(a)}</span>`)}</p>`;
  return html`<section><h2>Decisions over time</h2>${
    timeline === null
      ? html`<p class="muted">No decisions.</p>`
      : html`${legend}${timelineSvg(timeline, { width: 1060, height: 180 })}`
  }</section>`;
}

function accountsSection(rows: readonly AccountRow[]): SafeHtml {
  const shown = rows.slice(0, MAX_TABLE_ROWS);
  const cut = rows.length - shown.length;
  return html`<section><h2>Escalated accounts (${n(rows.length)})</h2>
<input type="search" id="filter" placeholder="filter by account, campaign, action, reason" aria-label="filter accounts"> <span class="muted"><span id="shown">${n(shown.length)}</span> shown</span>${
    cut > 0
      ? html`<p class="muted">The ${n(MAX_TABLE_ROWS)} strongest are listed; ${n(cut)} more are in the report JSON.</p>`
      : null
  }
<table id="accounts"><thead><tr><th>account</th><th>action</th><th>score</th><th>campaign</th><th>first decision</th><th>reached top action</th><th>decisions</th><th>reasons</th></tr></thead><tbody>${shown.map(
    (r) =>
      html`<tr><td><code>${r.accountId}</code></td><td>${pill(r.action)}</td><td>${r.score.toFixed(3)}</td><td>${r.campaignId ?? '—'}</td><td>${when(r.firstAt)}</td><td>${when(r.topAt)}</td><td>${r.decisions}</td><td class="reasons">${r.reasons.slice(0, 3).join('; ')}</td></tr>`,
  )}</tbody></table></section>`;
}

/**
 * Builds the HTML report. Output depends only on the report and options (no clock), so the same
 * report always gives the same bytes.
 *
 * @example
 * await writeFile('report.html', renderHtmlReport(report, { source: 'report.json' }));
 */
export function renderHtmlReport(report: Report, opts: HtmlReportOptions = {}): string {
  const title = opts.title ?? 'distillguard report';
  const rows = accountRows(report.decisions);
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${raw(CSP)}">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${raw(CSS)}</style></head>
<body><header><h1>${title}</h1><p class="muted">${report.schema}${opts.source === undefined ? null : html` · ${opts.source}`}</p></header>
<main>${summarySection(report, rows)}${campaignsSection(report)}${timelineSection(report.decisions)}${accountsSection(rows)}</main>
<script>${raw(SCRIPT)}</script></body></html>
`;
  return page.value;
}
