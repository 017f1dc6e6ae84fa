/**
 * The byte format of detector snapshots: an 8-byte magic, a format version, then the engine's
 * state as V8 structured-clone data (typed-array slabs are written as raw bytes, Maps and Sets
 * natively), deflated. The policy the state was built under travels with it: state built under
 * other thresholds would keep escalating by rules the operator no longer runs, so restoring
 * under a different policy is refused, naming the first field that differs.
 */
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Policy } from './policy.js';
import { SnapshotError } from './state-fields.js';

export { SnapshotError };

/**
 * Bumped when the layout changes in a way field checks cannot see (e.g. a field's meaning, or the
 * stride of a slab). 2: eight Misra–Gries skeleton slots per account (were four) and a second
 * template key per account in the registry. 3: the lockstep state (lockstep.ts) and its link kind.
 */
export const SNAPSHOT_VERSION = 3;
const MAGIC = Buffer.from('DGSNAP\0\n', 'latin1');
const HEADER = MAGIC.length + 4;

interface Envelope {
  version: number;
  policyHash: string;
  policy: Policy;
  state: unknown;
}

/**
 * A stable hash of a policy (keys sorted), to tell whether two policies are the same.
 *
 * @example
 * policyHash(defaultPolicy()) === policyHash(structuredClone(defaultPolicy())); // true
 */
export function policyHash(policy: Policy): string {
  return createHash('sha256').update(canonical(policy)).digest('hex').slice(0, 16);
}

/**
 * Encodes engine state taken under `policy` into snapshot bytes.
 *
 * @example
 * const bytes = encodeSnapshot(state, policy);
 */
export function encodeSnapshot(state: unknown, policy: Policy): Buffer {
  const envelope: Envelope = { version: SNAPSHOT_VERSION, policyHash: policyHash(policy), policy, state };
  // Level 1: the slabs are mostly small integers and zeros, which the fastest level already squeezes.
  const body = deflateRawSync(serialize(envelope), { level: 1 });
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(SNAPSHOT_VERSION, MAGIC.length);
  return Buffer.concat([header, body]);
}

/**
 * Decodes snapshot bytes, checking the format, version and that it was taken under `policy`.
 *
 * @example
 * const state = decodeSnapshot(readFileSync('detector.snap'), policy);
 */
export function decodeSnapshot(bytes: Uint8Array, policy: Policy): unknown {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new SnapshotError('not a distillguard detector snapshot (bad magic bytes)');
  }
  const version = buf.readUInt32LE(MAGIC.length);
  if (version !== SNAPSHOT_VERSION) {
    throw new SnapshotError(
      `detector snapshot format version ${version}; this build reads version ${SNAPSHOT_VERSION}`,
    );
  }
  let envelope: Envelope;
  try {
    envelope = deserialize(inflateRawSync(buf.subarray(HEADER))) as Envelope;
  } catch (error) {
    throw new SnapshotError(`detector snapshot is corrupt: ${(error as Error).message}`);
  }
  if (envelope?.version !== SNAPSHOT_VERSION) {
    throw new SnapshotError('detector snapshot is corrupt: header and body versions differ');
  }
  if (envelope.policyHash !== policyHash(policy)) {
    const where = firstDifference(envelope.policy, policy, '');
    throw new SnapshotError(
      `detector snapshot was taken under a different policy (${where || 'policy'} differs: ` +
        `snapshot ${JSON.stringify(pick(envelope.policy, where))}, now ${JSON.stringify(pick(policy, where))}); ` +
        'restore it with the policy it was taken with, or rebuild the state from the event stream',
    );
  }
  return envelope.state;
}

function canonical(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** JSON-pointer-like path of the first field that differs between two policies ('' if the roots do). */
function firstDifference(a: unknown, b: unknown, path: string): string {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return canonical(a) === canonical(b) ? '' : path;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${path}/${k}`,
    );
    if (d !== '') return d;
  }
  return '';
}

function pick(value: unknown, path: string): unknown {
  let v = value;
  for (const k of path.split('/').slice(1)) v = (v as Record<string, unknown> | undefined)?.[k];
  return v;
}
