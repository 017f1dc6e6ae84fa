/**
 * Command-line flags of bench/gateway/run.ts, parsed with node:util and checked, so a typo gets
 * one clear line instead of a stack trace.
 */
import { parseArgs } from 'node:util';
import { FULL_PLAN, type Plan, QUICK_PLAN } from './measure.js';
import { TARGET_NAMES, type TargetName } from './report.js';

export interface BenchArgs {
  plan: Plan;
  targets: TargetName[];
  /** Where Portkey is installed (outside the repository). */
  portkeyDir: string;
  /** JSON result path; undefined = bench/results/gateway-<timestamp>.json. */
  out: string | undefined;
  /** Run distillguard under `node --cpu-prof`, profiles written here, and summarise them. */
  profileDir: string | undefined;
  /** Wait (up to 15 min) for the 1-min load average to fall to this before measuring. */
  calmLoad: number | undefined;
  help: boolean;
}

export const USAGE = `Usage: npx tsx bench/gateway/run.ts [options]

Measures direct, nginx, Portkey and distillguard on one mock upstream with wrk.

Options:
  --quick             3 rounds of 2 s runs instead of 5 rounds of 5 s
  --rounds <n>        rounds (each target once per round; figures are medians over rounds)
  --duration <s>      seconds per wrk run
  --ttfb-samples <n>  streaming requests timed per target per round
  --targets <list>    comma-separated subset of ${TARGET_NAMES.join(',')} (direct is always included)
  --portkey-dir <dir> where Portkey is installed (default /tmp/dg-bench-portkey)
  --out <file>        JSON result path (default bench/results/gateway-<timestamp>.json)
  --profile <dir>     run distillguard under node --cpu-prof (profile written to <dir>) and
                      print where its CPU time goes; slows it, so not for the bars
  --calm <load>       before measuring, wait up to 15 min for the 1-min load average to fall
                      to <load> (the cores are shared; other work skews every figure)
  -h, --help          this text
`;

/** A flag is unknown or has a bad value. */
export class ArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgsError';
  }
}

function positiveInt(flag: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new ArgsError(`${flag} must be a whole number from 1 to ${max}, got "${value}"`);
  return n;
}

function calmLoad(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new ArgsError(`--calm must be a load average above 0, got "${value}"`);
  return n;
}

/**
 * Parses run.ts's flags.
 *
 * @example
 * parseBenchArgs(['--quick', '--targets', 'nginx,distillguard']).targets; // ['direct', 'nginx', 'distillguard']
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean' },
        rounds: { type: 'string' },
        duration: { type: 'string' },
        'ttfb-samples': { type: 'string' },
        targets: { type: 'string' },
        'portkey-dir': { type: 'string' },
        out: { type: 'string' },
        profile: { type: 'string' },
        calm: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new ArgsError(error instanceof Error ? error.message : String(error));
  }
  const base = values.quick === true ? QUICK_PLAN : FULL_PLAN;
  const str = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const plan: Plan = {
    ...base,
    rounds: positiveInt('--rounds', str('rounds'), base.rounds, 100),
    durationSec: positiveInt('--duration', str('duration'), base.durationSec, 600),
    ttfbSamples: positiveInt('--ttfb-samples', str('ttfb-samples'), base.ttfbSamples, 100_000),
  };
  let targets: TargetName[] = [...TARGET_NAMES];
  const list = str('targets');
  if (list !== undefined) {
    const asked = list
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    for (const name of asked) {
      if (!(TARGET_NAMES as readonly string[]).includes(name)) {
        throw new ArgsError(
          `--targets: unknown target "${name}"; expected some of ${TARGET_NAMES.join(', ')}`,
        );
      }
    }
    // Direct is the baseline every added-latency figure is measured against.
    targets = TARGET_NAMES.filter((name) => name === 'direct' || asked.includes(name));
  }
  return {
    plan,
    targets,
    portkeyDir: str('portkey-dir') ?? '/tmp/dg-bench-portkey',
    out: str('out'),
    profileDir: str('profile'),
    calmLoad: calmLoad(str('calm')),
    help: values.help === true,
  };
}
