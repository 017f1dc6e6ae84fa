/**
 * Detection across seeds: one `bench` per seed on freshly simulated traffic (optionally a second
 * run of the same traffic without account records, as logs from another gateway arrive), then one
 * table of every campaign's leak and the benign collateral per run, and how many runs met each
 * campaign's bars. One seed says little about a detector; the held-out evaluation is other
 * traffic, so this is the robustness check to run after any change to detection.
 *
 *   npx tsx bench/seed-sweep.ts [--seeds 1-12] [--scale 0.005] [--data ../shared/data] [--without-accounts]
 *
 * Progress goes to stderr, the Markdown table to stdout.
 */
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PROMPTS_DIR, DEFAULT_SCALE } from '../src/cli/commands/bench.js';
import { detectorFactory } from '../src/sim/bench-detectors.js';
import { runBench } from '../src/sim/bench-run.js';
import { simulate } from '../src/sim/simulate.js';
import { formatSeedTable, parseSeeds, type SeedRow } from './seed-sweep-table.js';

const USAGE = `Usage: npx tsx bench/seed-sweep.ts [options]

  --seeds LIST          seeds to simulate, e.g. 1-12 or 1,4,9 (default 1-6)
  --scale X             simulation scale (default ${DEFAULT_SCALE}, bench's)
  --data DIR            prompt corpora (default ${DEFAULT_PROMPTS_DIR}; the built-in generator if absent)
  --without-accounts    also run every seed without its account records
  -h, --help            this text
`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      seeds: { type: 'string' },
      scale: { type: 'string' },
      data: { type: 'string' },
      'without-accounts': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  const seeds = parseSeeds(values.seeds ?? '1-6');
  const scale = Number(values.scale ?? DEFAULT_SCALE);
  if (!Number.isFinite(scale) || scale <= 0)
    throw new Error(`--scale must be a positive number, got "${values.scale}"`);
  const dataDir = values.data ?? DEFAULT_PROMPTS_DIR;
  const create = detectorFactory('distillguard');
  const rows: SeedRow[] = [];
  const quiet = { onInvalid: () => undefined, onNotice: (m: string) => process.stderr.write(`${m}\n`) };
  for (const seed of seeds) {
    const dir = mkdtempSync(join(tmpdir(), `dg-seed-sweep-${seed}-`));
    try {
      process.stderr.write(`seed ${seed}: simulating (scale ${scale}) …\n`);
      await simulate({ outDir: dir, seed, scale, dataDir, onNotice: quiet.onNotice });
      const run = async (variant: string): Promise<void> => {
        const result = await runBench({
          input: { kind: 'data-dir', dir },
          detector: 'distillguard',
          createDetector: create,
          ...quiet,
        });
        rows.push({ seed, variant, score: result.score });
        const hydra = result.score.campaigns.find((c) => c.campaign === 'hydra');
        process.stderr.write(
          `seed ${seed}, ${variant}: hydra leak ${hydra === undefined ? '–' : (hydra.leak * 100).toFixed(2)} %\n`,
        );
      };
      await run('with records');
      if (values['without-accounts'] === true) {
        renameSync(join(dir, 'accounts.jsonl'), join(dir, 'accounts.jsonl.withheld'));
        await run('no account records');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(
    `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}; scale ${scale}, data ${dataDir}\n\n`,
  );
  process.stdout.write(`${formatSeedTable(rows)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`seed-sweep: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
