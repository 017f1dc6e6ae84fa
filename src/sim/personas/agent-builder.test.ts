import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { byAccount, eventsOf, testWorld } from '../test-helpers/world.js';
import { agentBuilder } from './agent-builder.js';

function hasToolResult(messages: ReadonlyArray<{ role: string; content?: unknown }>): boolean {
  return messages.some(
    (m) =>
      m.role === 'tool' ||
      (Array.isArray(m.content) && m.content.some((b: { type?: string }) => b.type === 'tool_result')),
  );
}

describe('agent-builder', () => {
  const world = testWorld(14);
  const pop = agentBuilder(world, new Rng(5).fork('agent-builder'), 10);
  const events = eventsOf(pop);

  it('declares tools and sends tool results back in agent loops', () => {
    expect(events.filter((e) => Array.isArray(e.request.tools)).length / events.length).toBeGreaterThan(0.8);
    expect(events.filter((e) => hasToolResult(e.request.messages)).length).toBeGreaterThan(10);
    expect(
      events.some(
        (e) => e.response?.finish_reason === 'tool_calls' || e.response?.finish_reason === 'tool_use',
      ),
    ).toBe(true);
  });

  it('sends a tool result within seconds of the call', () => {
    let checked = 0;
    for (const list of byAccount(events).values())
      for (let i = 1; i < list.length; i++) {
        const cur = list[i];
        const prev = list[i - 1];
        if (cur === undefined || prev === undefined || !hasToolResult(cur.request.messages)) continue;
        const last = cur.request.messages[cur.request.messages.length - 1];
        const isResultTurn = last?.role === 'tool' || Array.isArray(last?.content);
        if (!isResultTurn) continue;
        expect(cur.t - prev.t).toBeLessThan(60_000);
        checked++;
      }
    expect(checked).toBeGreaterThan(5);
  });
});
