import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { formatDemoTable, runDemo } from './run-demo.js';
import { DemoTally } from './tally.js';

describe('runDemo', () => {
  it('replays a simulated run through the gateway over HTTP and blocks the campaign there', async () => {
    const lines: string[] = [];
    const result = await runDemo({
      seed: 3,
      scale: 0.0003,
      days: 1,
      scenarios: ['deepseek'],
      dataDir: '../shared/data',
      concurrency: 16,
      write: (line) => lines.push(line),
    });
    const text = lines.join('\n');
    expect(text).toContain('2/3 replaying every exchange through http://127.0.0.1:');
    const deepseek = result.rows.find((r) => r.name.startsWith('deepseek'));
    expect(deepseek?.attack).toBe(true);
    // Every simulated exchange went through the gateway and got an answer.
    const requests = result.rows.reduce((n, r) => n + r.requests, 0);
    const simulated = Number(/([\d,]+) exchanges from/.exec(text)?.[1]?.replaceAll(',', ''));
    expect(requests).toBe(simulated);
    expect(result.rows.reduce((n, r) => n + r.failed, 0)).toBe(0);
    // The refusal came back over HTTP in the API's own error shape.
    expect(result.exampleRefusal).toMatchObject({ status: 403, errorType: 'account_blocked' });
    expect(deepseek?.refused).toBeGreaterThan(0);
  }, 120_000);
});

describe('DemoTally', () => {
  it('counts leak only until containment and collateral per account', () => {
    const tally = new DemoTally([
      { account_id: 'a1', label: 'attack', campaign: 'deepseek', persona: 'deepseek-worker' },
      { account_id: 'b1', label: 'benign', persona: 'casual-chat' },
    ]);
    tally.record('a1', '2026-01-01T00:00:00.000Z', undefined, 200);
    tally.record('a1', '2026-01-01T00:00:01.000Z', 'degrade', 200);
    tally.record('a1', '2026-01-01T00:00:02.000Z', 'block', 403);
    tally.record('b1', '2026-01-01T00:00:03.000Z', 'monitor', 200);
    const [attack, benign] = tally.rows();
    expect(attack).toMatchObject({
      servedFull: 1,
      servedDegraded: 1,
      refused: 1,
      requestsBeforeContainment: 1,
      firstContainedAt: '2026-01-01T00:00:01.000Z',
      touchedAccounts: 1,
    });
    expect(benign).toMatchObject({ servedFull: 1, touchedAccounts: 0 });
    expect(formatDemoTable(tally.rows())[1]).toContain('leak 33.3%, contained from request 2');
  });
});

describe('distillguard demo flags', () => {
  it('rejects a scale too large for a demo with a clear message', async () => {
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      expect(await main(['node', 'distillguard', 'demo', '--scale', '2'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).toContain('--scale must be a number in (0, 0.01]');
  });
});
