/**
 * Runs an ES module script in a fresh node with tsx's loader, from the repository root, for tests
 * of process-wide settings (V8 flags) that must not leak into the test runner's own process.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Runs `script` under `nodeFlags` and returns the JSON object on the last stdout line that starts
 * with `{` (V8's trace output may surround it). Throws with the child's stderr if it fails.
 *
 * @example
 * runInFreshNode<{ ok: boolean }>('console.log(JSON.stringify({ ok: true }))'); // { ok: true }
 */
export function runInFreshNode<T>(script: string, nodeFlags: readonly string[] = []): T {
  const child = spawnSync(
    process.execPath,
    [...nodeFlags, '--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8', cwd: ROOT, timeout: 60_000 },
  );
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  const line = child.stdout
    .trim()
    .split('\n')
    .findLast((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`child printed no JSON result: ${child.stdout.slice(-500)}`);
  return JSON.parse(line) as T;
}
