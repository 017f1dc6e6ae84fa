import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBaselineDetector } from '../detect/baseline-rate.js';
import { BenchInputError, type BenchProgress, runBench } from './bench-run.js';
import { writeTinyRun } from './test-helpers/tiny-run.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dg-bench-run-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runBench', () => {
  it('scores an existing simulate output with the baseline', async () => {
    await writeTinyRun(dir);
    const phases = new Set<string>();
    const result = await runBench({
      input: { kind: 'data-dir', dir },
      detector: 'baseline',
      createDetector: () => createBaselineDetector({ requestsPerHour: 3 }),
      onProgress: (p: BenchProgress) => phases.add(p.phase),
    });
    expect(result.events).toBe(13);
    expect(result.rejected).toBe(0);
    expect(result.score.campaigns).toHaveLength(1);
    expect(result.score.campaigns[0]).toMatchObject({
      campaign: 'hydra-1',
      exchanges: 10,
      leakedExchanges: 4,
    });
    expect(result.score.benign).toMatchObject({ accounts: 2, collateralAccounts: 0 });
    expect(result.verdicts.campaigns['hydra-1']?.failed).toEqual(['leak', 'attribution', 'purity']);
    expect(result.input).toEqual({
      source: 'data-dir',
      dir,
      scale: null,
      seed: null,
      scenarios: null,
      days: null,
      data: null,
    });
    expect(result.timing.eventsPerSecond).toBeGreaterThan(0);
    expect(result.memory.analyzePeakRssMiB).toBeGreaterThan(0);
    expect(result.detectorNotes[0]).toMatch(/^baseline detector/);
    expect([...phases]).toEqual(['analyze']);
  });

  it('simulates into a temporary directory, passes the options through and removes it', async () => {
    let seen:
      | { outDir: string; seed: number; scale: number; scenarios?: string[]; dataDir: string }
      | undefined;
    const result = await runBench({
      input: {
        kind: 'simulate',
        scale: 0.5,
        seed: 42,
        scenarios: ['hydra'],
        promptsDir: '/data',
        simulate: async (o) => {
          seen = o;
          await writeTinyRun(o.outDir);
          return { events: 13, data: { prompts: '/data/prompts', timing: '/data/timing', builtIn: false } };
        },
      },
      detector: 'baseline',
      createDetector: () => createBaselineDetector({ requestsPerHour: 3 }),
    });
    expect(seen).toMatchObject({ seed: 42, scale: 0.5, scenarios: ['hydra'], dataDir: '/data' });
    expect(result.input).toEqual({
      source: 'simulated',
      dir: null,
      scale: 0.5,
      seed: 42,
      scenarios: ['hydra'],
      days: null,
      data: { prompts: '/data/prompts', timing: '/data/timing', builtIn: false },
    });
    expect(result.timing.simulateSeconds).not.toBeNull();
    await expect(readdir(seen?.outDir ?? '')).rejects.toThrow(/ENOENT/);
  });

  it('counts rejected event lines and keeps going', async () => {
    await writeTinyRun(dir);
    await rm(join(dir, 'events.jsonl.gz'));
    await writeFile(
      join(dir, 'events.jsonl'),
      '{"id":"x"}\n{"id":"e","ts":"2026-01-01T00:00:00.000Z","account_id":"chat-1","client":{"ip":"1.2.3.4"},"api":"openai.chat","model":"m","request":{"messages":[]}}\n',
    );
    const messages: string[] = [];
    const result = await runBench({
      input: { kind: 'data-dir', dir },
      detector: 'baseline',
      createDetector: () => createBaselineDetector(),
      onInvalid: (m) => messages.push(m),
    });
    expect(result.events).toBe(1);
    expect(result.rejected).toBe(1);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/events\.jsonl:1: /);
  });

  it('removes the temporary directory when the simulator fails', async () => {
    let outDir = '';
    await expect(
      runBench({
        input: {
          kind: 'simulate',
          scale: 0.1,
          seed: 1,
          promptsDir: '/data',
          simulate: async (o) => {
            outDir = o.outDir;
            throw new Error('bad scenario');
          },
        },
        detector: 'baseline',
        createDetector: () => createBaselineDetector(),
      }),
    ).rejects.toThrow('bad scenario');
    expect(outDir).not.toBe('');
    await expect(readdir(outDir)).rejects.toThrow(/ENOENT/);
  });

  it('says which file is missing', async () => {
    await expect(
      runBench({
        input: { kind: 'data-dir', dir },
        detector: 'baseline',
        createDetector: () => createBaselineDetector(),
      }),
    ).rejects.toThrow(new BenchInputError(`${dir}: no events.jsonl.gz or events.jsonl in it`));
  });
});
