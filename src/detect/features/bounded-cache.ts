/**
 * A string-keyed memo for feature lookups that repeat across events (user agents, ASN names,
 * system prompts), bounded two ways because the keys come from traffic anyone can vary: it is
 * emptied when it holds `maxEntries`, and keys longer than `maxKeyChars` are computed each time,
 * never kept.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxKeyChars: number,
  ) {}

  /**
   * `compute(key)`, remembered.
   *
   * @example
   * const families = new BoundedCache<string>(4096, 512);
   * families.get('curl/8.5.0', classify); // computed once, then read back
   */
  get(key: string, compute: (key: string) => V): V {
    if (key.length > this.maxKeyChars) return compute(key);
    let value = this.entries.get(key);
    if (value === undefined) {
      value = compute(key);
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }

  /** Entries held now. */
  get size(): number {
    return this.entries.size;
  }
}
