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
import { CAPABILITIES, type Capability } from '../src/detect/features/types.js';
import { readSources, toEvent } from './features-corpus.js';

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
