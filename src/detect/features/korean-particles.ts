/**
 * Korean writes case and topic particles onto the noun (취약점을, "the vulnerability" as object),
 * and the cue lexicons match whole spaced words, so a Korean cue is listed in each form.
 */
import { withEndings } from './noun-forms.js';

/** Particles that may follow a noun: none, object, subject, topic, genitive, and the common postpositions. */
const PARTICLES = [
  '',
  '을',
  '를',
  '이',
  '가',
  '은',
  '는',
  '의',
  '로',
  '으로',
  '에',
  '에서',
  '와',
  '과',
  '도',
];

/**
 * Each noun (or phrase ending in a noun) in each particle-bearing form.
 *
 * @example
 * withParticles('확률').includes('확률을'); // true
 */
export function withParticles(...nouns: string[]): string[] {
  return withEndings(nouns, PARTICLES);
}
