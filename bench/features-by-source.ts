/**
 * Feature check by corpus source: for each prompt file in ../shared/data/prompts, the mean
 * dataset-style score, the share scored dataset-style (≥ 0.5), the capability mix and the
 * elicitation/grading rates, on the first user turn and on the last (with history), and how many
 * first turns have a skeleton of their own (unrelated prompts must not share one). benign-*
 * (people chatting) should sit low on dataset style; distill-* and eval-* (query sets) high.
 *
 *   npx tsx bench/features-by-source.ts [--data ../shared/data]
 *
 * Prints a Markdown table (copied into docs/detector.md).
 */
import { parseArgs } from 'node:util';
import { extractFeatures } from '../src/detect/features/extract.js';
import { hamming, simhash } from '../src/detect/features/simhash.js';
import { CAPABILITIES, type Capability } from '../src/detect/features/types.js';
import { readSources, toEvent } from './features-corpus.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const { values } = parseArgs({ options: { data: { type: 'string', default: '../shared/data' } } });

function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${Math.round((100 * n) / d)}`;
}

const header = [
  'source',
  'n',
  'style 1st',
  '≥0.5 1st %',
  'style last',
  '≥0.5 last %',
  ...CAPABILITIES.map((c) => `${c} %`),
  'cot %',
  'rubric %',
  'multi-turn builds %',
  'distinct skeletons %',
];
const rows: string[][] = [];
for (const source of readSources(values.data ?? '../shared/data')) {
  const n = source.conversations.length;
  let styleFirst = 0;
  let hitsFirst = 0;
  let styleLast = 0;
  let hitsLast = 0;
  let cot = 0;
  let rubric = 0;
  let multi = 0;
  let builds = 0;
  const caps = new Map<Capability, number>();
  const skeletons = new Set<number>();
  source.conversations.forEach((conversation, i) => {
    const first = extractFeatures(toEvent(conversation, i, true));
    skeletons.add(first.skeleton);
    styleFirst += first.datasetStyle;
    if (first.datasetStyle >= 0.5) hitsFirst++;
    caps.set(first.capability, (caps.get(first.capability) ?? 0) + 1);
    if (first.cotElicitation >= 0.5) cot++;
    if (first.rubricGrading >= 0.5) rubric++;
    const last = extractFeatures(toEvent(conversation, i));
    styleLast += last.datasetStyle;
    if (last.datasetStyle >= 0.5) hitsLast++;
    if (last.userTurns > 1) {
      multi++;
      if (last.buildsOnAnswer) builds++;
    }
  });
  rows.push([
    source.name,
    String(n),
    (styleFirst / n).toFixed(2),
    pct(hitsFirst, n),
    (styleLast / n).toFixed(2),
    pct(hitsLast, n),
    ...CAPABILITIES.map((c) => pct(caps.get(c) ?? 0, n)),
    pct(cot, n),
    pct(rubric, n),
    multi === 0 ? '–' : `${pct(builds, multi)} (n=${multi})`,
    pct(skeletons.size, n),
  ]);
}
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);

// Near-duplicate check on the same prompts: one word replaced vs. unrelated pairs.
const prompts = readSources(values.data ?? '../shared/data')
  .flatMap((s) => s.conversations.map((c) => c.messages[0]?.content))
  .filter((t): t is string => typeof t === 'string' && t.split(/\s+/).length >= 20);
const edits: number[] = [];
const unrelated: number[] = [];
prompts.forEach((text, i) => {
  const words = text.split(' ');
  const at = Math.floor(words.length / 2);
  words[at] = 'zebra';
  edits.push(hamming(simhash(text), simhash(words.join(' '))));
  const other = prompts[(i * 7919 + 13) % prompts.length]!;
  if (other !== text) unrelated.push(hamming(simhash(text), simhash(other)));
});
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;
console.log(
  `\nSimHash on ${prompts.length} prompts of ≥ 20 words — one word replaced: median ${q(edits, 0.5)} bits, ` +
    `p90 ${q(edits, 0.9)}, p99 ${q(edits, 0.99)}; unrelated pairs: p1 ${q(unrelated, 0.01)}, median ${q(unrelated, 0.5)}.`,
);
