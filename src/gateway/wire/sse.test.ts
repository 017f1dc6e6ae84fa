import { describe, expect, it } from 'vitest';
import { createSseParser, formatSse } from './sse.js';

describe('createSseParser', () => {
  it('joins events split across chunks and keeps the unfinished tail', () => {
    const parser = createSseParser();
    expect(parser.push('event: a\nda')).toEqual([]);
    expect(parser.push('ta: 1\n\ndata: 2\n')).toEqual([{ event: 'a', data: '1' }]);
    expect(parser.pending()).toBe('data: 2\n');
    expect(parser.push('\n')).toEqual([{ data: '2' }]);
  });

  it('accepts CRLF, skips comments and joins multi-line data', () => {
    const parser = createSseParser();
    expect(parser.push(': keepalive\r\n\r\ndata: x\r\ndata: y\r\n\r\n')).toEqual([{ data: 'x\ny' }]);
  });

  it('round-trips what formatSse writes', () => {
    const parser = createSseParser();
    const text = formatSse('message_stop', '{"type":"message_stop"}') + formatSse(undefined, '[DONE]');
    expect(parser.push(text)).toEqual([
      { event: 'message_stop', data: '{"type":"message_stop"}' },
      { data: '[DONE]' },
    ]);
  });
});
