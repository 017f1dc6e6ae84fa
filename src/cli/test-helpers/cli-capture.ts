/**
 * Shared setup for CLI tests that run `main([...])` in-process: a fresh temporary directory and
 * captured stdout/stderr per test, restored afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';

export interface CliCapture {
  /** Temporary directory of the current test (removed after it). */
  readonly dir: string;
  /** Everything the command wrote to stdout in the current test (tests may reset it). */
  stdout: string;
  /** Everything the command wrote to stderr in the current test. */
  stderr: string;
}

/**
 * Registers beforeEach/afterEach hooks in the calling test file.
 *
 * @example
 * const cli = captureCli('dg-bench-cli-');
 * it('prints', async () => { await main([...]); expect(cli.stdout).toContain('…'); });
 */
export function captureCli(prefix: string): CliCapture {
  const state = { dir: '', stdout: '', stderr: '' };
  beforeEach(async () => {
    state.dir = await mkdtemp(join(tmpdir(), prefix));
    state.stdout = '';
    state.stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      state.stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      state.stderr += String(chunk);
      return true;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(state.dir, { recursive: true, force: true });
  });
  return state;
}
