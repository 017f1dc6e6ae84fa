/**
 * A binary min-heap under a strict "comes before" order. Written out rather than taken from npm:
 * it is a few lines, sits on per-event paths (the scale-out campaign stage's event-time order,
 * the simulator's merge of per-account streams), and a dependency would add a call per step.
 */
export class MinHeap<T> {
  private readonly items: T[] = [];

  /** @param before whether `a` must come out before `b` (a strict order; ties keep no order). */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  /** The first item, without taking it out. */
  peek(): T | undefined {
    return this.items[0];
  }

  /**
   * Adds an item.
   *
   * @example
   * const h = new MinHeap<number>((a, b) => a < b); h.push(3); h.push(1); h.pop(); // 1
   */
  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!this.before(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  /** Takes out the first item (undefined when empty). */
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) this.siftDown(last);
    return top;
  }

  /**
   * Takes out the first item and puts `item` in (a pop and a push in one sift). The heap must not
   * be empty.
   *
   * @example
   * const h = new MinHeap<number>((a, b) => a < b); h.push(1); h.push(4); h.replaceTop(7); h.pop(); // 4
   */
  replaceTop(item: T): void {
    this.siftDown(item);
  }

  /** Puts `item` at the root's place and moves it down to where it belongs. */
  private siftDown(item: T): void {
    const items = this.items;
    const n = items.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.before(items[r] as T, items[l] as T) ? r : l;
      if (!this.before(items[c] as T, item)) break;
      items[i] = items[c] as T;
      i = c;
    }
    items[i] = item;
  }

  /** Every item, in no particular order. */
  values(): readonly T[] {
    return this.items;
  }
}
