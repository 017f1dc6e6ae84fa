/**
 * Per-model prices (USD per million tokens) from config, used to estimate a request's cost before
 * it runs (for budgets) and to compute the real cost from the upstream's usage afterwards.
 */

export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

export interface PriceTable {
  /** Price of `model`: exact name, else longest configured prefix ending in `*`, else the default. */
  priceOf(model: string): ModelPrice;
  /**
   * Cost in USD of a usage.
   *
   * @example
   * table.cost('gpt-x', { inputTokens: 1000, outputTokens: 500 });
   */
  cost(model: string, usage: { inputTokens: number; outputTokens: number }): number;
}

export type PriceTableResult = { ok: true; value: PriceTable } | { ok: false; error: string };

function parsePrice(v: unknown, where: string): ModelPrice | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return `${where}: must be an object with inputPerMTok and outputPerMTok`;
  const rec = v as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    if (k !== 'inputPerMTok' && k !== 'outputPerMTok')
      return `${where}.${k}: unknown field; expected inputPerMTok, outputPerMTok`;
  }
  for (const k of ['inputPerMTok', 'outputPerMTok']) {
    const n = rec[k];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
      return `${where}.${k}: must be a non-negative number`;
  }
  return { inputPerMTok: rec.inputPerMTok as number, outputPerMTok: rec.outputPerMTok as number };
}

/**
 * Builds a price table from config: `{ "models": { "gpt-x": {...}, "claude-*": {...} }, "default": {...} }`.
 * Without a default, unknown models cost 0 (budgets then do not constrain them).
 *
 * @example
 * const r = parsePriceTable({ models: { 'm-*': { inputPerMTok: 1, outputPerMTok: 4 } } }, 'prices');
 * if (!r.ok) throw new Error(r.error);
 */
export function parsePriceTable(value: unknown, where: string): PriceTableResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: `${where}: must be an object` };
  const rec = value as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    if (k !== 'models' && k !== 'default')
      return { ok: false, error: `${where}.${k}: unknown field; expected models, default` };
  }
  const exact = new Map<string, ModelPrice>();
  const prefixes: Array<[string, ModelPrice]> = [];
  const models = rec.models ?? {};
  if (typeof models !== 'object' || models === null || Array.isArray(models)) {
    return { ok: false, error: `${where}.models: must be an object of model name to price` };
  }
  for (const [name, p] of Object.entries(models)) {
    const price = parsePrice(p, `${where}.models.${name}`);
    if (typeof price === 'string') return { ok: false, error: price };
    if (name.endsWith('*')) prefixes.push([name.slice(0, -1), price]);
    else exact.set(name, price);
  }
  prefixes.sort((a, b) => b[0].length - a[0].length);
  let fallback: ModelPrice = { inputPerMTok: 0, outputPerMTok: 0 };
  if (rec.default !== undefined) {
    const price = parsePrice(rec.default, `${where}.default`);
    if (typeof price === 'string') return { ok: false, error: price };
    fallback = price;
  }
  const cache = new Map<string, ModelPrice>();
  const priceOf = (model: string): ModelPrice => {
    let p = exact.get(model) ?? cache.get(model);
    if (p !== undefined) return p;
    p = prefixes.find(([prefix]) => model.startsWith(prefix))?.[1] ?? fallback;
    // Bounded: a client inventing model names must not grow this without limit.
    if (cache.size < 1024) cache.set(model, p);
    return p;
  };
  return {
    ok: true,
    value: {
      priceOf,
      cost(model, usage) {
        const p = priceOf(model);
        return (usage.inputTokens * p.inputPerMTok + usage.outputTokens * p.outputPerMTok) / 1_000_000;
      },
    },
  };
}
