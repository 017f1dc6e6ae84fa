import { describe, expect, it } from 'vitest';
import { LOCKSTEP_MIN_COINCIDENCES, Lockstep } from './lockstep.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const SEC = 1000;
const HOUR = 3_600_000;

/** Feeds (account, ts) in ts order; returns every reported pair as "a-b" with the batch it came in. */
function feed(requests: Array<[number, number]>, l = new Lockstep()): string[] {
  const out: string[] = [];
  for (const [a, ts] of [...requests].sort((x, y) => x[1] - y[1])) {
    for (const b of l.observe(a, ts))
      out.push(`${Math.min(a, b)}-${Math.max(a, b)}@${Math.floor((ts - T0) / HOUR)}`);
  }
  return out;
}

/** A dispatcher's batches: every `every` ms, one request per account, `spread` ms apart. */
function batches(accounts: number, count: number, every: number, spread: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let k = 0; k < count; k++)
    for (let a = 0; a < accounts; a++) out.push([a, T0 + k * every + a * spread]);
  return out;
}

/** Deterministic uniform numbers in [0, 1). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('lockstep', () => {
  it('reports each pair of a batch dispatcher once, after enough batches', () => {
    const found = feed(batches(3, 20, HOUR, 900));
    expect(found.sort()).toEqual([
      `0-1@${LOCKSTEP_MIN_COINCIDENCES - 1}`,
      `0-2@${LOCKSTEP_MIN_COINCIDENCES - 1}`,
      `1-2@${LOCKSTEP_MIN_COINCIDENCES - 1}`,
    ]);
  });

  it('never pairs accounts whose requests are seconds apart anyway (busy, or in bursts)', () => {
    // Both every 10 s, aligned: they coincide on every request, as any two busy accounts would.
    expect(feed(batches(2, 2000, 10 * SEC, 500))).toEqual([]);
    // Bursts of 20 requests a few seconds apart, every hour, at the same moments: a lab's
    // parallel evaluation workers, not a dispatcher's one request per account.
    const bursts: Array<[number, number]> = [];
    for (let h = 0; h < 48; h++)
      for (let r = 0; r < 20; r++)
        for (let a = 0; a < 2; a++) bursts.push([a, T0 + h * HOUR + r * 3 * SEC + a * 700]);
    expect(feed(bursts)).toEqual([]);
  });

  it('does not pair independent accounts that each send every few minutes', () => {
    const next = lcg(7);
    const requests: Array<[number, number]> = [];
    for (let a = 0; a < 6; a++) {
      let t = T0;
      for (let k = 0; k < 2000; k++) {
        t += 60 * SEC + next() * 8 * 60 * SEC; // 1–9 minutes apart
        requests.push([a, t]);
      }
    }
    expect(feed(requests)).toEqual([]);
  });

  it('makes room in a full pair table by forgetting pairs that coincided by chance', () => {
    // Ten pairs of accounts that coincide once, then send 30 requests each at their own times:
    // far behind half their requests, they cannot qualify. A table of four pairs fills with them.
    const chance: Array<[number, number]> = [];
    for (let p = 0; p < 10; p++) {
      const a = 100 + 2 * p;
      chance.push([a, T0 + p * 10 * SEC], [a + 1, T0 + p * 10 * SEC + 500]);
      for (let k = 1; k <= 30; k++) {
        chance.push([a, T0 + k * HOUR + p * 97 * SEC], [a + 1, T0 + k * HOUR + p * 97 * SEC + 41 * SEC]);
      }
    }
    const dispatcher = batches(3, 20, HOUR, 900).map(([a, t]): [number, number] => [a, t + 40 * HOUR]);
    const l = new Lockstep({ pairCap: 4 });
    feed(chance, l);
    expect(feed(dispatcher, l).sort()).toEqual(['0-1@47', '0-2@47', '1-2@47']);
  });

  it('continues identically from its state', () => {
    const first = batches(3, 5, HOUR, 900);
    const rest = batches(3, 20, HOUR, 900).slice(first.length);
    const whole = new Lockstep();
    feed(first, whole);
    const copy = Lockstep.fromState(structuredClone(whole.toState()));
    expect(feed(rest, copy)).toEqual(feed(rest, whole));
  });
});
