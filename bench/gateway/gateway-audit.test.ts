import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { formatAudit, readGatewayDb, sumMetric } from './gateway-audit.js';

const dir = mkdtempSync(join(tmpdir(), 'dg-bench-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sumMetric', () => {
  it('adds every label set of one metric and ignores comments and look-alike names', () => {
    const text = [
      '# HELP distillguard_requests_total Requests.',
      '# TYPE distillguard_requests_total counter',
      'distillguard_requests_total{api="openai.chat",model="m",status="200"} 1200',
      'distillguard_requests_total{api="openai.chat",model="m",status="429"} 3',
      'distillguard_requests_total_extra 99',
      'distillguard_exchanges_dropped_total 0',
    ].join('\n');
    expect(sumMetric(text, 'distillguard_requests_total')).toBe(1203);
    expect(sumMetric(text, 'distillguard_exchanges_dropped_total')).toBe(0);
    expect(sumMetric(text, 'absent_total')).toBe(0);
  });
});

describe('readGatewayDb', () => {
  it('counts events and decisions by action', () => {
    const path = join(dir, 'g.db');
    const db = new Database(path);
    db.exec(
      'CREATE TABLE events (seq INTEGER PRIMARY KEY); CREATE TABLE decisions (id INTEGER PRIMARY KEY, action TEXT)',
    );
    db.exec(
      "INSERT INTO events (seq) VALUES (1), (2), (3); INSERT INTO decisions (action) VALUES ('throttle'), ('throttle'), ('block')",
    );
    db.close();
    expect(readGatewayDb(path)).toEqual({ eventsLogged: 3, decisions: { throttle: 2, block: 1 } });
  });

  it('refuses a missing database instead of creating one', () => {
    expect(() => readGatewayDb(join(dir, 'absent.db'))).toThrow();
  });
});

describe('formatAudit', () => {
  it('says none when the detector left the account alone', () => {
    expect(formatAudit({ requests: 10, logDropped: 0, limitHits: 0, eventsLogged: 10, decisions: {} })).toBe(
      'distillguard logged 10 of 10 requests (0 dropped by the log queue), 0 limit hits, detector decisions on the benchmark account: none',
    );
    expect(
      formatAudit({ requests: 1, logDropped: 0, limitHits: 0, eventsLogged: 1, decisions: { throttle: 2 } }),
    ).toMatch(/throttle ×2$/);
  });
});
