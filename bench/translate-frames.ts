/**
 * A kept `simulate` output with one campaign's prompt frames translated into another language
 * (bench/frame-translations.ts), everything else byte for byte the same: run `bench --data-dir`
 * on the original and the copy to see what asking in that language changes. Frames exist for
 * deepseek, the campaign whose prompts are all framed.
 *
 * Usage: npx tsx bench/translate-frames.ts <simulate-dir> <out-dir> <zh|ja|fr|de|ru|es>
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openEvents, openLabels } from '../src/contract/read-jsonl.js';
import type { ExchangeEvent } from '../src/contract/types.js';
import { createJsonlWriter } from '../src/contract/write-jsonl.js';
import { inputFiles } from '../src/sim/bench-run.js';
import { DEEPSEEK_FRAMES, frameTranslator, TRANSLATIONS } from './frame-translations.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const [dir, outDir, language] = process.argv.slice(2);
if (dir === undefined || outDir === undefined || language === undefined) {
  throw new Error('needs <simulate-dir> <out-dir> <language>');
}
const frames = TRANSLATIONS[language];
if (frames === undefined) {
  throw new Error(`no translations for "${language}" (have ${Object.keys(TRANSLATIONS).join(', ')})`);
}
const translate = frameTranslator(DEEPSEEK_FRAMES, frames);

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

const files = inputFiles(dir);
const members = new Set<string>();
for await (const l of openLabels(files.labels)) if (l.campaign === 'deepseek') members.add(l.account_id);
mkdirSync(outDir, { recursive: true });
copyFileSync(files.labels, join(outDir, 'labels.jsonl'));
if (files.accounts !== null) copyFileSync(files.accounts, join(outDir, 'accounts.jsonl'));
const out = createJsonlWriter(join(outDir, 'events.jsonl.gz'));
let exchanges = 0;
let translated = 0;
for await (const event of openEvents(files.events)) {
  if (members.has(event.account_id)) {
    exchanges++;
    if (translateLast(event)) translated++;
  }
  await out.write(event);
}
await out.close();
process.stdout.write(`${outDir}: ${translated} of ${exchanges} deepseek exchanges framed in ${language}\n`);
