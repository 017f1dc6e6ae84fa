/**
 * A kept `simulate` output with one population's prompt frames translated into another language
 * (bench/frame-translations.ts), everything else the same: run `bench --data-dir` on the original
 * and the copy to see what asking in that language changes. Frames exist for deepseek (whose
 * prompts are all framed) and for the evaluation harnesses' GSM8K format.
 *
 * Usage: npx tsx bench/translate-frames.ts <simulate-dir> <out-dir> <zh|ja|fr|de|ru|es> [deepseek|eval-harness]
 */
import type { ExchangeEvent } from '../src/contract/types.js';
import { FRAME_SETS, frameTranslator } from './frame-translations.js';
import { rewriteSimulation } from './rewrite-simulation.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const [dir, outDir, language, group = 'deepseek'] = process.argv.slice(2);
if (dir === undefined || outDir === undefined || language === undefined) {
  throw new Error('needs <simulate-dir> <out-dir> <language> [group]');
}
const set = FRAME_SETS[group];
if (set === undefined)
  throw new Error(`no frames for "${group}" (have ${Object.keys(FRAME_SETS).join(', ')})`);
const frames = set.translations[language];
if (frames === undefined) {
  throw new Error(`no translations for "${language}" (have ${Object.keys(set.translations).join(', ')})`);
}
const translate = frameTranslator(set.english, frames);

/** Translates the last message's text in place; true when a frame matched. */
function translateLast(event: ExchangeEvent): boolean {
  const messages = event.request.messages;
  const last = Array.isArray(messages) ? messages[messages.length - 1] : undefined;
  if (last === undefined || typeof last.content !== 'string') return false;
  const translated = translate(last.content);
  if (translated === undefined) return false;
  last.content = translated;
  return true;
}

const n = await rewriteSimulation(dir, outDir, group, translateLast);
process.stdout.write(
  `${outDir}: ${n.rewritten} of ${n.exchanges} ${group} exchanges framed in ${language}\n`,
);
