/**
 * Phrase lexicons matched over word hashes: each cue is a list of phrases ("step by step",
 * "show your work"), compiled once into an open-addressing table keyed by the first word's hash.
 * Matching is one pass over the words with an array probe per word, so a dozen cue lists cost
 * about as much as one, with no regex and therefore no backtracking.
 */
import { profileText } from './tokens.js';

/** Cue name → phrases (any case, any punctuation: they are tokenised like prompts). */
export type CueGroups = Readonly<Record<string, readonly string[]>>;

/** A compiled lexicon. */
export interface Lexicon {
  /** Cue names in index order. */
  readonly cues: readonly string[];
  /** Index of a cue name; throws on an unknown name (a programming error, not user input). */
  index(cue: string): number;
  /** @internal open-addressing table: first-word hash → slot. */
  readonly keys: Int32Array;
  /** @internal slot → offset into `phrases` of its longer phrases (-1 = none), chained by first word. */
  readonly heads: Int32Array;
  /** @internal slot → offset into `phrases` of its one-word phrases (-1 = none); a slot with
   * neither kind is empty. */
  readonly ones: Int32Array;
  /** @internal phrase records: [next, cue, length, hash2, hash3, …] (length = words after the first). */
  readonly phrases: Int32Array;
  readonly mask: number;
  /** @internal one bit per value of a hash's top 16 bits: set when a one-word phrase is such a word. */
  readonly singles: Int32Array;
  /** @internal one bit per 16-bit `pairKey`: set for the first two words of every longer phrase. */
  readonly pairs: Int32Array;
}

/** Bit of a 65,536-bit set for a word hash: its top 16 bits (the table's slot uses the low ones). */
function firstBit(bits: Int32Array, h: number): number {
  return (bits[h >>> 21]! >>> ((h >>> 16) & 31)) & 1;
}

/** 16-bit key of two adjacent word hashes (multiplies spread both into the top bits). */
function pairKey(first: number, second: number): number {
  return Math.imul(first ^ Math.imul(second, 0x9e3779b1), 0x85ebca6b) >>> 16;
}

/** Bit of a 65,536-bit set for a 16-bit key. */
function keyBit(bits: Int32Array, key: number): number {
  return (bits[key >>> 5]! >>> (key & 31)) & 1;
}

function wordHashes(phrase: string): number[] {
  const p = profileText(phrase, new Int32Array(64));
  return Array.from(p.hashes);
}

/**
 * Compiles cue groups into a lexicon.
 *
 * @example
 * const lex = buildLexicon({ cot: ['step by step', 'show your work'] });
 * countCues(profileText('Solve it step-by-step.'), lex)[lex.index('cot')]; // 1
 */
export function buildLexicon(groups: CueGroups): Lexicon {
  const cues = Object.keys(groups);
  const entries: { cue: number; words: number[] }[] = [];
  cues.forEach((cue, ci) => {
    // A phrase listed twice (or spelt two ways that tokenise alike) would count twice.
    const seen = new Set<string>();
    for (const phrase of groups[cue] ?? []) {
      const words = wordHashes(phrase);
      if (words.length === 0) throw new Error(`lexicon cue ${cue}: phrase "${phrase}" has no words`);
      const key = words.join(' ');
      if (seen.has(key)) throw new Error(`lexicon cue ${cue}: phrase "${phrase}" is listed twice`);
      seen.add(key);
      entries.push({ cue: ci, words });
    }
  });
  let size = 16;
  while (size < entries.length * 4) size *= 2;
  const mask = size - 1;
  const keys = new Int32Array(size);
  const heads = new Int32Array(size).fill(-1);
  const ones = new Int32Array(size).fill(-1);
  const phraseData: number[] = [];
  for (const e of entries) {
    const first = e.words[0]!;
    let slot = first & mask;
    while ((heads[slot]! & ones[slot]!) !== -1 && keys[slot] !== first) slot = (slot + 1) & mask;
    const chain = e.words.length === 1 ? ones : heads;
    const offset = phraseData.length;
    phraseData.push(chain[slot]!, e.cue, e.words.length - 1, ...e.words.slice(1));
    keys[slot] = first;
    chain[slot] = offset;
  }
  const singles = new Int32Array(2048);
  const pairs = new Int32Array(2048);
  for (const e of entries) {
    const h = e.words[0]!;
    if (e.words.length === 1) singles[h >>> 21] = singles[h >>> 21]! | (1 << ((h >>> 16) & 31));
    else {
      const key = pairKey(h, e.words[1]!);
      pairs[key >>> 5] = pairs[key >>> 5]! | (1 << (key & 31));
    }
  }
  const byName = new Map(cues.map((c, i) => [c, i]));
  return {
    cues,
    index(cue: string): number {
      const i = byName.get(cue);
      if (i === undefined) throw new Error(`lexicon has no cue "${cue}"`);
      return i;
    },
    keys,
    heads,
    ones,
    phrases: Int32Array.from(phraseData),
    mask,
    singles,
    pairs,
  };
}

/**
 * Counts, per cue, how many phrase occurrences appear in the profiled words (overlapping
 * matches of different phrases all count). `hashes`/`words` come from `profileText`.
 *
 * @example
 * const lex = buildLexicon({ grade: ['rate the following', 'rubric'] });
 * countCues(profileText('Use this rubric to rate the following answer'), lex); // Int32Array [2]
 */
export function countCues(
  profile: { hashes: Int32Array; words: number },
  lex: Lexicon,
  into: Int32Array = new Int32Array(lex.cues.length),
): Int32Array {
  const { hashes, words } = profile;
  const { keys, heads, ones, phrases, mask, singles, pairs } = lex;
  for (let i = 0; i < words; i++) {
    const h = hashes[i]!;
    // Most words start no match: two bit tests rule them out before the table probe. A word can
    // only start a match if it is a one-word phrase, or if it and the next word begin a longer
    // one. Testing the first word alone passed a quarter of the words of a prompt ("the", "a",
    // "in", "how" begin phrases) and sent them through the chains, where the branches
    // mispredicted; about one word in 150 passes the pair test and then matches nothing
    // (the shared cues of a ~1 KB speed prompt: 1.83 → 1.38 µs, measured).
    const pair = i + 1 < words ? keyBit(pairs, pairKey(h, hashes[i + 1]!)) : 0;
    const single = firstBit(singles, h);
    if ((single | pair) === 0) continue;
    let slot = h & mask;
    // Stop at the word's slot or at an empty one (no chain of either kind).
    while (keys[slot] !== h && (heads[slot]! & ones[slot]!) !== -1) slot = (slot + 1) & mask;
    if (single !== 0) {
      // One-word phrases match by the probe alone: count each, no comparison.
      for (let one = ones[slot]!; one !== -1; one = phrases[one]!) {
        const cue = phrases[one + 1]!;
        into[cue] = into[cue]! + 1;
      }
    }
    if (pair === 0) continue;
    let head = heads[slot]!;
    while (head !== -1) {
      const len = phrases[head + 2]!;
      if (i + len < words) {
        let ok = true;
        for (let k = 0; k < len; k++) {
          if (phrases[head + 3 + k]! !== hashes[i + 1 + k]) {
            ok = false;
            break;
          }
        }
        if (ok) {
          const cue = phrases[head + 1]!;
          into[cue] = into[cue]! + 1;
        }
      }
      head = phrases[head]!;
    }
  }
  return into;
}

/**
 * Whether a phrase of the lexicon (of any cue) starts at the first word: "first word is a task
 * verb" where a verb may be several words (Chinese 计算 is two characters, each a word).
 *
 * @example
 * const verbs = buildLexicon({ verb: ['write', '计算'] });
 * startsWithPhrase(profileText('计算下列表达式'), verbs); // true
 * startsWithPhrase(profileText('Please write'), verbs); // false
 */
export function startsWithPhrase(profile: { hashes: Int32Array; words: number }, lex: Lexicon): boolean {
  const { hashes, words } = profile;
  if (words === 0) return false;
  const { keys, heads, ones, phrases, mask } = lex;
  const h = hashes[0]!;
  let slot = h & mask;
  while (keys[slot] !== h && (heads[slot]! & ones[slot]!) !== -1) slot = (slot + 1) & mask;
  if (ones[slot] !== -1) return true;
  for (let head = heads[slot]!; head !== -1; head = phrases[head]!) {
    const len = phrases[head + 2]!;
    if (len >= words) continue;
    let k = 0;
    while (k < len && phrases[head + 3 + k] === hashes[1 + k]) k++;
    if (k === len) return true;
  }
  return false;
}

/**
 * Cue groups registered by the scoring modules share one lexicon, so the words of a prompt are
 * probed once for all of them instead of once per module. Indices are registration positions
 * (stable as more modules register); the lexicon is rebuilt lazily after a registration.
 */
const registered: [name: string, phrases: readonly string[]][] = [];
const positions = new Map<string, number>();
let shared: Lexicon | undefined;
let lastProfile: object | undefined;
let lastCounts = new Int32Array(0);

function sharedLexicon(): Lexicon {
  if (shared === undefined) {
    shared = buildLexicon(Object.fromEntries(registered));
    lastCounts = new Int32Array(registered.length);
    lastProfile = undefined;
  }
  return shared;
}

/** A module's view of the shared lexicon. */
export interface CueSet {
  /** Position of one of this set's cue names in the counts `count` returns. */
  index(cue: string): number;
  /**
   * Counts for every registered cue in this profile, computed once per profile object and
   * shared by all sets: read it before counting another profile (the array is reused).
   */
  count(profile: { hashes: Int32Array; words: number }): Int32Array;
}

/**
 * Registers cue groups under `prefix` in the shared lexicon.
 *
 * @example
 * const cues = registerCues('demo', { cot: ['step by step'] });
 * const p = profileText('Go step by step');
 * cues.count(p)[cues.index('cot')]; // 1
 */
export function registerCues(prefix: string, groups: CueGroups): CueSet {
  for (const [name, phrases] of Object.entries(groups)) {
    const key = `${prefix}.${name}`;
    if (positions.has(key)) throw new Error(`cue group ${key} registered twice`);
    positions.set(key, registered.length);
    registered.push([key, phrases]);
  }
  shared = undefined;
  return {
    index(cue: string): number {
      const at = positions.get(`${prefix}.${cue}`);
      if (at === undefined) throw new Error(`lexicon has no cue "${prefix}.${cue}"`);
      return at;
    },
    count(profile: { hashes: Int32Array; words: number }): Int32Array {
      const lex = sharedLexicon();
      if (profile !== lastProfile) {
        lastCounts.fill(0);
        countCues(profile, lex, lastCounts);
        lastProfile = profile;
      }
      return lastCounts;
    },
  };
}
