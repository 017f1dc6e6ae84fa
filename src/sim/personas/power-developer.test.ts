import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { eventsOf, lastUserText, testWorld } from '../test-helpers/world.js';
import { powerDeveloper } from './power-developer.js';

describe('power-developer', () => {
  const world = testWorld(21);
  const pop = powerDeveloper(world, new Rng(2).fork('power-developer'), 12);
  const events = eventsOf(pop);

  it('works multi-turn on code with follow-ups about the previous answer', () => {
    const followUps = events.filter((e) => e.request.messages.filter((m) => m.role === 'user').length > 1);
    expect(followUps.length / events.length).toBeGreaterThan(0.2);
    expect(events.some((e) => /fix it|unit tests|empty input|async/.test(lastUserText(e)))).toBe(true);
  });

  it('asks for a lot of output and sometimes experiments with thinking, n or logprobs', () => {
    const maxTokens = events.map((e) => Number(e.request.max_tokens ?? 0));
    expect(Math.min(...maxTokens)).toBeGreaterThanOrEqual(4096);
    expect(
      events.some((e) => e.request.thinking !== undefined || e.request.reasoning_effort !== undefined),
    ).toBe(true);
  });

  it('is busier than a casual user', () => {
    expect(events.length / pop.accounts.length).toBeGreaterThan(20);
  });
});
