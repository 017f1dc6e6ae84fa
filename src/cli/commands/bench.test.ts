import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../sim/bench-types.js';
import { writeTinyRun } from '../../sim/test-helpers/tiny-run.js';
import { DATA_NOTICE, HAVE_TEST_DATA } from '../../sim/test-helpers/world.js';
import { main } from '../main.js';
import { captureCli } from '../test-helpers/cli-capture.js';

const cli = captureCli('dg-bench-cli-');

const run = (...args: string[]): Promise<number> => main(['node', 'distillguard', 'bench', ...args]);

describe('distillguard bench', () => {
  it('scores an existing run, prints the table and writes the JSON result', async () => {
    const data = join(cli.dir, 'sim');
    await writeTinyRun(data);
    const out = join(cli.dir, 'results', 'r.json');
    const code = await run(
      '--data-dir',
      data,
      '--detector',
      'baseline',
      '--baseline-limit',
      '3',
      '--out',
      out,
    );
    expect(cli.stderr).toBe('');
    expect(code).toBe(0);
    expect(cli.stdout).toMatch(/^campaign\s+accounts/);
    expect(cli.stdout).toMatch(/\nhydra-1\s+1\s+10\s+4\s+40\.0%\s+<=1\.0%/);
    expect(cli.stdout).toContain(`result: ${out}\n`);
    const result = JSON.parse(await readFile(out, 'utf8')) as BenchResult;
    expect(result.schema).toBe('distillguard.bench/1');
    expect(result.score.campaigns[0]?.leakedExchanges).toBe(4);
    expect(result.detectorNotes[0]).toContain('block above 3 requests');
  });

  it('simulates a tiny run with the real simulator and corpora, runs the engine and keeps the files', async () => {
    const out = join(cli.dir, 'r.json');
    const keep = join(cli.dir, 'sim');
    const args = ['--scale', '0.0001', '--days', '1', '--scenario', 'deepseek', '--seed', '3'];
    const code = await run(...args, '--keep', keep, '--out', out);
    expect(cli.stderr).toMatch(DATA_NOTICE);
    expect(code).toBe(0);
    const result = JSON.parse(await readFile(out, 'utf8')) as BenchResult;
    expect(result.detector).toBe('distillguard');
    expect(result.input).toMatchObject({ source: 'simulated', dir: keep, scale: 0.0001, seed: 3, days: 1 });
    expect(result.input.data?.builtIn).toBe(!HAVE_TEST_DATA);
    expect(result.score.campaigns.map((c) => c.kind)).toEqual(['deepseek']);
    expect(result.score.personas.map((p) => p.persona)).toContain('eval-harness');
    expect(result.events).toBeGreaterThan(0);
    expect(result.score.events).toBe(result.events);
    expect(cli.stdout).toMatch(/\ndeepseek\s+\d+\s+[\d,]+\s/);
    // The kept output is a valid --data-dir input and scores the same.
    cli.stdout = '';
    const again = join(cli.dir, 'again.json');
    expect(await run('--data-dir', keep, '--out', again)).toBe(0);
    const second = JSON.parse(await readFile(again, 'utf8')) as BenchResult;
    expect(second.score).toEqual(result.score);
  });

  it('names an unknown scenario and a flag that does not fit the detector', async () => {
    expect(await run('--scenario', 'nope', '--out', join(cli.dir, 'x.json'))).toBe(2);
    expect(cli.stderr).toMatch(/^distillguard: unknown scenario "nope"; choose from deepseek, /);
    cli.stderr = '';
    expect(await run('--baseline-limit', '5')).toBe(2);
    expect(cli.stderr).toBe('distillguard: --baseline-limit only applies with --detector baseline\n');
  });

  it('rejects simulation flags together with --data-dir', async () => {
    await writeTinyRun(cli.dir);
    expect(await run('--data-dir', cli.dir, '--scale', '0.1')).toBe(2);
    expect(cli.stderr).toBe(
      'distillguard: --scale only applies when simulating; drop it or drop --data-dir\n',
    );
  });

  it('names a bad flag value', async () => {
    expect(await run('--scale', 'abc')).toBe(2);
    expect(cli.stderr).toBe('distillguard: --scale must be a number in (0, 1], got "abc"\n');
  });

  it('names a missing input directory and a directory without events', async () => {
    expect(await run('--data-dir', join(cli.dir, 'nope'))).toBe(2);
    expect(cli.stderr).toContain(`--data-dir ${join(cli.dir, 'nope')}: not a directory`);
    cli.stderr = '';
    expect(await run('--data-dir', cli.dir)).toBe(2);
    expect(cli.stderr).toBe(`distillguard: ${cli.dir}: no events.jsonl.gz or events.jsonl in it\n`);
  });
});
