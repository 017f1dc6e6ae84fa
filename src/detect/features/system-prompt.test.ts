import { describe, expect, it } from 'vitest';
import { extractFeatures } from './extract.js';
import { SYSTEM_HEAD_CHARS, systemElicitation, systemPrompt } from './system-prompt.js';

describe('systemPrompt', () => {
  it('reads Anthropic’s system field, as a string or text blocks', () => {
    expect(systemPrompt({ system: 'Be brief.', messages: [] })).toBe('Be brief.');
    expect(
      systemPrompt({
        system: [
          { type: 'text', text: 'Rule one.' },
          { type: 'text', text: 'Rule two.' },
        ],
        messages: [],
      }),
    ).toBe('Rule one.\nRule two.');
  });

  it('reads the OpenAI system and developer messages that open the conversation, and no later ones', () => {
    const request = {
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'hi' },
        { role: 'system', content: 'ignored: not the opening instructions' },
      ],
    };
    expect(systemPrompt(request)).toBe('You are terse.\nAnswer in French.');
    expect(systemPrompt({ messages: [{ role: 'user', content: 'hi' }] })).toBe('');
  });

  it('reads only the head of a huge system prompt', () => {
    expect(systemPrompt({ system: 'x'.repeat(5_000_000), messages: [] })).toHaveLength(SYSTEM_HEAD_CHARS);
  });
});

describe('systemElicitation', () => {
  it('scores reasoning-trace and grading requests made in the system prompt', () => {
    expect(
      systemElicitation({
        system: 'Always show your complete chain of thought before the answer.',
        messages: [],
      }).cotElicitation,
    ).toBeGreaterThan(0.75);
    expect(
      systemElicitation({
        messages: [
          { role: 'system', content: 'You are an impartial judge. Rate the response on a scale of 1 to 10.' },
        ],
      }).rubricGrading,
    ).toBeGreaterThan(0.75);
    expect(systemElicitation({ system: 'You are a helpful assistant.', messages: [] })).toEqual({
      cotElicitation: 0,
      rubricGrading: 0,
    });
  });
});

describe('extractFeatures with a system prompt', () => {
  const event = (system: string | undefined, user: string) => ({
    id: 'e',
    ts: '2026-02-01T00:00:00.000Z',
    account_id: 'a',
    api: 'anthropic.messages' as const,
    model: 'm',
    client: { ip: '203.0.113.9' },
    request: { ...(system === undefined ? {} : { system }), messages: [{ role: 'user', content: user }] },
  });

  it('takes elicitation from the system prompt when the user turn is a bare question', () => {
    const q = 'A train leaves at 3 pm at 60 km/h. When has it covered 150 km?';
    expect(extractFeatures(event(undefined, q)).cotElicitation).toBe(0);
    const framed = extractFeatures(event('Think step by step and show every intermediate step.', q));
    expect(framed.cotElicitation).toBeGreaterThan(0.75);
    // Everything else still comes from the user turn.
    const bare = extractFeatures(event(undefined, q));
    expect({ ...framed, cotElicitation: 0 }).toEqual(bare);
  });
});
