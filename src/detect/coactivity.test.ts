import { describe, expect, it } from 'vitest';
import { CoActivity } from './coactivity.js';

const H = 3_600_000;
const T0 = Date.parse('2026-01-05T00:00:00.000Z'); // a Monday
const hourOf = (ts: number): number => Math.floor(ts / H);

/** Activity every hour from `fromHour` for `hours` hours, skipping hours `skip` says to. */
function run(co: CoActivity, i: number, fromHour: number, hours: number, skip = (_h: number) => false): void {
  for (let h = fromHour; h < fromHour + hours; h++) if (!skip(h)) co.touch(i, T0 + h * H + 17 * 60_000);
}

/** Office hours, 09:00–17:00 UTC on weekdays (days 0–4 of each week). */
const offHours = (h: number): boolean => {
  const hourOfDay = h % 24;
  const day = Math.floor(h / 24) % 7;
  return hourOfDay < 9 || hourOfDay >= 17 || day >= 5;
};

describe('CoActivity', () => {
  it('links two round-the-clock accounts that switched on within hours of each other', () => {
    const co = new CoActivity();
    run(co, 0, 0, 240);
    run(co, 1, 5, 235);
    const now = hourOf(T0) + 239;
    expect(co.roundTheClock(0, now)).toBe(true);
    expect(co.synchronised(0, 1, now)).toBe(true);
  });

  it('does not link people who keep the same office hours (they never cover the night)', () => {
    const co = new CoActivity();
    run(co, 0, 0, 24 * 14, offHours);
    run(co, 1, 0, 24 * 14, offHours);
    const now = hourOf(T0) + 24 * 14 - 1;
    expect(co.window(0, now).activeHours).toBe(40);
    expect(co.roundTheClock(0, now)).toBe(false);
    expect(co.synchronised(0, 1, now)).toBe(false);
    expect(co.signature(0, now)).toBe(-1);
  });

  it('does not link round-the-clock accounts whose on/off transitions differ by days', () => {
    const co = new CoActivity();
    run(co, 0, 0, 200); // on from day 0 to day 8
    run(co, 1, 96, 144); // on from day 4 to day 10
    const now = hourOf(T0) + 239;
    expect(co.roundTheClock(1, now)).toBe(true);
    expect(co.synchronised(0, 1, now)).toBe(false);
  });

  it('forgets hours older than a week and idle hours in between', () => {
    const co = new CoActivity();
    run(co, 0, 0, 72);
    const later = hourOf(T0) + 72 + 200;
    co.touch(0, later * H);
    expect(co.window(0, later).activeHours).toBe(1);
    expect(co.activeAt(0, hourOf(T0) + 10)).toBe(false);
    expect(co.activeAt(0, later)).toBe(true);
  });

  it('gives synchronised accounts the same MinHash signature', () => {
    const co = new CoActivity();
    run(co, 0, 0, 240);
    run(co, 1, 0, 240, (h) => h % 97 === 0); // a missed hour here and there
    const now = hourOf(T0) + 239;
    expect(co.signature(0, now)).toBeGreaterThan(0);
    // Equal with probability ≈ Jaccard (0.98 here); this pair's hashes do agree.
    expect(co.signature(1, now)).toBe(co.signature(0, now));
  });

  it('grows for account indices beyond its initial size', () => {
    const co = new CoActivity();
    run(co, 5000, 0, 60);
    expect(co.window(5000, hourOf(T0) + 59).activeHours).toBe(60);
  });
});
