import { describe, expect, it } from 'vitest';
import { capabilityBarsSvg, timelineSvg, trafficSvg } from './svg-charts.js';

describe('timelineSvg', () => {
  it('draws one rect per non-empty action in each bucket, scaled to the tallest bucket', () => {
    const svg = timelineSvg(
      {
        start: 0,
        end: 2000,
        bucketMs: 1000,
        buckets: [
          { start: 0, counts: { monitor: 1, throttle: 0, degrade: 0, block: 1 } },
          { start: 1000, counts: { monitor: 0, throttle: 0, degrade: 0, block: 1 } },
        ],
      },
      { width: 200, height: 134 },
    ).value;
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg).toContain('2 per bucket');
    // The plot is 100 high: the tallest bucket (2) stacks two 50-high bars.
    expect(svg).toContain('height="50"');
  });
});

describe('capabilityBarsSvg', () => {
  it('orders capabilities by share, skips zero shares and escapes names', () => {
    const svg = capabilityBarsSvg({ math: 0.2, coding: 0.7, chat: 0, '<x>': 0.1 }, 300).value;
    expect(svg.indexOf('coding')).toBeLessThan(svg.indexOf('math'));
    expect(svg).not.toContain('chat');
    expect(svg).toContain('&lt;x&gt;');
    expect(svg).toContain('70.0%');
  });
});

describe('trafficSvg', () => {
  it('draws a bar per point and an error bar only where there were errors', () => {
    const svg = trafficSvg(
      [
        { start: '2026-01-01T00:00:00.000Z', exchanges: 4, errors: 1 },
        { start: '2026-01-01T00:01:00.000Z', exchanges: 2, errors: 0 },
      ],
      { width: 200, height: 134 },
    ).value;
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg).toContain('4 per bucket');
    // Plot height 100: the busiest bucket is 100 high, its one error in four is 25.
    expect(svg).toContain('height="100"');
    expect(svg).toContain('height="25"');
    expect(svg).toContain('2026-01-01 00:01 UTC');
  });
});
