/**
 * Field-by-field capture and restore of detector classes for snapshots. A class's state is all of
 * its own fields except those it names as not-state (caches, context passed to its constructor,
 * indexes rebuilt from other fields), so a field added to a class is in the snapshot without
 * touching any snapshot code; a field holding another class's instance (which plain-data
 * serialisation would strip of its methods) is the one case that needs its own line.
 */

/** A class's fields as plain data, keyed by field name. */
export type FieldState = Record<string, unknown>;

/** A snapshot that cannot be used: wrong format, version, policy or detector build. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

/**
 * The object's own fields except `notState`, by reference (serialise them before mutating the object).
 *
 * @example
 * captureFields(campaign, ['cached']); // { members: [...], events: 12, ... }
 */
export function captureFields(obj: object, notState: readonly string[]): FieldState {
  const out: FieldState = {};
  for (const [key, value] of Object.entries(obj)) {
    if (notState.includes(key)) continue;
    const instance = classInstanceIn(value);
    if (instance !== undefined) {
      throw new SnapshotError(
        `${obj.constructor.name}.${key} holds an instance of ${instance}, which plain-data serialisation would strip ` +
          `of its methods: give ${instance} toState()/fromState() and capture the field explicitly (see state-fields.ts)`,
      );
    }
    out[key] = value;
  }
  return out;
}

/**
 * The class name of a class instance held by a field (the value itself, or the first element of
 * an array, Map or Set — checking all would cost a pass over million-entry maps), else undefined.
 */
function classInstanceIn(value: unknown): string | undefined {
  let v = value;
  if (Array.isArray(v)) v = v[0];
  else if (v instanceof Map) v = v.values().next().value;
  else if (v instanceof Set) v = v.values().next().value;
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return undefined;
  if (Array.isArray(v) || v instanceof Map || v instanceof Set) return undefined;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null ? undefined : (v.constructor?.name ?? 'class');
}

/**
 * Assigns captured fields onto a freshly constructed instance. The field names must be exactly
 * the instance's own fields except `notState`: a snapshot from a build whose class gained or
 * lost a field is refused by name instead of restoring a detector that silently misses state.
 *
 * @example
 * const c = restoreFields(new Campaign(), state, ['cached'], 'campaign 3');
 */
export function restoreFields<T extends object>(
  target: T,
  state: unknown,
  notState: readonly string[],
  where: string,
): T {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new SnapshotError(`${where}: expected an object of fields in the snapshot`);
  }
  const expected = Object.keys(target).filter((k) => !notState.includes(k));
  const got = Object.keys(state);
  const missing = expected.filter((k) => !Object.hasOwn(state, k));
  const unknown = got.filter((k) => !expected.includes(k));
  if (missing.length > 0 || unknown.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`lacks field(s) ${missing.join(', ')}`);
    if (unknown.length > 0) parts.push(`has field(s) this build does not know: ${unknown.join(', ')}`);
    throw new SnapshotError(`${where}: snapshot from a different detector build (${parts.join('; ')})`);
  }
  const fields = target as Record<string, unknown>;
  for (const key of got) fields[key] = (state as FieldState)[key];
  return target;
}
