/**
 * Runs a bench script as a user does (`npx tsx bench/<script>.ts …`), for the scripts' command-line
 * tests: same Node, tsx's loader, output captured.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * @example
 * const help = runScript(new URL('./seed-sweep.ts', import.meta.url), '--help');
 * help.status; // 0
 */
export function runScript(script: URL, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(script), ...args], {
    encoding: 'utf8',
  });
}
