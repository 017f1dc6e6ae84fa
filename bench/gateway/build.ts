/**
 * Compiles distillguard (src/) and these benchmark scripts (bench/) to plain JavaScript for the
 * run, so the mock upstream, the gateway and the ablation variants are measured as compiled JS
 * (`node …/src/cli/main.js`), not through tsx's on-the-fly loader (which also adds tens of MB of
 * RSS). The output goes to a scratch folder rather than dist/: other engineers build and run
 * dist/ in the same working tree.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SetupError } from './tools.js';

const run = promisify(execFile);

export interface BenchBuild {
  /** The distillguard CLI: `node <cli> serve …`. */
  cli: string;
  /** Compiled bench/gateway folder (ablation-server.js lives here). */
  benchDir: string;
}

/**
 * Builds `repoRoot` (its tsconfig.json: src and bench) into `outRoot/dist`, keeping the folder
 * layout. tsc still emits when some other part of the tree has type errors; only a missing CLI
 * entry is fatal.
 *
 * @example
 * const { cli } = await buildForBench('/work/main', '/tmp/dg-bench-build', console.error);
 * // node <cli> mock-upstream --port 9000
 */
export async function buildForBench(
  repoRoot: string,
  outRoot: string,
  log: (line: string) => void,
): Promise<BenchBuild> {
  const outDir = join(outRoot, 'dist');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outRoot, { recursive: true });
  // ESM output needs "type": "module" above it, and bare imports resolve through node_modules.
  writeFileSync(join(outRoot, 'package.json'), '{ "type": "module", "private": true }\n');
  const modules = join(outRoot, 'node_modules');
  if (!existsSync(modules)) symlinkSync(join(repoRoot, 'node_modules'), modules, 'dir');
  const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
  try {
    await run(tsc, ['-p', join(repoRoot, 'tsconfig.json'), '--rootDir', repoRoot, '--outDir', outDir], {
      cwd: repoRoot,
      timeout: 300_000,
    });
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? '';
    const errors = output.split('\n').filter((line) => line.includes('error TS'));
    log(`tsc reported ${errors.length} type error(s) elsewhere in the tree; using what it emitted`);
    for (const line of errors.slice(0, 5)) log(`  ${line}`);
  }
  const cli = join(outDir, 'src', 'cli', 'main.js');
  if (!existsSync(cli)) throw new SetupError(`the build produced no ${cli}`);
  return { cli, benchDir: join(outDir, 'bench', 'gateway') };
}
