/**
 * Feature-extraction speed: µs per event for `extractFeatures` on (a) events whose last user
 * turn is ~1 KB, built by joining real corpus prompts (the detector's speed bar is stated for
 * ~1 KB prompts), and (b) the corpus conversations as they are (history included). Also times
 * the main stages and, as a yardstick for this machine, a bare FNV-1a loop over 1 KB, since the
 * machine is shared and absolute figures drift with load. Medians of several rounds.
 *
 *   npx tsx bench/features.ts [--data ../shared/data] [--events 20000] [--rounds 7]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { ExchangeEvent } from '../src/contract/types.js';
import { capability } from '../src/detect/features/capability.js';
import { asnKind, subnetOf, uaFamily } from '../src/detect/features/client.js';
import { datasetStyle } from '../src/detect/features/dataset-style.js';
import { elicitation } from '../src/detect/features/elicitation.js';
import { extractFeatures } from '../src/detect/features/extract.js';
import { lastUserTurn } from '../src/detect/features/last-user-turn.js';
import { outputHunger } from '../src/detect/features/output-hunger.js';
import { simhashWords } from '../src/detect/features/simhash.js';
import { skeleton } from '../src/detect/features/skeleton.js';
import { profileText } from '../src/detect/features/tokens.js';
import { median } from './bench-args.js';
import { readSources, toEvent } from './features-corpus.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    events: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '7' },
  },
});
const count = Number(values.events);
const rounds = Number(values.rounds);
if (!Number.isInteger(count) || count <= 0 || !Number.isInteger(rounds) || rounds <= 0) {
  console.error('--events and --rounds must be positive integers');
  process.exit(2);
}

const sources = readSources(values.data ?? '../shared/data');
const conversations = sources.flatMap((s) => s.conversations);
const corpusEvents = conversations.map((c, i) => asParsed(toEvent(c, i)));
const firstPrompts = corpusEvents
  .map((e) => e.request.messages.find((m) => m.role === 'user')?.content)
  .filter((c): c is string => typeof c === 'string' && c.length > 0);

/**
 * The event as a reader would hand it over: parsed from JSON, so its strings are flat (built by
 * concatenation and slicing they would be ropes and slices, which read slower per character).
 */
function asParsed(e: ExchangeEvent): ExchangeEvent {
  return JSON.parse(JSON.stringify(e)) as ExchangeEvent;
}

/** ~1 KB last user turns made of real prompts joined by blank lines (different prompts per event). */
function kilobyteEvents(n: number): ExchangeEvent[] {
  const out: ExchangeEvent[] = [];
  let cursor = 0;
  for (let i = 0; i < n; i++) {
    let text = '';
    while (text.length < 1000) {
      text += `${firstPrompts[cursor % firstPrompts.length]}\n\n`;
      cursor += 7;
    }
    const e = toEvent({ messages: [{ role: 'user', content: text.slice(0, 1100) }] }, i);
    e.request.max_tokens = 1024;
    out.push(asParsed(e));
  }
  return out;
}

/** Median µs per item of `fn` over `items`, after one warm-up pass. */
function time<T>(items: readonly T[], fn: (item: T) => unknown): number {
  let sink = 0;
  for (const item of items) if (fn(item) !== undefined) sink++;
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    for (const item of items) if (fn(item) !== undefined) sink++;
    samples.push(((performance.now() - started) * 1000) / items.length);
  }
  if (sink < 0) console.log(sink); // keeps the calls observable
  return median(samples);
}

function fnvLoop(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const kb = kilobyteEvents(count);
const kbTexts = kb.map((e) => String(e.request.messages[0]?.content ?? ''));
const corpus = corpusEvents.slice(0, count);
const meanChars = (texts: string[]) => Math.round(texts.reduce((a, t) => a + t.length, 0) / texts.length);

const rows: [string, number][] = [
  ['yardstick: bare FNV-1a over the same ~1 KB text', time(kbTexts, fnvLoop)],
  ['extractFeatures, ~1 KB last user turn', time(kb, extractFeatures)],
  ['  stage: profileText (word hashes + shape)', time(kbTexts, (t) => profileText(t))],
  [
    '  stage: simhash (incl. profile)',
    time(kbTexts, (t) => {
      const p = profileText(t);
      return simhashWords(p.hashes, p.words);
    }),
  ],
  ['  stage: skeleton', time(kbTexts, skeleton)],
  [
    '  stage: cue scores (capability, dataset style, elicitation; incl. profile)',
    time(kbTexts, (t) => {
      const p = profileText(t);
      const style = datasetStyle(p, { userTurns: 1 });
      elicitation(p, { messages: [] });
      return capability(p, { toolCount: 0, fromTool: false, datasetStyle: style, codeFence: false });
    }),
  ],
  [
    '  stage: lastUserTurn + outputHunger + client fields',
    time(kb, (e) => [
      lastUserTurn(e.request.messages),
      outputHunger(e.request),
      uaFamily(e.client.user_agent),
      subnetOf(e.client.ip),
      asnKind(e.client.asn, e.client.asn_org),
    ]),
  ],
  [`extractFeatures, corpus conversations as-is (${corpus.length})`, time(corpus, extractFeatures)],
];

/** Per-round ratio extract / yardstick, measured back to back, so machine load cancels out. */
function interleavedRatio(): number {
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let started = performance.now();
    let sink = 0;
    for (const t of kbTexts) sink ^= fnvLoop(t);
    const yard = performance.now() - started;
    started = performance.now();
    for (const e of kb) if (extractFeatures(e).skeleton === sink) sink++;
    ratios.push((performance.now() - started) / yard);
  }
  return median(ratios);
}
const ratio = interleavedRatio();

console.log(
  `node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${count} events, median of ${rounds} rounds`,
);
console.log(`~1 KB turns: mean ${meanChars(kbTexts)} chars`);
console.log('| measurement | µs/event | events/s |');
console.log('| --- | ---: | ---: |');
for (const [name, us] of rows)
  console.log(`| ${name} | ${us.toFixed(2)} | ${Math.round(1e6 / us).toLocaleString('en-US')} |`);
console.log(
  `\nextractFeatures costs ${ratio.toFixed(1)}× the bare FNV-1a pass over the same ~1 KB text ` +
    '(median of per-round ratios, measured back to back so machine load largely cancels).',
);
