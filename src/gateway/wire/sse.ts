/**
 * Incremental Server-Sent Events parsing and writing. Upstream bytes arrive in arbitrary
 * chunks (an event may straddle two TCP reads), so the parser keeps the unfinished tail and
 * returns only complete events. Only `event:` and `data:` fields matter for model APIs.
 */

/** One complete SSE event. `event` is absent when the server sent only `data:` lines. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** A stateful parser: feed it chunks, get back the events they completed. */
export interface SseParser {
  push(chunk: string): SseEvent[];
  /** Whatever is buffered but not yet terminated by a blank line (for diagnostics). */
  pending(): string;
}

/**
 * Creates an SSE parser that accepts `\n`, `\r\n` and `\r` line endings.
 *
 * @example
 * const parser = createSseParser();
 * parser.push('event: ping\ndata: {"a"'); // []
 * parser.push(':1}\n\n'); // [{ event: 'ping', data: '{"a":1}' }]
 */
export function createSseParser(): SseParser {
  let buffer = '';
  return {
    push(chunk: string): SseEvent[] {
      buffer += chunk;
      if (buffer.includes('\r')) buffer = buffer.replace(/\r\n?/g, '\n');
      const events: SseEvent[] = [];
      let boundary = buffer.indexOf('\n\n');
      while (boundary !== -1) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const parsed = parseBlock(block);
        if (parsed !== undefined) events.push(parsed);
        boundary = buffer.indexOf('\n\n');
      }
      return events;
    },
    pending: () => buffer,
  };
}

function parseBlock(block: string): SseEvent | undefined {
  let event: string | undefined;
  let data: string | undefined;
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
  }
  if (data === undefined) return undefined;
  return event === undefined ? { data } : { event, data };
}

/**
 * Serialises one SSE event (`data` must not contain newlines; JSON.stringify output never does).
 *
 * @example
 * formatSse('message_stop', '{"type":"message_stop"}');
 * // 'event: message_stop\ndata: {"type":"message_stop"}\n\n'
 */
export function formatSse(event: string | undefined, data: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}
