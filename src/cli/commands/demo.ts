/**
 * `distillguard demo` (what `npm start` runs): a simulated campaign caught and contained by the
 * embedded gateway through real HTTP. See src/cli/demo/run-demo.ts.
 */
import type { Command } from 'commander';
import { runDemo } from '../demo/run-demo.js';
import { UsageError } from '../errors.js';
import { intOption } from '../int-option.js';

interface DemoFlags {
  seed: number;
  scale: string;
  days: number;
  scenario: string;
  data: string;
  concurrency: number;
  keep?: string;
}

/**
 * Adds the `demo` subcommand.
 *
 * @example
 * register(program); // distillguard demo --scenario deepseek,hydra
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'Simulate traffic with attack campaigns, replay it through the embedded gateway (SQLite, in-process detector, mock upstream) over HTTP, and show what was caught.',
    )
    .option('--seed <n>', 'simulation seed', intOption('--seed', 0, 2 ** 31 - 1), 7)
    .option('--scale <x>', 'simulation scale (1.0 = the real hydra campaign)', '0.0005')
    .option('--days <n>', 'days of traffic to simulate', intOption('--days', 1, 44), 3)
    .option('--scenario <list>', 'campaigns to include, comma-separated', 'deepseek,hydra')
    .option('--data <dir>', 'real prompt corpora and timing log', '../shared/data')
    .option(
      '--concurrency <n>',
      'requests in flight during the replay',
      intOption('--concurrency', 1, 256),
      8,
    )
    .option('--keep <dir>', 'keep the simulated files and the gateway database in this directory')
    .action(async (flags: DemoFlags) => {
      const scale = Number(flags.scale);
      if (!Number.isFinite(scale) || scale <= 0 || scale > 0.01) {
        throw new UsageError(`--scale must be a number in (0, 0.01] for the demo, got "${flags.scale}"`);
      }
      const scenarios = flags.scenario
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (scenarios.length === 0) throw new UsageError('--scenario needs at least one campaign name');
      await runDemo({
        seed: flags.seed,
        scale,
        days: flags.days,
        scenarios,
        dataDir: flags.data,
        concurrency: flags.concurrency,
        keepDir: flags.keep,
        write: (line) => process.stdout.write(`${line}\n`),
      });
    });
}
