/**
 * The one-screen text `distillguard analyze` prints at the end: what was read, what was decided,
 * and the strongest campaigns with their top evidence. The report file has everything else.
 */
import { ACTIONS } from '../contract/types.js';
import type { AnalyzeReport } from '../detect/analyze.js';

/** Campaigns listed before "and N more". */
const MAX_CAMPAIGNS = 8;
/** Longest evidence line kept, so each campaign fits on one line of a normal terminal. */
const MAX_EVIDENCE = 90;

const n = (x: number): string => x.toLocaleString('en-US');

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Formats the end-of-run summary (several lines, ending in a newline).
 *
 * @example
 * process.stdout.write(formatAnalyzeSummary(report, 'report.json'));
 */
export function formatAnalyzeSummary(report: AnalyzeReport, out: string): string {
  const s = report.summary;
  const lines: string[] = [];
  const span = s.firstEventAt === null ? '' : ` (${s.firstEventAt} → ${s.lastEventAt})`;
  lines.push(
    `events: ${n(report.events)} from ${n(s.accounts)} accounts${span}; rejected lines: ${n(report.rejected ?? 0)}; account records: ${n(s.accountRecords)}`,
  );
  const perAction = ACTIONS.map((a) => `${a} ${n(s.decisions[a])}`).join(', ');
  const reached = ACTIONS.map((a) => `${a} ${n(s.accountsAtAction[a])}`).join(', ');
  lines.push(`decisions: ${n(report.decisions.length)} (${perAction})`);
  lines.push(`accounts by highest action: ${reached}`);
  const campaigns = [...report.campaigns].sort(
    (a, b) => b.score - a.score || b.accounts.length - a.accounts.length,
  );
  lines.push(`campaigns: ${n(campaigns.length)}${campaigns.length > 0 ? ' (strongest first)' : ''}`);
  for (const c of campaigns.slice(0, MAX_CAMPAIGNS)) {
    const evidence = c.evidence[0] === undefined ? '' : `  ${clip(c.evidence[0], MAX_EVIDENCE)}`;
    lines.push(
      `  ${c.id}  ${n(c.accounts.length)} accounts  score ${c.score.toFixed(2)}  since ${c.first_action_at}${evidence}`,
    );
  }
  if (campaigns.length > MAX_CAMPAIGNS)
    lines.push(`  … and ${n(campaigns.length - MAX_CAMPAIGNS)} more in the report`);
  for (const note of report.notes) lines.push(`note: ${note}`);
  lines.push(`report: ${out}`);
  return `${lines.join('\n')}\n`;
}
