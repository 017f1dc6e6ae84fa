import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../contract/types.js';
import { continuity } from './continuity.js';
import { lastUserTurn } from './last-user-turn.js';
import { profileText } from './tokens.js';

function run(messages: WireMessage[]) {
  const turn = lastUserTurn(messages);
  return continuity(messages, turn.index, profileText(turn.head));
}

describe('continuity', () => {
  it('counts a single-turn request as one turn that builds on nothing', () => {
    expect(run([{ role: 'user', content: 'Explain the concept of cash flow.' }])).toEqual({
      userTurns: 1,
      buildsOnAnswer: false,
    });
  });

  it('sees follow-ups that refer back', () => {
    const history: WireMessage[] = [
      { role: 'user', content: 'Write a haiku about rain' },
      {
        role: 'assistant',
        content: 'Soft rain on the roof / the gutters hum all night long / morning smells of earth',
      },
    ];
    for (const text of [
      'Make it sadder',
      'summarize what you told in 3 sentences',
      'ty',
      'Why the gutters?',
    ]) {
      expect(run([...history, { role: 'user', content: text }]), text).toEqual({
        userTurns: 2,
        buildsOnAnswer: true,
      });
    }
  });

  it('sees a follow-up that reuses the answer content', () => {
    const messages: WireMessage[] = [
      { role: 'user', content: 'Which detectors are used after an HPLC?' },
      {
        role: 'assistant',
        content: 'Typical detectors are mass spectrometry, UV-Vis and fluorescence detectors.',
      },
      {
        role: 'user',
        content: 'What are the pros and cons of using a mass spectrometry detector for proteins?',
      },
    ];
    expect(run(messages).buildsOnAnswer).toBe(true);
  });

  it('does not link an unrelated new question to the previous answer', () => {
    const messages: WireMessage[] = [
      { role: 'user', content: 'Tell me about the Jedi war of Aztec.' },
      { role: 'assistant', content: 'There is no historical Jedi war; the Aztec empire fell in 1521.' },
      {
        role: 'user',
        content: 'List some ways I can leverage my degree in astrobiology for a career in industry.',
      },
    ];
    expect(run(messages)).toEqual({ userTurns: 2, buildsOnAnswer: false });
  });

  it('does not count tool-result turns as user turns', () => {
    const messages: WireMessage[] = [
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'weather', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: '4°C' }] },
    ];
    expect(run(messages).userTurns).toBe(1);
  });
});
