/**
 * `distillguard bench`: simulate labelled traffic (or read an existing simulate output), run a
 * detector over it as `analyze` does, score it against the ground truth, print the table and
 * write the full result as JSON under bench/results/.
 */
import { constants, existsSync, statSync } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { FileAccessError } from '../../contract/file-error.js';
import { loadPolicy, PolicyError } from '../../detect/policy.js';
import { DEFAULT_DETECTOR, detectorFactory } from '../../sim/bench-detectors.js';
import { type BenchInput, BenchInputError, type BenchProgress, runBench } from '../../sim/bench-run.js';
import { formatBenchTable } from '../../sim/bench-table.js';
import { DETECTORS, type DetectorName } from '../../sim/bench-types.js';
import { CorpusError } from '../../sim/corpora.js';
import { SimulateError, simulate } from '../../sim/simulate.js';
import { TimingError } from '../../sim/timing.js';
import { UsageError } from '../errors.js';
import { intOption } from '../int-option.js';
import { createProgressBar } from '../progress-bar.js';

/** Default simulation size: big enough for every campaign to show, small enough for < 5 min here. */
export const DEFAULT_SCALE = 0.005;
export const DEFAULT_SEED = 1;
/** Real prompt corpora, read in place (never copied into the repository). */
export const DEFAULT_PROMPTS_DIR = '../shared/data';
/** Rejected-line messages printed before the rest are only counted, so a bad file cannot flood the terminal. */
const MAX_REJECT_MESSAGES = 20;

interface BenchFlags {
  scale: number;
  seed: number;
  scenario?: string[];
  days?: number;
  data: string;
  dataDir?: string;
  keep?: string;
  detector: DetectorName;
  baselineLimit?: number;
  policy?: string;
  out?: string;
}

function scaleOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1) {
    throw new UsageError(`--scale must be a number in (0, 1], got "${value}"`);
  }
  return n;
}

function listOption(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0)
    throw new UsageError(`--scenario needs a comma-separated list of names, got "${value}"`);
  return items;
}

function requireDir(flag: string, path: string, what: string): void {
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new UsageError(`${flag} ${path}: not a directory (${what})`);
  }
}

/** bench/results/bench-<detector>-<UTC time>.json, with a file-name-safe timestamp. */
function defaultOut(detector: DetectorName, startedAt: string): string {
  const stamp = startedAt.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  return join('bench', 'results', `bench-${detector}-${stamp}.json`);
}

/**
 * Adds the `bench` subcommand.
 *
 * @example
 * register(program); // distillguard bench --data-dir out/sim --detector baseline
 */
export function register(program: Command): void {
  program
    .command('bench')
    .description(
      'Benchmark a detector on labelled traffic: leak, time to action, attribution, collateral, events/s.',
    )
    .option(
      '--scale <x>',
      'simulation scale (1.0 = the full public-record campaigns)',
      scaleOption,
      DEFAULT_SCALE,
    )
    .option('--seed <n>', 'simulation seed', intOption('--seed', 0, 2 ** 31 - 1), DEFAULT_SEED)
    .option(
      '--scenario <names>',
      'only these campaigns, comma-separated (benign personas always run)',
      listOption,
    )
    .option(
      '--days <n>',
      "simulated window in days (default 44, hydra's duration)",
      intOption('--days', 1, 366),
    )
    .option('--data <dir>', 'real prompt corpora the simulator draws from', DEFAULT_PROMPTS_DIR)
    .option(
      '--data-dir <dir>',
      'use an existing simulate output (events, accounts, labels) instead of simulating',
    )
    .option('--keep <dir>', 'simulate into this directory and keep it (reuse with --data-dir)')
    .addOption(
      new Option('--detector <name>', `detector to run (default ${DEFAULT_DETECTOR})`)
        .choices(DETECTORS)
        .default(DEFAULT_DETECTOR),
    )
    .option(
      '--baseline-limit <n>',
      'requests per sliding hour above which the baseline blocks',
      intOption('--baseline-limit', 1, 1_000_000),
    )
    .option('--policy <file>', 'policy file for the distillguard detector (default: the built-in policy)')
    .option(
      '--out <file>',
      'where to write the JSON result (default bench/results/bench-<detector>-<time>.json)',
    )
    .action(async (flags: BenchFlags, command: Command) => {
      await runBenchCommand(flags, command);
    });
}

async function runBenchCommand(flags: BenchFlags, command: Command): Promise<void> {
  const fromCli = (name: string): boolean => command.getOptionValueSource(name) === 'cli';
  let input: BenchInput;
  if (flags.dataDir !== undefined) {
    for (const name of ['scale', 'seed', 'scenario', 'days', 'keep'] as const) {
      if (fromCli(name))
        throw new UsageError(`--${name} only applies when simulating; drop it or drop --data-dir`);
    }
    requireDir('--data-dir', flags.dataDir, 'an existing simulate output');
    input = { kind: 'data-dir', dir: flags.dataDir };
  } else {
    input = {
      kind: 'simulate',
      simulate,
      scale: flags.scale,
      seed: flags.seed,
      promptsDir: flags.data,
      ...(flags.scenario === undefined ? {} : { scenarios: flags.scenario }),
      ...(flags.days === undefined ? {} : { days: flags.days }),
      ...(flags.keep === undefined ? {} : { keepIn: flags.keep }),
    };
  }

  if (flags.baselineLimit !== undefined && flags.detector !== 'baseline') {
    throw new UsageError('--baseline-limit only applies with --detector baseline');
  }
  if (flags.policy !== undefined && flags.detector !== 'distillguard') {
    throw new UsageError('--policy only applies with --detector distillguard');
  }
  let policy: ReturnType<typeof loadPolicy> | undefined;
  try {
    policy = flags.policy === undefined ? undefined : loadPolicy(flags.policy);
  } catch (error) {
    if (error instanceof PolicyError || error instanceof FileAccessError) {
      throw new UsageError(`--policy: ${error.message}`);
    }
    throw error;
  }
  const createDetector = detectorFactory(flags.detector, {
    ...(flags.baselineLimit === undefined ? {} : { baselineLimit: flags.baselineLimit }),
    ...(policy === undefined ? {} : { policy }),
  });

  // Fail on an unwritable result path now, not after minutes of simulation and analysis.
  const outDir = dirname(resolve(flags.out ?? defaultOut(flags.detector, new Date().toISOString())));
  try {
    await mkdir(outDir, { recursive: true });
    await access(outDir, constants.W_OK);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`cannot write the result under ${outDir}: ${reason}`);
  }

  const bar = createProgressBar(process.stderr);
  let rejectedShown = 0;
  const onInvalid = (message: string): void => {
    rejectedShown += 1;
    if (rejectedShown <= MAX_REJECT_MESSAGES) bar.log(message);
    else if (rejectedShown === MAX_REJECT_MESSAGES + 1) bar.log('… further rejected lines are only counted');
  };
  const onProgress = (p: BenchProgress): void => bar.update(p.phase, p.done, p.total);

  let result: Awaited<ReturnType<typeof runBench>>;
  try {
    result = await runBench({
      input,
      detector: flags.detector,
      createDetector,
      onProgress,
      onInvalid,
      onNotice: (m) => bar.log(m),
    });
  } catch (error) {
    const userFacing =
      error instanceof BenchInputError ||
      error instanceof FileAccessError ||
      error instanceof SimulateError ||
      error instanceof CorpusError ||
      error instanceof TimingError;
    if (userFacing) throw new UsageError(error.message);
    throw error;
  } finally {
    bar.done();
  }

  const out = resolve(flags.out ?? defaultOut(flags.detector, result.startedAt));
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`cannot write the result to ${out}: ${reason}`, 1);
  }
  process.stdout.write(`${formatBenchTable(result)}\nresult: ${out}\n`);
}
