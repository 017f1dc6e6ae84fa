import { describe, expect, it } from 'vitest';
import { createProgressBar, formatProgress } from './progress-bar.js';

function sink(isTTY: boolean): { isTTY: boolean; columns: number; out: string[]; write(s: string): boolean } {
  const out: string[] = [];
  return {
    isTTY,
    columns: 80,
    out,
    write(s: string) {
      out.push(s);
      return true;
    },
  };
}

describe('formatProgress', () => {
  it('draws a bar with a percentage when the total is known, a counter otherwise', () => {
    expect(formatProgress('analyze', 5, 20)).toBe('[######------------------]  25% analyze 5/20');
    expect(formatProgress('analyze', 30, 20)).toBe('[########################] 100% analyze 30/20');
    expect(formatProgress('simulate', 1234)).toBe('simulate 1,234');
  });
});

describe('createProgressBar', () => {
  it('writes nothing but log lines when the stream is not a TTY', () => {
    const s = sink(false);
    const bar = createProgressBar(s);
    bar.update('x', 1, 2);
    bar.log('rejected line');
    bar.done();
    expect(s.out).toEqual(['rejected line\n']);
  });

  it('redraws at most once per interval and erases itself before logging and at the end', () => {
    const s = sink(true);
    let t = 0;
    const bar = createProgressBar(s, { intervalMs: 100, now: () => t });
    bar.update('a', 1, 10);
    t = 50;
    bar.update('a', 2, 10); // too soon: skipped
    t = 150;
    bar.update('a', 3, 10);
    bar.log('note');
    bar.done(); // nothing visible after log: no extra erase
    expect(s.out).toEqual([
      '\r\x1b[2K[##----------------------]  10% a 1/10',
      '\r\x1b[2K[#######-----------------]  30% a 3/10',
      '\r\x1b[2K',
      'note\n',
    ]);
  });

  it('still draws when the terminal reports no width', () => {
    const s = { ...sink(true), columns: 0 };
    createProgressBar(s).update('analyze', 5, 20);
    expect(s.out).toEqual(['\r\x1b[2K[######------------------]  25% analyze 5/20']);
  });
});
