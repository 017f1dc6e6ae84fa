import { describe, expect, it } from 'vitest';
import { germanAdjectivesInE, germanNouns, russianAdjectives, russianNouns } from './noun-forms.js';

describe('noun forms', () => {
  it('gives German nouns their genitive, plural and dative plural endings', () => {
    expect(germanNouns('zwischenschritt')).toEqual(
      expect.arrayContaining([
        'zwischenschritt',
        'zwischenschritte',
        'zwischenschritten',
        'zwischenschritts',
      ]),
    );
    expect(germanNouns('denkprozess')).toEqual(expect.arrayContaining(['denkprozesses', 'denkprozesse']));
    expect(germanNouns('gedankenkette')).toContain('gedankenketten');
    expect(germanAdjectivesInE('schrittweise')).toEqual(
      expect.arrayContaining([
        'schrittweise',
        'schrittweisen',
        'schrittweiser',
        'schrittweises',
        'schrittweisem',
      ]),
    );
  });

  it('gives Russian stems the endings of every declension', () => {
    expect(russianNouns('рассуждени')).toEqual(
      expect.arrayContaining(['рассуждение', 'рассуждения', 'рассуждений', 'рассуждением', 'рассуждениях']),
    );
    expect(russianNouns('уязвимост')).toEqual(
      expect.arrayContaining(['уязвимость', 'уязвимостью', 'уязвимостей']),
    );
    expect(russianNouns('код')).toEqual(expect.arrayContaining(['код', 'кода', 'кодом', 'кодов']));
    expect(russianAdjectives('пошагов')).toEqual(
      expect.arrayContaining(['пошагово', 'пошаговое', 'пошаговый', 'пошаговую']),
    );
  });

  it('lists each form once, however many stems share an ending', () => {
    for (const forms of [germanNouns('weg', 'wege'), russianNouns('код', 'код')]) {
      expect(new Set(forms).size).toBe(forms.length);
    }
  });
});
