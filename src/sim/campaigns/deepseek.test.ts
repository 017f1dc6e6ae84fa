import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { eventsOf, lastUserText, testWorld } from '../test-helpers/world.js';
import { HOUR } from '../timing.js';
import { deepseek } from './deepseek.js';

describe('deepseek', () => {
  const world = testWorld(14);
  const pop = deepseek(world, new Rng(11).fork('deepseek'));
  const events = eventsOf(pop);

  it('has several accounts on shared payment, created together', () => {
    expect(pop.accounts.length).toBeGreaterThanOrEqual(6);
    expect(new Set(pop.accounts.map((a) => a.payment_fingerprint)).size).toBeLessThanOrEqual(2);
    const created = pop.accounts.map((a) => Date.parse(a.created_at));
    expect(Math.max(...created) - Math.min(...created)).toBeLessThan(2 * HOUR);
    expect(pop.labels.every((l) => l.label === 'attack' && l.campaign === 'deepseek')).toBe(true);
  });

  it('load-balances: requests cycle through the accounts round-robin in synchronized batches', () => {
    const n = pop.accounts.length;
    const order = events.slice(0, n).map((e) => e.account_id);
    expect(new Set(order).size).toBe(n);
    for (let i = 0; i + n <= Math.min(events.length, 50 * n); i += n) {
      const batch = events.slice(i, i + n);
      expect(batch.map((e) => e.account_id)).toEqual(order);
      expect((batch[n - 1]?.t ?? 0) - (batch[0]?.t ?? 0)).toBeLessThan(n * 400);
    }
  });

  it('asks for reasoning traces and rubric grading with output-hungry options', () => {
    const texts = events.map(lastUserText);
    const cot = texts.filter((t) =>
      /internal reasoning|every (intermediate )?step|reasoning trace|step-by-step internal/i.test(t),
    ).length;
    const rubric = texts.filter((t) => /rubric|reward model|score/i.test(t)).length;
    expect(cot / texts.length).toBeGreaterThan(0.3);
    expect(rubric / texts.length).toBeGreaterThan(0.2);
    expect(
      events.every((e) => e.request.thinking !== undefined || e.request.reasoning_effort !== undefined),
    ).toBe(true);
    expect(events.length).toBe(1500);
  });
});
