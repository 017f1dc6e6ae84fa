/**
 * The `--html FILE` output of `distillguard analyze`: opens the file before analysis (so a bad
 * path fails at once, not after an hour of work) and later writes the rendered report into it.
 */

import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { UsageError } from '../cli/errors.js';
import { fileAccessError } from '../contract/file-error.js';
import type { Report } from '../contract/types.js';
import { renderHtmlReport } from './html-report.js';

/** Writes the report once, then closes the file; `abort` closes it without writing. */
export interface HtmlReportFile {
  write(report: Report, source: string): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Opens `path` for the HTML report, failing with a UsageError that names the `--html` flag.
 *
 * @example
 * const html = await openHtmlReportFile('report.html');
 * await html.write(report, 'report.json');
 */
export async function openHtmlReportFile(path: string): Promise<HtmlReportFile> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'w');
  } catch (error) {
    throw new UsageError(`--html: ${fileAccessError(error, 'write', path).message}`);
  }
  return {
    async write(report, source) {
      try {
        await handle.writeFile(renderHtmlReport(report, { source: basename(source) }));
      } catch (error) {
        throw new UsageError(`--html: ${fileAccessError(error, 'write', path).message}`, 1);
      } finally {
        await handle.close();
      }
    },
    async abort() {
      await handle.close();
    },
  };
}
