/**
 * A/B check of feature extraction against an earlier commit: exports `src/` of `--ref` into a
 * temporary directory, loads both versions in one process and compares every feature of every
 * event (Object.is per field), over event files (the speed file, a simulated stream) and over
 * fuzzed events. The text-level functions (profileText, simhash, skeleton) are
 * compared on the fuzzed texts too, so a difference shows where it starts. Then it times both
 * extractors over the first file's events in alternating rounds (CPU time, medians).
 * Exits 1 on any difference.
 *
 *   npx tsx bench/features-ab.ts --ref 51e17d7 [--events FILE]... [--limit N] [--fuzz N] [--seed S] [--rounds R]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openEvents } from '../src/contract/read-jsonl.js';
import type { ExchangeEvent } from '../src/contract/types.js';
import * as extractNew from '../src/detect/features/extract.js';
import * as simhashNew from '../src/detect/features/simhash.js';
import * as skeletonNew from '../src/detect/features/skeleton.js';
import * as tokensNew from '../src/detect/features/tokens.js';
import { median, positiveInt } from './bench-args.js';
import { fuzzEvent, fuzzText, rng } from './features-fuzz.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

type Extract = typeof extractNew.extractFeatures;

/** The functions compared, as one version exports them. */
interface Version {
  extractFeatures: Extract;
  profileText: typeof tokensNew.profileText;
  simhash: typeof simhashNew.simhash;
  skeleton: typeof skeletonNew.skeleton;
}

/** Loads the feature modules of `ref` from a `git archive` of its src/ (removed on exit). */
async function loadRef(ref: string): Promise<Version> {
  if (!/^[\w./~^-]+$/.test(ref)) throw new Error(`--ref ${ref}: not a plain git revision`);
  const dir = mkdtempSync(join(tmpdir(), 'dg-ab-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  // package.json and tsconfig.json too: without them tsx would compile the copy as CommonJS with
  // other class-field semantics, and the timing would compare compilers, not code.
  const tar = execFileSync('git', ['archive', '--format=tar', ref, 'src', 'package.json', 'tsconfig.json'], {
    maxBuffer: 1 << 30,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  const load = (file: string): Promise<Record<string, unknown>> =>
    import(pathToFileURL(join(dir, 'src/detect/features', file)).href);
  const [e, t, s, k] = await Promise.all([
    load('extract.ts'),
    load('tokens.ts'),
    load('simhash.ts'),
    load('skeleton.ts'),
  ]);
  return {
    extractFeatures: e.extractFeatures as Version['extractFeatures'],
    profileText: t.profileText as Version['profileText'],
    simhash: s.simhash as Version['simhash'],
    skeleton: k.skeleton as Version['skeleton'],
  };
}

/** Differences found, per field, with the first few cases kept for the report. */
class Diffs {
  readonly byField = new Map<string, number>();
  readonly examples: string[] = [];
  /** Fields the old version had and the new one dropped (reported, not counted as differences). */
  readonly dropped = new Set<string>();

  /** Compares two flat records field by field (the old record's fields; new extra fields are fine). */
  compare(what: string, a: object, b: object): void {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    for (const key of Object.keys(ra)) {
      if (!(key in rb)) {
        this.dropped.add(key);
        continue;
      }
      const va = ra[key];
      const vb = rb[key];
      const same =
        va instanceof Int32Array && vb instanceof Int32Array
          ? va.length === vb.length && va.every((x, i) => x === vb[i])
          : Object.is(va, vb);
      if (same) continue;
      this.byField.set(key, (this.byField.get(key) ?? 0) + 1);
      if (this.examples.length < 8) this.examples.push(`${what}: ${key} old ${String(va)} new ${String(vb)}`);
    }
  }

  get total(): number {
    let n = 0;
    for (const v of this.byField.values()) n += v;
    return n;
  }
}

/** Compares old and new features of every event in `path` (at most `limit`). */
async function compareFile(path: string, limit: number, old: Version, diffs: Diffs): Promise<number> {
  let n = 0;
  for await (const batch of openEvents(path).batches()) {
    for (const e of batch) {
      if (n >= limit) return n;
      diffs.compare(`${path} ${e.id}`, old.extractFeatures(e), extractNew.extractFeatures(e));
      n++;
    }
  }
  return n;
}

/** Compares the text functions and whole events on `count` fuzzed cases. */
function compareFuzz(count: number, seed: number, real: readonly string[], old: Version, diffs: Diffs): void {
  const next = rng(seed);
  for (let i = 0; i < count; i++) {
    const text = fuzzText(next, real);
    const what = `fuzz text ${i} (seed ${seed})`;
    const pa = old.profileText(text);
    diffs.compare(what, { ...pa, hashes: pa.hashes.slice() }, tokensNew.profileText(text));
    diffs.compare(what, old.simhash(text), simhashNew.simhash(text));
    diffs.compare(what, { skeleton: old.skeleton(text) }, { skeleton: skeletonNew.skeleton(text) });
    const event = fuzzEvent(next, i, real);
    diffs.compare(
      `fuzz event ${i} (seed ${seed})`,
      old.extractFeatures(event),
      extractNew.extractFeatures(event),
    );
  }
}

/** CPU µs per event of `fn` over `events`. */
function cpuPerEvent(events: readonly ExchangeEvent[], fn: Extract): number {
  const before = process.cpuUsage();
  let sink = 0;
  for (const e of events) sink += fn(e).skeleton & 1;
  const used = process.cpuUsage(before);
  if (sink < 0) console.log(sink); // keeps the calls observable
  return (used.user + used.system) / events.length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ref: { type: 'string' },
      events: { type: 'string', multiple: true, default: [] },
      limit: { type: 'string' },
      fuzz: { type: 'string' },
      seed: { type: 'string' },
      rounds: { type: 'string' },
    },
  });
  if (values.ref === undefined) throw new Error('--ref REV is required (the commit to compare with)');
  const limit = positiveInt('--limit', values.limit, Number.MAX_SAFE_INTEGER);
  const fuzz = positiveInt('--fuzz', values.fuzz, 100_000);
  const seed = positiveInt('--seed', values.seed, 1);
  const rounds = positiveInt('--rounds', values.rounds, 11);
  const old = await loadRef(values.ref);
  const diffs = new Diffs();

  const files = values.events ?? [];
  // Real prompts for the fuzzer to splice, and the events to time: the first file's first 5,000.
  const timed: ExchangeEvent[] = [];
  if (files[0] !== undefined) {
    for await (const batch of openEvents(files[0]).batches()) {
      timed.push(...batch);
      if (timed.length >= 5000) break;
    }
  }
  // Timed first, while both versions have seen only parsed events like the ones `analyze` reads
  // (fuzzed text reaches other paths of the JIT and would weigh on both).
  if (timed.length > 0) {
    cpuPerEvent(timed, old.extractFeatures);
    cpuPerEvent(timed, extractNew.extractFeatures);
    const oldUs: number[] = [];
    const newUs: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so neither always runs on a warmer or quieter machine.
      const a = r % 2 === 0 ? cpuPerEvent(timed, old.extractFeatures) : 0;
      const b = cpuPerEvent(timed, extractNew.extractFeatures);
      const c = r % 2 === 1 ? cpuPerEvent(timed, old.extractFeatures) : a;
      oldUs.push(c);
      newUs.push(b);
      ratios.push(b / c);
    }
    console.log(
      `timing (${timed.length} events of ${files[0]}, ${rounds} alternating rounds, CPU µs/event, medians): ` +
        `old ${median(oldUs).toFixed(2)}, new ${median(newUs).toFixed(2)}, new/old ${median(ratios).toFixed(3)}`,
    );
  }

  for (const path of files) {
    const n = await compareFile(path, limit, old, diffs);
    console.log(`${path}: ${n.toLocaleString('en-US')} events compared, differences so far ${diffs.total}`);
  }

  const real = timed
    .map((e) => e.request.messages.at(-1)?.content)
    .filter((c): c is string => typeof c === 'string');
  compareFuzz(fuzz, seed, real, old, diffs);
  console.log(
    `fuzz: ${fuzz.toLocaleString('en-US')} texts and events (seed ${seed}), differences ${diffs.total}`,
  );

  if (diffs.dropped.size > 0)
    console.log(`fields the new version no longer returns: ${[...diffs.dropped].join(', ')}`);
  if (diffs.total > 0) {
    console.log(`DIFFERENCES by field: ${JSON.stringify(Object.fromEntries(diffs.byField))}`);
    for (const line of diffs.examples) console.log(`  ${line}`);
    process.exit(1);
  }
  console.log('identical: every compared feature of every event and text');
}

await main();
