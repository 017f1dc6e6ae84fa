import { describe, expect, it } from 'vitest';
import { captureFields, restoreFields, SnapshotError } from './state-fields.js';

class Inner {
  n = 1;
}

class Holder {
  count = 2;
  slab = new Float64Array(4);
  byKey = new Map<number, { size: number }>([[1, { size: 3 }]]);
  cache: string | undefined = 'derived';
}

describe('captureFields / restoreFields', () => {
  it('captures every own field but the named non-state ones, and restores them onto a fresh instance', () => {
    const h = new Holder();
    h.count = 7;
    h.slab[2] = 1.5;
    const state = captureFields(h, ['cache']);
    expect(Object.keys(state).sort()).toEqual(['byKey', 'count', 'slab']);
    const copy = restoreFields(new Holder(), structuredClone(state), ['cache'], 'holder');
    expect(copy.count).toBe(7);
    expect(copy.slab[2]).toBe(1.5);
    expect(copy.byKey.get(1)).toEqual({ size: 3 });
    expect(copy.cache).toBe('derived');
  });

  it('refuses a field holding a class instance, naming the field and the class', () => {
    const direct = Object.assign(new Holder(), { inner: new Inner() });
    expect(() => captureFields(direct, [])).toThrow(
      'Holder.inner holds an instance of Inner, which plain-data serialisation would strip of its methods',
    );
    const inMap = Object.assign(new Holder(), { inners: new Map([[1, new Inner()]]) });
    expect(() => captureFields(inMap, [])).toThrow(SnapshotError);
    expect(captureFields(direct, ['inner'])).not.toHaveProperty('inner');
  });

  it('refuses state whose fields differ from the class, naming both sides', () => {
    const state = captureFields(new Holder(), ['cache']);
    delete state.count;
    state.extra = 1;
    expect(() => restoreFields(new Holder(), state, ['cache'], 'holder')).toThrow(
      'holder: snapshot from a different detector build (lacks field(s) count; has field(s) this build does not know: extra)',
    );
    expect(() => restoreFields(new Holder(), 'x', [], 'holder')).toThrow(
      'holder: expected an object of fields in the snapshot',
    );
  });
});
