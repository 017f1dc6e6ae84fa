/**
 * `distillguard analyze`: run the detector over an event log (file, .gz, or `-` for stdin) in ts
 * order, exactly as the live system would have, and write what it decided as report/1.
 */
import { statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { Command } from 'commander';
import { openHtmlReportFile } from '../../console/html-report-file.js';
import { DEFAULT_MAX_HELD, DEFAULT_REORDER_WINDOW_MS, SORTED_LOG_HOLD } from '../../contract/event-order.js';
import { FileAccessError, fileAccessError } from '../../contract/file-error.js';
import { openAccounts, openEvents, type ReadStats } from '../../contract/read-jsonl.js';
import { type AnalyzeReport, analyze } from '../../detect/analyze.js';
import { createDetector } from '../../detect/detector.js';
import { loadPolicy, type Policy, PolicyError } from '../../detect/policy.js';
import { formatAnalyzeSummary } from '../analyze-summary.js';
import { parseDuration } from '../duration-option.js';
import { UsageError } from '../errors.js';
import { createProgressBar } from '../progress-bar.js';
import { rejectLog } from '../reject-log.js';

/** Rejected-line messages printed before the rest are only counted. */
const MAX_REJECT_MESSAGES = 50;

interface AnalyzeFlags {
  events?: string;
  accounts?: string;
  policy?: string;
  out: string;
  html?: string;
  /** Always set: commander fills in the default. */
  reorderWindow: string;
}

/** The report's note about events analysed out of ts order, if any. */
function lateNote(stats: ReadStats, path: string, window: string): string[] {
  if (stats.late === 0) return [];
  const where = `${path === '-' ? 'stdin' : path}:${stats.firstLateLine}`;
  return [
    `${stats.late.toLocaleString('en-US')} ${stats.late === 1 ? 'event' : 'events'} came more than the reorder window (${window}, at most ${DEFAULT_MAX_HELD.toLocaleString('en-US')} events held, ${SORTED_LOG_HOLD} until the first event out of order) out of ts order, first at ${where}, and were analysed as they came; sort the log by ts or widen --reorder-window`,
  ];
}

/** Fails early, before any work, when an input file is missing or not a file. */
function requireFile(flag: string, path: string): void {
  if (path === '-') return;
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    throw new UsageError(`${flag}: ${fileAccessError(error, 'read', path).message}`);
  }
  if (!isFile) throw new UsageError(`${flag}: cannot read ${path}: not a regular file`);
}

function eventsPath(positional: string | undefined, flag: string | undefined): string {
  if (positional !== undefined && flag !== undefined) {
    throw new UsageError(`give the events file once: either as an argument or with --events, not both`);
  }
  const path = positional ?? flag;
  if (path === undefined)
    throw new UsageError('missing the events file: distillguard analyze --events FILE --out FILE');
  return path;
}

function readPolicy(path: string | undefined): Policy | undefined {
  if (path === undefined) return undefined;
  try {
    return loadPolicy(path);
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(`--policy: ${error.message}`);
    throw error;
  }
}

/** Opens the report file before analysis so an unwritable path fails in a second, not after an hour. */
async function openOut(path: string): Promise<FileHandle | undefined> {
  if (path === '-') return undefined;
  try {
    return await open(path, 'w');
  } catch (error) {
    throw new UsageError(`--out: ${fileAccessError(error, 'write', path).message}`);
  }
}

/**
 * Adds the `analyze` subcommand.
 *
 * @example
 * register(program); // distillguard analyze events.jsonl.gz --accounts accounts.jsonl --out report.json
 */
export function register(program: Command): void {
  program
    .command('analyze')
    .description('Run the detector over an event log in ts order and write the report (report/1).')
    .argument('[events]', 'events file (JSON Lines, optionally .gz; - for stdin)')
    .option('--events <file>', 'events file, as an alternative to the argument')
    .option('--accounts <file>', 'account records (JSON Lines) to use sign-up and payment signals')
    .option('--policy <file>', 'policy file mapping scores to actions (default: the built-in policy)')
    .requiredOption('--out <file>', 'where to write the report JSON (- for stdout)')
    .option('--html <file>', 'also write a self-contained HTML report (no network needed to view it)')
    .option(
      '--reorder-window <duration>',
      'how far out of ts order an event may be and still be analysed in order (0: file order, late events noted)',
      `${DEFAULT_REORDER_WINDOW_MS / 60_000}m`,
    )
    .addHelpText(
      'after',
      `\nInvalid input lines are reported on stderr with their line numbers (the first ${MAX_REJECT_MESSAGES}), counted in the\nreport's "rejected", and skipped. Events are analysed in ts order: a log written as exchanges end is put in order\nwithin the reorder window (at most ${DEFAULT_MAX_HELD.toLocaleString('en-US')} events held); an event later than that is analysed as it comes\nand counted in a note of the report.`,
    )
    .action(async (positional: string | undefined, flags: AnalyzeFlags) => {
      await runAnalyze(eventsPath(positional, flags.events), flags);
    });
}

async function runAnalyze(events: string, flags: AnalyzeFlags): Promise<void> {
  if (events === '-' && flags.accounts === '-')
    throw new UsageError('only one of the inputs can be stdin (-)');
  requireFile('events', events);
  if (flags.accounts !== undefined) requireFile('--accounts', flags.accounts);
  const policy = readPolicy(flags.policy);
  const windowMs = parseDuration('--reorder-window', flags.reorderWindow);
  const detector = createDetector(policy === undefined ? {} : { policy });
  const out = await openOut(flags.out);
  const htmlOut = flags.html === undefined ? undefined : await openHtmlReportFile(flags.html);

  const bar = createProgressBar(process.stderr);
  const onInvalid = rejectLog(bar, MAX_REJECT_MESSAGES);
  const eventReader = openEvents(events, { onInvalid, windowMs });
  const accountReader =
    flags.accounts === undefined ? undefined : openAccounts(flags.accounts, { onInvalid });
  let analyzed: AnalyzeReport;
  try {
    analyzed = await analyze({
      events: eventReader,
      ...(accountReader === undefined ? {} : { accounts: accountReader }),
      detector,
      onProgress: (p) => bar.update('analyze', p.events),
    });
  } catch (error) {
    await out?.close();
    await htmlOut?.abort();
    if (error instanceof FileAccessError) throw new UsageError(error.message);
    throw error;
  } finally {
    bar.done();
  }
  const report: AnalyzeReport = {
    schema: analyzed.schema,
    events: analyzed.events,
    rejected: eventReader.stats.rejected + (accountReader?.stats.rejected ?? 0),
    decisions: analyzed.decisions,
    campaigns: analyzed.campaigns,
    notes: [...analyzed.notes, ...lateNote(eventReader.stats, events, flags.reorderWindow)],
    summary: analyzed.summary,
  };
  await htmlOut?.write(report, flags.out === '-' ? 'stdout' : flags.out);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (out === undefined) {
    process.stdout.write(json);
    process.stderr.write(formatAnalyzeSummary(report, 'stdout'));
    return;
  }
  try {
    await out.writeFile(json);
  } catch (error) {
    throw new UsageError(`--out: ${fileAccessError(error, 'write', flags.out).message}`, 1);
  } finally {
    await out.close();
  }
  process.stdout.write(formatAnalyzeSummary(report, flags.out));
}
