/**
 * Checks the hand-set dataset-style weights against a logistic regression fitted on the same
 * generic features, validated leave-one-source-out: for each corpus file, fit on all the
 * others and score the held-out one, so every prediction is on a source the model never saw.
 * Labels: benign-* turns (first turns and real follow-ups) = conversational (0); distill-* and
 * eval-* query sets = dataset-style (1). distill-toolcall is left out: it is synthetic
 * conversational text, so either label would be wrong.
 *
 *   npx tsx scripts/train-style.ts [--data ../shared/data]
 *
 * Prints per-source means and the pooled out-of-source AUC of both weight sets, plus the
 * weights fitted on all sources. Adopt fitted weights only if they clearly win out of source.
 */
import { parseArgs } from 'node:util';
import { readSources, toEvent } from '../bench/features-corpus.js';
import { reportErrors } from '../bench/script-errors.js';
import { STYLE_FEATURES, STYLE_WEIGHTS, styleFeatures } from '../src/detect/features/dataset-style.js';
import { lastUserTurn } from '../src/detect/features/last-user-turn.js';
import { profileText } from '../src/detect/features/tokens.js';

reportErrors(import.meta.url);

const { values } = parseArgs({ options: { data: { type: 'string', default: '../shared/data' } } });

interface Row {
  source: string;
  x: number[];
  y: number;
}

const rows: Row[] = [];
for (const source of readSources(values.data ?? '../shared/data')) {
  if (source.name === 'distill-toolcall') continue;
  const y = source.name.startsWith('benign-') ? 0 : 1;
  source.conversations.forEach((conversation, i) => {
    for (const firstOnly of y === 0 ? [true, false] : [true]) {
      const e = toEvent(conversation, i, firstOnly);
      const messages = e.request.messages;
      const userTurns = messages.filter((m) => m.role === 'user').length;
      if (!firstOnly && userTurns < 2) continue;
      const turn = lastUserTurn(messages);
      rows.push({
        source: source.name,
        x: Array.from(styleFeatures(profileText(turn.head), { userTurns })),
        y,
      });
    }
  });
}

function score(w: readonly number[], x: number[]): number {
  let z = w[0]!;
  for (let k = 0; k < x.length; k++) z += w[k + 1]! * x[k]!;
  return 1 / (1 + Math.exp(-z));
}

/** L2-regularised logistic regression by full-batch gradient descent, classes weighted equally. */
function fitLogistic(train: Row[]): number[] {
  const d = STYLE_FEATURES.length;
  const w = new Array<number>(d + 1).fill(0);
  const pos = train.filter((r) => r.y === 1).length;
  const neg = train.length - pos;
  for (let iter = 0; iter < 400; iter++) {
    const g = new Array<number>(d + 1).fill(0);
    for (const r of train) {
      const err = (score(w, r.x) - r.y) * (r.y === 1 ? 0.5 / pos : 0.5 / neg);
      g[0]! += err;
      for (let k = 0; k < d; k++) g[k + 1]! += err * r.x[k]!;
    }
    for (let k = 0; k <= d; k++) w[k] = w[k]! - 2 * (g[k]! + (k > 0 ? 1e-3 * w[k]! : 0));
  }
  return w;
}

function auc(pairs: { p: number; y: number }[]): number {
  const sorted = [...pairs].sort((a, b) => a.p - b.p);
  let rankSum = 0;
  let pos = 0;
  sorted.forEach((s, i) => {
    if (s.y === 1) {
      rankSum += i + 1;
      pos++;
    }
  });
  const neg = sorted.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

const sources = [...new Set(rows.map((r) => r.source))];
const hand: { p: number; y: number }[] = [];
const fitted: { p: number; y: number }[] = [];
console.log('| held-out source | rows | mean hand | mean fitted (trained without it) |');
console.log('| --- | ---: | ---: | ---: |');
for (const held of sources) {
  const w = fitLogistic(rows.filter((r) => r.source !== held));
  const test = rows.filter((r) => r.source === held);
  let h = 0;
  let f = 0;
  for (const r of test) {
    const ph = score(STYLE_WEIGHTS, r.x);
    const pf = score(w, r.x);
    h += ph;
    f += pf;
    hand.push({ p: ph, y: r.y });
    fitted.push({ p: pf, y: r.y });
  }
  console.log(
    `| ${held} | ${test.length} | ${(h / test.length).toFixed(2)} | ${(f / test.length).toFixed(2)} |`,
  );
}
console.log(
  `\nPooled out-of-source AUC (query set vs conversation): hand ${auc(hand).toFixed(3)}, fitted ${auc(fitted).toFixed(3)}`,
);
const all = fitLogistic(rows);
console.log(`Weights fitted on all sources (bias first): [${all.map((v) => v.toFixed(2)).join(', ')}]`);
console.log(`Hand weights:                               [${STYLE_WEIGHTS.join(', ')}]`);
