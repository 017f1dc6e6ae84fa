import { describe, expect, it } from 'vitest';
import {
  GRAPH_NODE_CAP,
  GROUP_PALETTE,
  gridLayout,
  pagesFor,
  parseRoute,
  signalGroups,
  UNSHARED_COLOR,
  visibleRange,
} from './view-model.js';

describe('visibleRange', () => {
  it('covers the viewport plus overscan and stays within the table', () => {
    expect(visibleRange({ scrollTop: 0, viewport: 400, rowHeight: 20, total: 25_000, overscan: 5 })).toEqual({
      start: 0,
      end: 25,
    });
    expect(
      visibleRange({ scrollTop: 2000, viewport: 400, rowHeight: 20, total: 25_000, overscan: 5 }),
    ).toEqual({
      start: 95,
      end: 125,
    });
    expect(visibleRange({ scrollTop: 1e9, viewport: 400, rowHeight: 20, total: 30, overscan: 5 })).toEqual({
      start: 30,
      end: 30,
    });
  });
  it('maps a range to the page offsets to fetch', () => {
    expect(pagesFor({ start: 95, end: 125 }, 100)).toEqual([0, 100]);
    expect(pagesFor({ start: 0, end: 0 }, 100)).toEqual([]);
  });
});

describe('gridLayout', () => {
  it('caps drawn nodes and keeps them inside the width', () => {
    const layout = gridLayout(25_000, 800);
    expect(layout.drawn).toBe(GRAPH_NODE_CAP);
    expect(layout.positions).toHaveLength(GRAPH_NODE_CAP);
    expect(Math.max(...layout.positions.map((p) => p.x))).toBeLessThan(800);
    const last = layout.positions.at(-1);
    expect(last?.y).toBeLessThan(layout.height);
  });
  it('keeps cells small for small campaigns', () => {
    expect(gridLayout(6, 900).cell).toBe(24);
  });
  it('places distinct nodes at distinct points', () => {
    const layout = gridLayout(50, 300);
    expect(new Set(layout.positions.map((p) => `${p.x},${p.y}`)).size).toBe(50);
  });
});

describe('parseRoute', () => {
  it('reads view and decoded argument', () => {
    expect(parseRoute('')).toEqual({ view: 'overview', arg: null });
    expect(parseRoute('#/campaign/campaign-0001')).toEqual({ view: 'campaign', arg: 'campaign-0001' });
    expect(parseRoute('#/account/a%2Fb')).toEqual({ view: 'account', arg: 'a/b' });
    expect(parseRoute('#/account/%E0%A4%A')).toEqual({ view: 'account', arg: '%E0%A4%A' });
  });
});

describe('signalGroups', () => {
  it('colours shared values largest group first and greys the rest', () => {
    const g = signalGroups(['b', 'a', 'a', 'b', 'a', 'c', null]);
    expect(g.legend).toEqual([
      { key: 'a', count: 3, color: GROUP_PALETTE[0] },
      { key: 'b', count: 2, color: GROUP_PALETTE[1] },
    ]);
    expect(g.colors).toEqual([
      GROUP_PALETTE[1],
      GROUP_PALETTE[0],
      GROUP_PALETTE[0],
      GROUP_PALETTE[1],
      GROUP_PALETTE[0],
      UNSHARED_COLOR,
      UNSHARED_COLOR,
    ]);
    expect(g.unshared).toBe(2);
  });
  it('runs out of palette gracefully', () => {
    const keys = Array.from({ length: 30 }, (_, i) => `k${i % 15}`);
    const g = signalGroups(keys);
    expect(g.legend).toHaveLength(GROUP_PALETTE.length);
    expect(g.unshared).toBe(10);
  });
});
