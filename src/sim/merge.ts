/**
 * Interleaves many time-sorted streams into one, in time order, holding only one pending item
 * per stream (a binary min-heap keyed by time, ties broken by stream index so output is
 * deterministic). This is what lets a run of millions of events stream straight to disk.
 */
import { MinHeap } from '../contract/min-heap.js';

interface Head<T> {
  t: number;
  index: number;
  item: T;
  rest: Iterator<T>;
}

function less<T>(a: Head<T>, b: Head<T>): boolean {
  return a.t < b.t || (a.t === b.t && a.index < b.index);
}

/**
 * Merges streams each sorted by `time(item)` into one sorted stream. Throws if a stream goes
 * back in time (a simulator bug that would corrupt the output's ordering guarantee).
 *
 * @example
 * [...mergeByTime([[{ t: 1 }, { t: 5 }], [{ t: 3 }]], (x) => x.t)].map((x) => x.t); // [1, 3, 5]
 */
export function* mergeByTime<T>(streams: Iterable<Iterable<T>>, time: (item: T) => number): Generator<T> {
  const heap = new MinHeap<Head<T>>(less);
  let index = 0;
  for (const s of streams) {
    const rest = s[Symbol.iterator]();
    const first = rest.next();
    if (!first.done) heap.push({ t: time(first.value), index, item: first.value, rest });
    index++;
  }
  for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
    yield top.item;
    const next = top.rest.next();
    if (next.done) {
      heap.pop();
    } else {
      const t = time(next.value);
      if (t < top.t) throw new Error(`stream ${top.index} went back in time (${t} after ${top.t})`);
      // The stream's head moves on in place: one sift instead of a pop and a push.
      top.t = t;
      top.item = next.value;
      heap.replaceTop(top);
    }
  }
}

/**
 * Merges a sorted async stream (e.g. a host log being read) with a sorted sync stream. On equal
 * times the async (host) item comes first.
 *
 * @example
 * for await (const x of mergeAsync(hostEvents, simEvents, hostTime, simTime)) write(x);
 */
export async function* mergeAsync<A, B>(
  a: AsyncIterable<A>,
  b: Iterable<B>,
  timeA: (x: A) => number,
  timeB: (x: B) => number,
): AsyncGenerator<A | B> {
  const it = b[Symbol.iterator]();
  let nb = it.next();
  for await (const x of a) {
    const ta = timeA(x);
    while (!nb.done && timeB(nb.value) < ta) {
      yield nb.value;
      nb = it.next();
    }
    yield x;
  }
  while (!nb.done) {
    yield nb.value;
    nb = it.next();
  }
}
