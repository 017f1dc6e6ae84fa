import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { byAccount, eventsOf, lastUserText, testWorld } from '../test-helpers/world.js';
import { evalHarness } from './eval-harness.js';

describe('eval-harness', () => {
  const world = testWorld(14);
  const pop = evalHarness(world, new Rng(4).fork('eval-harness'), 6);
  const events = eventsOf(pop);

  it('sends evaluation items single-turn in dataset order', () => {
    expect(events.every((e) => e.request.messages.filter((m) => m.role === 'user').length === 1)).toBe(true);
    const gsm = world.corpora.evals.gsm8k.map((c) => c.turns[0]?.text ?? '');
    const list = [...byAccount(events).values()].find((l) =>
      l.some((e) => lastUserText(e).startsWith('Question: ')),
    );
    expect(list).toBeDefined();
    const first = lastUserText(list?.[0] as (typeof events)[number]);
    expect(gsm.some((q) => first.includes(q)) || first.startsWith('Complete the following')).toBe(true);
  });

  it('comes in bursts: most requests within seconds of the previous one', () => {
    let short = 0;
    let total = 0;
    for (const list of byAccount(events).values())
      for (let i = 1; i < list.length; i++) {
        total++;
        if ((list[i]?.t ?? 0) - (list[i - 1]?.t ?? 0) < 60_000) short++;
      }
    expect(total).toBeGreaterThan(100);
    expect(short / total).toBeGreaterThan(0.95);
  });

  it('uses deterministic decoding or n samples', () => {
    expect(
      events.every(
        (e) => e.request.temperature === 0 || Number(e.request.n ?? 1) > 1 || e.api === 'anthropic.messages',
      ),
    ).toBe(true);
  });
});
