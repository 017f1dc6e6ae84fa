import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSpool } from './spool.js';

const dir = mkdtempSync(join(tmpdir(), 'dg-spool-'));

describe('openSpool', () => {
  it('keeps messages across reopen, skips a torn line, and clears', () => {
    const path = join(dir, 'a.spool');
    const spool = openSpool(path, 10_000);
    spool.append({ subject: 's.1', id: 'e1', data: '{"x":1}', kind: 'event' });
    spool.append({ subject: 's.2', id: 'e2', data: '{"x":2}', kind: 'account' });
    appendFileSync(path, '{"subject":"s.3","id":"e');
    const again = openSpool(path, 10_000);
    expect(again.readAll().map((m) => m.id)).toEqual(['e1', 'e2']);
    again.clear();
    expect(again.readAll()).toEqual([]);
    expect(again.bytes).toBe(0);
  });

  it('drops and counts messages beyond the byte bound', () => {
    const spool = openSpool(join(dir, 'b.spool'), 100);
    let kept = 0;
    for (let i = 0; i < 10; i++)
      if (spool.append({ subject: 's', id: `e${i}`, data: 'x'.repeat(20), kind: 'event' })) kept++;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(10);
    expect(spool.dropped).toBe(10 - kept);
    expect(spool.bytes).toBeLessThanOrEqual(100);
  });
});
