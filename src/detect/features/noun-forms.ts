/**
 * German and Russian inflect nouns and adjectives for case and number (Zwischenschritt,
 * Zwischenschritte, Zwischenschritten; рассуждение, рассуждения, рассуждений), and the cue
 * lexicons match whole words, so a one-word cue is listed in each form — as korean-particles.ts
 * lists Korean nouns with their particles. The forms come from the endings of each language's
 * declensions, not from any text: a generated string that is no real word never matches anything.
 * Umlaut plurals (Aufsatz, Aufsätze) and inserted vowels (оценка, оценок) are not generated.
 */

/** German noun endings: genitive -s/-es, plural -e/-er/-n/-en/-s, dative plural -n/-ern. */
const GERMAN_NOUN = ['', 'e', 'en', 'er', 'ern', 'es', 'n', 's'];

/** German adjective endings after a stem ending in -e (schrittweise, schrittweisen…). */
const GERMAN_ADJECTIVE_E = ['', 'm', 'n', 'r', 's'];

/** Russian noun endings of the three declensions, singular and plural, all cases. */
const RUSSIAN_NOUN = [
  '',
  'а',
  'я',
  'о',
  'е',
  'ы',
  'и',
  'у',
  'ю',
  'ь',
  'й',
  'ом',
  'ем',
  'ём',
  'ой',
  'ей',
  'ью',
  'ам',
  'ям',
  'ов',
  'ев',
  'ами',
  'ями',
  'ах',
  'ях',
];

/** Russian adjective endings (and -о, the adverb: пошагово). */
const RUSSIAN_ADJECTIVE = [
  'о',
  'ый',
  'ий',
  'ой',
  'ая',
  'яя',
  'ое',
  'ее',
  'ые',
  'ие',
  'ого',
  'его',
  'ому',
  'ему',
  'ым',
  'им',
  'ую',
  'юю',
  'ых',
  'их',
  'ыми',
  'ими',
];

/**
 * Every stem followed by every ending, each string once (korean-particles.ts builds its forms with
 * it too).
 *
 * @example
 * withEndings(['weg'], ['', 'e']); // ['weg', 'wege']
 */
export function withEndings(stems: readonly string[], endings: readonly string[]): string[] {
  return [...new Set(stems.flatMap((stem) => endings.map((ending) => stem + ending)))];
}

/**
 * Each German noun (given in the nominative singular) in its inflected forms.
 *
 * @example
 * germanNouns('zwischenschritt').includes('zwischenschritten'); // true
 */
export function germanNouns(...nouns: string[]): string[] {
  return withEndings(nouns, GERMAN_NOUN);
}

/**
 * Each German adjective or adverb ending in -e (schrittweise) with its declension endings.
 *
 * @example
 * germanAdjectivesInE('schrittweise').includes('schrittweisen'); // true
 */
export function germanAdjectivesInE(...words: string[]): string[] {
  return withEndings(words, GERMAN_ADJECTIVE_E);
}

/**
 * Each Russian noun stem (the noun without its ending: рассуждени for рассуждение) with every
 * noun ending.
 *
 * @example
 * russianNouns('рассуждени').includes('рассуждений'); // true
 */
export function russianNouns(...stems: string[]): string[] {
  return withEndings(stems, RUSSIAN_NOUN);
}

/**
 * Each Russian adjective stem (пошагов for пошаговый) with every adjective ending and -о.
 *
 * @example
 * russianAdjectives('пошагов').includes('пошаговое'); // true
 */
export function russianAdjectives(...stems: string[]): string[] {
  return withEndings(stems, RUSSIAN_ADJECTIVE);
}
