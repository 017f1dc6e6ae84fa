import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { byAccount, eventsOf, gapCv, testWorld } from '../test-helpers/world.js';
import { casualChat } from './casual-chat.js';

describe('casual-chat', () => {
  const world = testWorld(21);
  const pop = casualChat(world, new Rng(1).fork('casual-chat'), 40);
  const events = eventsOf(pop);

  it('labels every account benign/casual-chat and records home sign-ups', () => {
    expect(pop.labels.every((l) => l.label === 'benign' && l.persona === 'casual-chat')).toBe(true);
    expect(pop.accounts).toHaveLength(40);
    expect(events.length).toBeGreaterThan(40);
  });

  it('replays conversations turn by turn, each turn carrying the earlier answer', () => {
    let followUps = 0;
    for (const list of byAccount(events).values()) {
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1];
        const cur = list[i];
        if (prev === undefined || cur === undefined) continue;
        const msgs = cur.request.messages;
        if (msgs.filter((m) => m.role === 'user').length < 2) continue;
        // The answer logged for the previous turn is the assistant message now in context.
        const answer = msgs[msgs.length - 2];
        const logged = (prev.response?.text ?? '').replace(/…$/, '');
        expect(answer?.role).toBe('assistant');
        expect(String(answer?.content).startsWith(logged)).toBe(true);
        followUps++;
      }
    }
    expect(followUps).toBeGreaterThan(10);
  });

  it('has a bursty human rhythm, not a fixed period', () => {
    const cvs = [...byAccount(events).values()]
      .filter((l) => l.length > 5)
      .map((l) => gapCv(l.map((e) => e.t)));
    expect(cvs.length).toBeGreaterThan(3);
    expect(cvs.filter((cv) => cv > 1).length / cvs.length).toBeGreaterThan(0.7);
  });
});
