/**
 * What the campaign stage and the linking stage say to each other over JetStream:
 *
 * - a **join request** on `<p>.links.<partition>`: step `id` (the campaign stage's step counter,
 *   restored from its checkpoint, so a replay re-sends the same ids) and the joins of that step
 *   whose key falls in the partition, in step order;
 * - a **join reply** on `<p>.linkreplies`: for each of those joins, the accounts that carried the
 *   key before (what `KeyIndex.join` returns).
 *
 * Message ids `<id>/<partition>` make a re-sent request or reply a duplicate JetStream drops.
 */
import type { KeyJoin } from '../detect/key-index.js';
import { LINK_KINDS, type LinkKind } from '../detect/linker.js';

export interface JoinRequest {
  id: number;
  joins: KeyJoin[];
}

export interface JoinReply {
  id: number;
  partition: number;
  /** `members[k]`: accounts that carried `joins[k]`'s key before it. */
  members: number[][];
}

/**
 * The key partition of a join: every join of one key goes to the same partition, so one
 * linking worker sees all of a key's joins in the campaign stage's order.
 *
 * @example
 * partitionOf('payment', keyHash('pf_9c41'), 16); // the same number in 0..15 everywhere
 */
export function partitionOf(kind: LinkKind, hash: number, partitions: number): number {
  // Mix both halves of the 53-bit hash and the kind: some keys (co-activity buckets, templates)
  // are small numbers, which a plain modulo would crowd into the first partitions.
  const lo = hash >>> 0;
  const hi = Math.floor(hash / 4_294_967_296) >>> 0;
  let h = Math.imul(
    lo ^ Math.imul(hi, 0x9e3779b1) ^ Math.imul(LINK_KINDS.indexOf(kind) + 1, 0x85ebca6b),
    0x27d4eb2d,
  );
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) % partitions;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseJson(text: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: 'not JSON' };
  }
}

/**
 * Parses a join request, or says what is wrong with it.
 *
 * @example
 * parseJoinRequest('{"id":1,"joins":[{"kind":"payment","hash":7,"account":0}]}'); // { ok: true, value: … }
 */
export function parseJoinRequest(text: string): Parsed<JoinRequest> {
  const v = parseJson(text);
  if (!v.ok) return v;
  const r = v.value as Partial<JoinRequest>;
  if (typeof r !== 'object' || r === null || !Number.isSafeInteger(r.id) || !Array.isArray(r.joins)) {
    return { ok: false, error: 'needs an integer id and a joins array' };
  }
  for (const [k, j] of r.joins.entries()) {
    const join = j as Partial<KeyJoin> | null;
    if (
      typeof join !== 'object' ||
      join === null ||
      !(LINK_KINDS as readonly unknown[]).includes(join.kind) ||
      !Number.isSafeInteger(join.hash) ||
      !Number.isSafeInteger(join.account) ||
      (join.account as number) < 0
    ) {
      return { ok: false, error: `joins[${k}] needs a link kind, an integer hash and an account index` };
    }
  }
  return { ok: true, value: r as JoinRequest };
}

/**
 * Parses a join reply, or says what is wrong with it.
 *
 * @example
 * parseJoinReply('{"id":1,"partition":3,"members":[[0,4]]}'); // { ok: true, value: … }
 */
export function parseJoinReply(text: string): Parsed<JoinReply> {
  const v = parseJson(text);
  if (!v.ok) return v;
  const r = v.value as Partial<JoinReply>;
  const shaped =
    typeof r === 'object' &&
    r !== null &&
    Number.isSafeInteger(r.id) &&
    Number.isSafeInteger(r.partition) &&
    Array.isArray(r.members) &&
    r.members.every((m) => Array.isArray(m) && m.every((a) => Number.isSafeInteger(a)));
  return shaped
    ? { ok: true, value: r as JoinReply }
    : { ok: false, error: 'needs integer id and partition and a members array of account-index arrays' };
}
