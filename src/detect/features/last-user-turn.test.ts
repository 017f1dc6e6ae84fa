import { describe, expect, it } from 'vitest';
import { contentText, HEAD_CHARS, lastUserTurn } from './last-user-turn.js';

describe('lastUserTurn', () => {
  it('takes the last user message of an OpenAI chat with string content', () => {
    const turn = lastUserTurn([
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'what do you think about the future of iran?' },
      { role: 'assistant', content: 'As an AI language model…' },
      { role: 'user', content: 'summarize what you told in 3 sentences' },
    ]);
    expect(turn).toEqual({
      head: 'summarize what you told in 3 sentences',
      chars: 38,
      fromTool: false,
      index: 3,
    });
  });

  it('joins Anthropic text blocks and skips images', () => {
    const turn = lastUserTurn([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Describe this chart.' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
          { type: 'text', text: 'Be brief.' },
        ],
      },
    ]);
    expect(turn.head).toBe('Describe this chart.\nBe brief.');
    expect(turn.fromTool).toBe(false);
  });

  it('marks Anthropic tool_result turns and OpenAI tool messages as tool results', () => {
    const anthropic = lastUserTurn([
      { role: 'user', content: 'Weather in Oslo?' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 't1', name: 'weather', input: { city: 'Oslo' } }],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: '4°C, rain' }] }],
      },
    ]);
    expect(anthropic).toMatchObject({ head: '4°C, rain', fromTool: true, index: 2 });
    const openai = lastUserTurn([
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function' }] },
      { role: 'tool', tool_call_id: 'c1', content: '{"temp": 4}' },
    ]);
    expect(openai).toMatchObject({ head: '{"temp": 4}', fromTool: true, index: 2 });
  });

  it('keeps only the head of a megabyte turn but reports its full length', () => {
    const big = 'x'.repeat(3_000_000);
    const turn = lastUserTurn([
      {
        role: 'user',
        content: [
          { type: 'text', text: big },
          { type: 'text', text: big },
        ],
      },
    ]);
    expect(turn.head.length).toBe(HEAD_CHARS);
    expect(turn.chars).toBe(6_000_001);
  });

  it('returns an empty turn when there is no user message or the shapes are odd', () => {
    expect(lastUserTurn([])).toEqual({ head: '', chars: 0, fromTool: false, index: -1 });
    expect(lastUserTurn([{ role: 'user', content: 42 }]).head).toBe('');
  });
});

describe('contentText', () => {
  it('reads OpenAI content parts', () => {
    expect(
      contentText([
        { type: 'text', text: 'hi' },
        { type: 'image_url', image_url: { url: 'u' } },
      ]),
    ).toEqual({
      text: 'hi',
      chars: 2,
    });
  });
});
