/**
 * Waiting for a stream event without leaking listeners: writers and the gunzip pump wait for
 * 'drain' thousands of times per file, so every wait must clean up after itself.
 */
import type { Writable } from 'node:stream';

/**
 * Resolves when `stream` emits `event`, closes or errors (errors are reported elsewhere by the
 * owner's own 'error' listener), then removes the listeners it added.
 *
 * @example
 * if (!stream.write(block)) await settle(stream, 'drain');
 */
export function settle(stream: Writable, event: 'drain' | 'end' | 'close'): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off(event, done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on(event, done);
    stream.on('close', done);
    stream.on('error', done);
  });
}
