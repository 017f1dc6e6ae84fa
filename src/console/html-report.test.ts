import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Decision, Report } from '../contract/types.js';
import { MAX_TABLE_ROWS, renderHtmlReport } from './html-report.js';

const HOSTILE = `</script><img src=x onerror="alert(1)">`;

const decision = (over: Partial<Decision>): Decision => ({
  at: '2026-01-05T06:32:28.959Z',
  event_id: 'e1',
  account_id: 'acct_1',
  action: 'monitor',
  score: 0.5,
  campaign_id: 'campaign-0001',
  reasons: ['member of campaign'],
  ...over,
});

function sampleReport(): Report {
  return {
    schema: 'distillguard.report/1',
    events: 1234,
    rejected: 2,
    decisions: [
      decision({ account_id: 'acct_1', action: 'monitor' }),
      decision({
        account_id: 'acct_1',
        action: 'block',
        score: 0.97,
        at: '2026-01-05T08:00:00.000Z',
        reasons: [`prompt said ${HOSTILE}`, 'shares a payment fingerprint (+2.5)'],
      }),
      decision({ account_id: HOSTILE, action: 'throttle', score: 0.7, campaign_id: null }),
    ],
    campaigns: [
      {
        id: 'campaign-0001',
        accounts: ['acct_1', 'acct_2'],
        first_action_at: '2026-01-05T06:32:28.959Z',
        score: 0.9757,
        capabilities: { coding: 0.6, math: 0.3, [HOSTILE]: 0.1 },
        evidence: ['40 of 41 accounts share a payment fingerprint (+3.0)', HOSTILE],
      },
    ],
    notes: [`note ${HOSTILE}`],
    summary: {
      accounts: 10,
      firstEventAt: '2026-01-04T08:49:04.487Z',
      lastEventAt: '2026-02-17T23:59:57.436Z',
    },
  };
}

describe('renderHtmlReport', () => {
  const page = renderHtmlReport(sampleReport(), { source: 'report.json' });

  it('escapes every data string: hostile markup never becomes a tag', () => {
    expect(page).not.toContain('<img');
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page.match(/<\/script>/g)).toHaveLength(1);
    expect(page).toContain('&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });

  it('allows only its own inline script through the Content-Security-Policy', () => {
    const script = /<script>([\s\S]*)<\/script>/.exec(page)?.[1] ?? '';
    const hash = createHash('sha256').update(script).digest('base64');
    expect(page).toContain(`script-src 'sha256-${hash}'`);
    expect(page).toContain("default-src 'none'");
    expect(page).not.toMatch(/(src|href)="https?:/);
  });

  it('shows summary figures, campaign card, timeline and the accounts table', () => {
    expect(page).toContain('<b>1,234</b>events');
    expect(page).toContain('<b>2</b>rejected lines');
    expect(page).toContain('id="campaign-campaign-0001"');
    expect(page).toContain('0.976');
    expect(page).toContain('aria-label="capability mix"');
    expect(page).toContain('aria-label="decisions over time"');
    expect(page).toContain('shares a payment fingerprint (+2.5)');
    // acct_1 is listed once, at its highest action.
    expect(
      page.match(
        /<tr><td><code>acct_1<\/code><\/td><td><span class="pill" style="background:#c83838">block/g,
      ),
    ).toHaveLength(1);
  });

  it('is deterministic and copes with an empty report', () => {
    expect(renderHtmlReport(sampleReport(), { source: 'report.json' })).toBe(page);
    const empty = renderHtmlReport({
      schema: 'distillguard.report/1',
      events: 0,
      decisions: [],
      campaigns: [],
    });
    expect(empty).toContain('No campaigns found.');
    expect(empty).toContain('No decisions.');
  });

  it('caps the accounts table and says how many were left out', () => {
    const decisions = Array.from({ length: MAX_TABLE_ROWS + 3 }, (_, i) =>
      decision({ account_id: `a${i}`, score: 0.5 }),
    );
    const big = renderHtmlReport({ schema: 'distillguard.report/1', events: 1, decisions, campaigns: [] });
    expect(big.match(/<tr><td>/g)).toHaveLength(MAX_TABLE_ROWS);
    expect(big).toContain('3 more are in the report JSON');
  });
});
