import { describe, expect, it } from 'vitest';
import type { AnalyzeReport } from '../detect/analyze.js';
import { formatAnalyzeSummary } from './analyze-summary.js';

const base: AnalyzeReport = {
  schema: 'distillguard.report/1',
  events: 1234,
  rejected: 2,
  decisions: [],
  campaigns: [],
  notes: [],
  summary: {
    accounts: 10,
    accountRecords: 0,
    firstEventAt: null,
    lastEventAt: null,
    decisions: { monitor: 0, throttle: 0, degrade: 0, block: 0 },
    accountsAtAction: { monitor: 0, throttle: 0, degrade: 0, block: 0 },
    campaigns: 0,
  },
};

describe('formatAnalyzeSummary', () => {
  it('lists the strongest campaigns first, clips evidence, and counts the rest', () => {
    const campaigns = Array.from({ length: 10 }, (_, i) => ({
      id: `c${i}`,
      accounts: Array.from({ length: i + 1 }, (_, j) => `a${j}`),
      first_action_at: '2026-01-01T00:00:00.000Z',
      score: i / 10,
      evidence: [i === 9 ? `shared payment fingerprint ${'x'.repeat(200)}` : `evidence ${i}`],
    }));
    const text = formatAnalyzeSummary({ ...base, campaigns, notes: ['no account records'] }, 'r.json');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('events: 1,234 from 10 accounts; rejected lines: 2; account records: 0');
    expect(lines[3]).toBe('campaigns: 10 (strongest first)');
    expect(lines[4]).toMatch(
      /^ {2}c9 {2}10 accounts {2}score 0\.90 {2}since 2026-01-01T00:00:00\.000Z {2}shared payment fingerprint x+…$/,
    );
    expect(lines[4]!.length).toBeLessThan(190);
    expect(lines[11]).toMatch(/^ {2}c2 /);
    expect(lines[12]).toBe('  … and 2 more in the report');
    expect(lines.slice(-2)).toEqual(['note: no account records', 'report: r.json']);
  });
});
