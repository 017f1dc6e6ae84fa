/**
 * The gateway's local spool for when NATS is unreachable: an append-only JSONL file of messages
 * not yet accepted by JetStream, bounded in bytes so an outage cannot fill the disk. Replay
 * republishes with the same message ids, so a message both spooled and (unknowingly) stored
 * before the outage is de-duplicated by JetStream.
 */
import { appendFileSync, existsSync, readFileSync, statSync, truncateSync } from 'node:fs';

/** One message waiting for JetStream. */
export interface SpooledMessage {
  subject: string;
  /** JetStream message id (the event id): replays are de-duplicated by it. */
  id: string;
  /** The payload as JSON text. */
  data: string;
  /** What the payload is (sent as the dg-kind header). */
  kind: 'event' | 'account' | 'watermark';
  /** The publishing gateway and its event-time watermark then (dg-pub / dg-wm headers). */
  origin?: { publisher: string; watermark: number };
}

export interface Spool {
  /** Appends; returns false (and counts a drop) when the byte bound would be exceeded. */
  append(message: SpooledMessage): boolean;
  /** Everything spooled, oldest first; lines that are not whole messages (a torn last write) are skipped. */
  readAll(): SpooledMessage[];
  /** Empties the file once its messages are in JetStream. */
  clear(): void;
  readonly bytes: number;
  readonly dropped: number;
}

function isSpooled(v: unknown): v is SpooledMessage {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.subject === 'string' &&
    typeof r.id === 'string' &&
    typeof r.data === 'string' &&
    (r.kind === 'event' || r.kind === 'account' || r.kind === 'watermark')
  );
}

/**
 * Opens (or creates) the spool at `path`; what an earlier process left there is kept for replay.
 *
 * @example
 * const spool = openSpool('/var/lib/distillguard/bus.spool', 256 * 1024 * 1024);
 * spool.append({ subject: 'dg.events.3', id: event.event_id, data: JSON.stringify(event) });
 */
export function openSpool(path: string, maxBytes: number): Spool {
  let bytes = existsSync(path) ? statSync(path).size : 0;
  let dropped = 0;
  return {
    append(message) {
      const line = `${JSON.stringify(message)}\n`;
      const size = Buffer.byteLength(line);
      if (bytes + size > maxBytes) {
        dropped++;
        return false;
      }
      // Synchronous so a crash right after publish() returns still finds the line on disk.
      appendFileSync(path, line);
      bytes += size;
      return true;
    },
    readAll() {
      if (!existsSync(path)) return [];
      const out: SpooledMessage[] = [];
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (line === '') continue;
        try {
          const parsed: unknown = JSON.parse(line);
          if (isSpooled(parsed)) out.push(parsed);
        } catch {
          // A torn final line from a crash mid-append: the rest of the spool is still good.
        }
      }
      return out;
    },
    clear() {
      if (existsSync(path)) truncateSync(path, 0);
      bytes = 0;
    },
    get bytes() {
      return bytes;
    },
    get dropped() {
      return dropped;
    },
  };
}
