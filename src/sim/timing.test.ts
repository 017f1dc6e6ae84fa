import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { DAY, dailyCycle, HOUR, HumanClock, loadTiming, PoissonClock, parseActivityCsv } from './timing.js';

describe('parseActivityCsv', () => {
  it('groups by user, sorts, drops light users and names bad lines', () => {
    const rows = ['user,timestamp'];
    for (let i = 9; i >= 0; i--) rows.push(`u1,2023-07-24T18:${String(10 + i)}:00.000+00:00`);
    rows.push('u2,2023-07-24T18:00:00.000+00:00');
    const users = parseActivityCsv(rows.join('\n'), 't.csv');
    expect(users).toHaveLength(1);
    expect(users[0]).toEqual([...(users[0] ?? [])].sort((a, b) => a - b));
    expect(() => parseActivityCsv('user,timestamp\nu1,yesterday', 't.csv')).toThrow('t.csv:2:');
  });
});

describe('HumanClock', () => {
  const timing = existsSync('../shared/data') ? loadTiming('../shared/data') : loadTiming('/none');

  it('produces increasing times with real sessions and gaps', () => {
    const start = Date.UTC(2026, 0, 5);
    const clock = new HumanClock(new Rng(1), timing, { start, spreadDays: 3 });
    let last = 0;
    const sessionStarts: number[] = [];
    for (let s = 0; s < 30; s++) {
      const t = clock.nextSession();
      sessionStarts.push(t);
      expect(t).toBeGreaterThan(last);
      last = t;
      for (let k = 0; k < 3; k++) {
        const u = clock.nextTurn(5000);
        expect(u - last).toBeGreaterThanOrEqual(5000);
        last = u;
      }
    }
    expect(sessionStarts[0]).toBeGreaterThanOrEqual(start - DAY);
    // Sessions are separated by human-scale breaks (over 30 minutes), not a fixed period.
    const gaps = sessionStarts.slice(1).map((t, i) => t - (sessionStarts[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThan(0);
    expect(new Set(gaps.map((g) => Math.round(g / HOUR))).size).toBeGreaterThan(5);
  });

  it('falls back to synthetic timing without data', () => {
    expect(loadTiming('/none').builtIn).toBe(true);
  });
});

describe('PoissonClock', () => {
  it('has the requested mean gap and follows a daily cycle', () => {
    const start = Date.UTC(2026, 0, 5);
    const flat = new PoissonClock(new Rng(2), 60_000, start);
    let t = start;
    for (let i = 0; i < 2000; i++) t = flat.next();
    expect((t - start) / 2000).toBeGreaterThan(54_000);
    expect((t - start) / 2000).toBeLessThan(66_000);
    const shaped = new PoissonClock(new Rng(3), 60_000, start, dailyCycle(12, 0));
    const byHour = new Array<number>(24).fill(0);
    for (let i = 0; i < 5000; i++) {
      const h = Math.floor((shaped.next() % DAY) / HOUR);
      byHour[h] = (byHour[h] ?? 0) + 1;
    }
    expect(byHour[12]).toBeGreaterThan(5 * (byHour[0] ?? 0));
  });
});
