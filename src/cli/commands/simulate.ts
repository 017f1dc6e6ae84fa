/**
 * `distillguard simulate`: writes labelled traffic (events.jsonl.gz, accounts.jsonl,
 * labels.jsonl) for benchmarking, or mixes labelled campaigns into an existing log. Flag parsing
 * and printing only; the simulator is src/sim/simulate.ts.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FileAccessError } from '../../contract/file-error.js';
import { CorpusError } from '../../sim/corpora.js';
import { CAMPAIGN_NAMES, PERSONAS } from '../../sim/populations.js';
import {
  DEFAULT_DAYS,
  DEFAULT_SCALE,
  MAX_SCALE,
  SimulateError,
  type SimulateSummary,
  simulate,
} from '../../sim/simulate.js';
import { TimingError } from '../../sim/timing.js';
import { UsageError } from '../errors.js';
import { intOption } from '../int-option.js';
import { createProgressBar } from '../progress-bar.js';
import { rejectLog } from '../reject-log.js';

/** Where the real corpora live relative to the working directory (the repo's sibling). */
export const DEFAULT_DATA_DIR = '../shared/data';
/** Rejected host-log lines printed before only counting them. */
const MAX_REJECT_MESSAGES = 20;

interface SimulateFlags {
  out: string;
  seed: number;
  scale: number;
  scenario?: string[];
  data: string;
  injectInto?: string;
  days: number;
}

function scaleOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > MAX_SCALE)
    throw new UsageError(`--scale must be a number greater than 0 and at most ${MAX_SCALE}, got "${value}"`);
  return n;
}

const PERSONA_NAMES = PERSONAS.map((p) => p.name);

function scenarioOption(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--scenario needs at least one name');
  for (const name of names)
    if (!CAMPAIGN_NAMES.includes(name) && !PERSONA_NAMES.includes(name))
      throw new UsageError(
        `--scenario: unknown name "${name}"; campaigns are ${CAMPAIGN_NAMES.join(', ')} (benign personas are always included)`,
      );
  return names;
}

function printSummary(s: SimulateSummary, seconds: number): void {
  const lines = [
    `wrote ${s.files.events}, ${s.files.accounts}, ${s.files.labels}`,
    `${s.events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s; accounts: ${s.accounts.benign.toLocaleString('en-US')} benign, ${s.accounts.attack.toLocaleString('en-US')} attack`,
    `window ${s.window.start} .. ${s.window.end}; ${s.newModel.model} released ${s.newModel.releasedAt}`,
  ];
  if (s.host)
    lines.push(
      `host log: ${s.host.events.toLocaleString('en-US')} events from ${s.host.accounts.toLocaleString('en-US')} accounts kept (labelled benign, persona injected-host); ${s.host.rejected} invalid lines skipped`,
    );
  for (const [name, p] of Object.entries(s.populations))
    lines.push(
      `  ${name.padEnd(18)} ${String(p.accounts).padStart(7)} accounts ${String(p.events).padStart(10)} events`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Adds `simulate` to the program.
 *
 * @example
 * register(program); // distillguard simulate --out out/sim --seed 7 --scenario hydra,adaptive
 */
export function register(program: Command): void {
  program
    .command('simulate')
    .description(
      'Write labelled traffic (benign personas + distillation campaigns) as events.jsonl.gz, accounts.jsonl, labels.jsonl.',
    )
    .requiredOption('--out <dir>', 'output directory (created if missing; files in it are replaced)')
    .option(
      '--seed <n>',
      'random seed; the same seed gives byte-identical files',
      intOption('--seed', 0, 2 ** 31 - 1),
      1,
    )
    .option(
      '--scale <x>',
      `size relative to the public record: 1.0 = hydra's 25,000 accounts and 28.8M exchanges over 44 days with proportionate other traffic`,
      scaleOption,
      DEFAULT_SCALE,
    )
    .option(
      '--scenario <names>',
      `campaigns to include, comma-separated (default all: ${CAMPAIGN_NAMES.join(', ')}); benign personas are always included`,
      scenarioOption,
    )
    .option(
      '--days <n>',
      'length of the simulated window in days (ignored with --inject-into)',
      intOption('--days', 1, 366),
      DEFAULT_DAYS,
    )
    .option(
      '--data <dir>',
      'real prompt corpora and timing log (without it a built-in generator is used)',
      DEFAULT_DATA_DIR,
    )
    .option(
      '--inject-into <file>',
      "mix the campaigns into your own event log (JSON Lines, .gz ok, sorted by ts) instead of simulated benign traffic: its accounts are labelled benign with persona 'injected-host', campaigns run over its time span, and accounts.jsonl holds only the injected accounts",
    )
    .action(async (flags: SimulateFlags) => {
      if (flags.injectInto !== undefined && !existsSync(flags.injectInto))
        throw new UsageError(`--inject-into: ${flags.injectInto} does not exist`);
      const bar = createProgressBar(process.stderr);
      const t0 = performance.now();
      let summary: SimulateSummary;
      try {
        summary = await simulate({
          outDir: flags.out,
          seed: flags.seed,
          scale: flags.scale,
          days: flags.days,
          dataDir: resolve(flags.data),
          ...(flags.scenario === undefined
            ? {}
            : { scenarios: flags.scenario.filter((n) => CAMPAIGN_NAMES.includes(n)) }),
          ...(flags.injectInto === undefined ? {} : { injectInto: flags.injectInto }),
          onProgress: (p) => bar.update('simulate', p.events),
          onNotice: (m) => bar.log(m),
          onInvalid: rejectLog(bar, MAX_REJECT_MESSAGES),
        });
      } catch (error) {
        if (
          error instanceof SimulateError ||
          error instanceof CorpusError ||
          error instanceof TimingError ||
          error instanceof FileAccessError
        )
          throw new UsageError(error.message);
        throw error;
      } finally {
        bar.done();
      }
      printSummary(summary, (performance.now() - t0) / 1000);
    });
}
