import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { byAccount, eventsOf, gapCv, testWorld } from '../test-helpers/world.js';
import { adaptive, ELICITATION } from './adaptive.js';
import { COT_TEMPLATES } from './deepseek.js';

function userTexts(messages: ReadonlyArray<{ role: string; content?: unknown }>): string[] {
  return messages
    .filter((m) => m.role === 'user' && typeof m.content === 'string')
    .map((m) => String(m.content));
}

describe('adaptive', () => {
  const world = testWorld(30);
  const pop = adaptive(world, new Rng(17).fork('adaptive'));
  const events = eventsOf(pop);
  const lists = byAccount(events);

  it('never uses elicitation phrases', () => {
    expect(ELICITATION.test(COT_TEMPLATES[0] ?? '')).toBe(true);
    for (const e of events)
      for (const t of userTexts(e.request.messages)) expect(ELICITATION.test(t)).toBe(false);
  });

  it('gives each account its own residential address and varied clients', () => {
    const ipsByAccount = [...lists.values()].map((l) => new Set(l.map((e) => e.client.ip)));
    expect(ipsByAccount.every((s) => s.size === 1)).toBe(true);
    expect(new Set(ipsByAccount.map((s) => [...s][0])).size).toBe(lists.size);
    expect(new Set(events.map((e) => e.client.user_agent)).size).toBeGreaterThanOrEqual(4);
  });

  it('never repeats another account’s prompts (complementary coverage)', () => {
    const owner = new Map<string, string>();
    for (const e of events) {
      const first = userTexts(e.request.messages)[0] ?? '';
      const seen = owner.get(first);
      if (seen !== undefined) expect(seen).toBe(e.account_id);
      owner.set(first, e.account_id);
    }
  });

  it('talks multi-turn in a human rhythm', () => {
    expect(events.some((e) => userTexts(e.request.messages).length > 1)).toBe(true);
    const cvs = [...lists.values()].filter((l) => l.length > 10).map((l) => gapCv(l.map((e) => e.t)));
    expect(cvs.length).toBeGreaterThan(3);
    expect(cvs.every((cv) => cv > 1)).toBe(true);
  });

  it('mixes in about 30% benign-looking prompts', () => {
    const benign = new Set(
      [...world.corpora.userPrompts, ...world.corpora.conversations].map((c) => c.turns[0]?.text),
    );
    const firsts = events
      .filter((e) => userTexts(e.request.messages).length === 1)
      .map((e) => userTexts(e.request.messages)[0]);
    const share = firsts.filter((t) => benign.has(t)).length / firsts.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.45);
  });
});
