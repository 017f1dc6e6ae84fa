/**
 * Helpers for the simulator's own tests: a small world over a short window (real data when
 * ../shared/data is present, the built-in generator otherwise) and collecting a population's
 * events in time order.
 */
import { existsSync } from 'node:fs';
import { loadCorpora } from '../corpora.js';
import { mergeByTime } from '../merge.js';
import { DAY, HOUR, loadTiming } from '../timing.js';
import { createWorld, type Population, type SimEvent, type World } from '../world.js';

/** The real data directory as tests see it (they run from the repository root). */
export const TEST_DATA_DIR = existsSync('../shared/data') ? '../shared/data' : '/nonexistent-data-dir';
/** Whether the real corpora are there; without them the simulator says so and uses its generator. */
export const HAVE_TEST_DATA = TEST_DATA_DIR === '../shared/data';
/** What `simulate` and `bench` print on stderr about their data, with or without the real corpora. */
export const DATA_NOTICE = HAVE_TEST_DATA
  ? /^$/
  : /^simulate: no data at \S+; using the built-in prompt and timing generator \(pass --data DIR for real corpora\)\n$/;

/**
 * A world of `days` days at `scale`, the new model released half-way.
 *
 * @example
 * const world = testWorld(14, 0.0001);
 */
export function testWorld(days: number, scale = 0.0001): World {
  const start = Date.UTC(2026, 0, 5);
  return createWorld({
    start,
    end: start + days * DAY,
    scale,
    corpora: loadCorpora(TEST_DATA_DIR),
    timing: loadTiming(TEST_DATA_DIR),
    releaseAt: start + Math.floor(days / 2) * DAY + 18 * HOUR,
  });
}

/** All events of a population, merged in time order. */
export function eventsOf(pop: Population): SimEvent[] {
  return [...mergeByTime(pop.streams, (e: SimEvent) => e.t)];
}

/** Events grouped by account, each list in time order. */
export function byAccount(events: readonly SimEvent[]): Map<string, SimEvent[]> {
  const out = new Map<string, SimEvent[]>();
  for (const e of events) {
    let list = out.get(e.account_id);
    if (list === undefined) {
      list = [];
      out.set(e.account_id, list);
    }
    list.push(e);
  }
  return out;
}

/** Text of the last user message of a request (either wire format, string content). */
export function lastUserText(e: SimEvent): string {
  const users = e.request.messages.filter((m) => m.role === 'user' && typeof m.content === 'string');
  const last = users[users.length - 1];
  return typeof last?.content === 'string' ? last.content : '';
}

/** Coefficient of variation of the gaps between consecutive times. */
export function gapCv(times: readonly number[]): number {
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
  if (gaps.length < 2) return 0;
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
  return mean === 0 ? 0 : sd / mean;
}
