import { describe, expect, it } from 'vitest';
import { HttpResponseScanner, HttpScanError } from './http-scanner.js';

const CHUNKED =
  'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '6\r\ndata: \r\n' +
  '4;ext=1\r\nabcd\r\n' +
  '0\r\n\r\n';

function feedInPieces(text: string, size: number): { scanner: HttpResponseScanner; doneAt: number } {
  const scanner = new HttpResponseScanner();
  const bytes = Buffer.from(text, 'latin1');
  for (let i = 0; i < bytes.length; i += size) {
    if (scanner.push(bytes.subarray(i, i + size))) return { scanner, doneAt: i + size };
  }
  return { scanner, doneAt: -1 };
}

describe('HttpResponseScanner', () => {
  it('de-chunks a chunked response fed one byte at a time and stops exactly at its end', () => {
    const { scanner, doneAt } = feedInPieces(CHUNKED, 1);
    expect(doneAt).toBe(CHUNKED.length);
    expect(scanner.status).toBe(200);
    expect(scanner.body.toString()).toBe('data: abcd');
    expect(scanner.headers.get('content-type')).toBe('text/event-stream');
  });

  it('reads a content-length body in one push', () => {
    const scanner = new HttpResponseScanner();
    expect(scanner.push(Buffer.from('HTTP/1.1 401 Unauthorized\r\nContent-Length: 5\r\n\r\nnope!'))).toBe(
      true,
    );
    expect(scanner.status).toBe(401);
    expect(scanner.body.toString()).toBe('nope!');
  });

  it('is not done before the terminating chunk', () => {
    const scanner = new HttpResponseScanner();
    expect(scanner.push(Buffer.from(CHUNKED.slice(0, CHUNKED.length - 3), 'latin1'))).toBe(false);
    expect(scanner.done).toBe(false);
    expect(scanner.bodyBytes).toBe(10);
  });

  it('rejects bytes past the end, garbage status lines and close-delimited bodies', () => {
    expect(() => new HttpResponseScanner().push(Buffer.from(`${CHUNKED}HTTP/1.1`))).toThrow(HttpScanError);
    expect(() => new HttpResponseScanner().push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(
      /status line/,
    );
    expect(() => new HttpResponseScanner().push(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'))).toThrow(
      /neither content-length nor chunked/,
    );
  });

  it('rejects a malformed chunk size', () => {
    const bad = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n';
    expect(() => new HttpResponseScanner().push(Buffer.from(bad))).toThrow(/bad chunk size/);
  });
});
