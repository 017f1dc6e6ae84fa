import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/errors.js';
import { openHtmlReportFile } from './html-report-file.js';

describe('openHtmlReportFile', () => {
  it('writes the rendered report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-html-'));
    const path = join(dir, 'r.html');
    const file = await openHtmlReportFile(path);
    await file.write(
      { schema: 'distillguard.report/1', events: 7, decisions: [], campaigns: [] },
      '/x/report.json',
    );
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('<!doctype html>')).toBe(true);
    expect(text).toContain('report.json');
  });

  it('fails with a usage error naming the flag when the path cannot be written', async () => {
    const promise = openHtmlReportFile('/nonexistent-dir-dg/r.html');
    await expect(promise).rejects.toBeInstanceOf(UsageError);
    await expect(openHtmlReportFile('/nonexistent-dir-dg/r.html')).rejects.toThrow(/^--html: /);
  });
});
