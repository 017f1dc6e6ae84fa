import { describe, expect, it } from 'vitest';
import { FRAME_SETS, frameTranslator } from './frame-translations.js';

describe('frameTranslator', () => {
  it('keeps the fillings of whichever frame made the prompt', () => {
    const translate = frameTranslator(
      ['Question: {q}\nAnswer A: {a}\nAnswer B: {b}', '{q} (show work)'],
      ['问题：{q}\n回答A：{a}\n回答B：{b}', '{q}（写出过程）'],
    );
    expect(translate('Question: 2+2? (really)\nAnswer A: 4\nAnswer B: 5')).toBe(
      '问题：2+2? (really)\n回答A：4\n回答B：5',
    );
    expect(translate('Why? (show work)')).toBe('Why?（写出过程）');
    expect(translate('an unframed prompt')).toBeUndefined();
  });

  it('has every frame of every set in every language, with the same fillings', () => {
    const slots = (frame: string) => (frame.match(/\{[qab]\}/g) ?? []).sort().join();
    for (const [group, set] of Object.entries(FRAME_SETS)) {
      for (const [language, frames] of Object.entries(set.translations)) {
        expect(frames.map(slots), `${group} ${language}`).toEqual(set.english.map(slots));
      }
    }
  });
});
