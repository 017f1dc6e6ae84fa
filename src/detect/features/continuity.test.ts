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

  it('reads follow-ups in other languages, and a new task after pasted history as new', () => {
    // [answer, last user turn, builds on the answer?]
    const cases: [string, string, boolean][] = [
      [
        '先算出买来的苹果：3盒乘以每盒4个，得到12个，再加上原来的5个，一共17个。',
        '为什么要乘起来？我还是没懂',
        true,
      ],
      [
        '人工智能是指让机器模拟人类智能的技术，包括学习、推理和感知等能力。',
        '能不能说得再简单一点，给小学生听的',
        true,
      ],
      [
        '人工智能是指让机器模拟人类智能的技术，包括学习、推理和感知等能力。',
        '请计算下列表达式的值：3×(4+5)-7，并写出完整的解题过程。',
        false,
      ],
      [
        '先算出买来的苹果：3盒乘以每盒4个，得到12个。',
        '一箱橘子有40个，小红第一天用去了一半，第二天又用去6个，箱子里还剩多少个？',
        false,
      ],
      [
        'まず買ったりんごの数を計算します。3箱×4個で12個です。',
        'どうして掛け算するんですか？もう少し詳しく',
        true,
      ],
      [
        'まず買ったりんごの数を計算します。3箱×4個で12個です。',
        '次の式の値を計算しなさい：3×(4+5)-7。',
        false,
      ],
      [
        '먼저 3상자에 4개씩이므로 12개이고, 원래 있던 5개를 더하면 17개입니다.',
        '왜 곱하는 거예요? 다시 설명해 주세요',
        true,
      ],
      [
        'Primero multiplicamos 3 cajas por 4 manzanas, son 12, luego sumamos 5.',
        '¿por qué multiplicamos? explícalo otra vez',
        true,
      ],
      [
        'Сначала умножим 3 коробки на 4 яблока, получим 12, затем прибавим 5.',
        'почему мы умножаем? объясни ещё раз, я не понял',
        true,
      ],
      [
        'Zuerst multiplizieren wir 3 Kisten mit 4 Äpfeln, das ergibt 12.',
        'warum genau so? kannst du das nochmal erklären',
        true,
      ],
    ];
    for (const [answer, turn, builds] of cases) {
      const messages: WireMessage[] = [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: answer },
        { role: 'user', content: turn },
      ];
      expect(run(messages).buildsOnAnswer, turn).toBe(builds);
    }
  });
});
