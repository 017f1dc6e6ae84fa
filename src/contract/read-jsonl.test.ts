import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAccessError } from './file-error.js';
import {
  type EventReadOptions,
  type JsonlReader,
  openAccounts,
  openEventStream,
  openEvents,
  openJsonlStream,
  openLabels,
} from './read-jsonl.js';
import { accountRecord, eventAt, label, sortedEvents } from './test-helpers/arbitraries.js';
import type { ExchangeEvent } from './types.js';
import { validateAccount } from './validate.js';
import { createJsonlWriter } from './write-jsonl.js';

const dir = mkdtempSync(join(tmpdir(), 'dg-read-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
const tempPath = (suffix: string): string => {
  fileCount += 1;
  return join(dir, `f${fileCount}${suffix}`);
};

async function collect<T>(reader: JsonlReader<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const record of reader) out.push(record);
  return out;
}

/** What a record looks like after a JSON round trip (e.g. -0 becomes 0). */
const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Line number of a `name:line: message` report. */
const lineOf = (message: string): number => Number(/:(\d+): /.exec(message)?.[1]);

/** A stream that delivers `bytes` in chunks cut at the given offsets. */
function chunked(bytes: Buffer, cuts: number[]): Readable {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const to of [...points, bytes.length]) {
    if (to > from) pieces.push(bytes.subarray(from, to));
    from = Math.max(from, to);
  }
  return Readable.from(pieces);
}

const event = (i: number, extra: Partial<ExchangeEvent> = {}): ExchangeEvent => ({
  id: `e${i}`,
  ts: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  account_id: 'acct-1',
  client: { ip: '203.0.113.7' },
  api: 'openai.chat',
  model: 'm',
  request: { messages: [{ role: 'user', content: `question ${i}` }] },
  ...extra,
});

describe('round trip writer → reader', () => {
  it.each(['.jsonl', '.jsonl.gz'])('yields every valid event unchanged and in order (%s)', async (suffix) => {
    await fc.assert(
      fc.asyncProperty(sortedEvents({ maxLength: 30 }), async (events) => {
        const path = tempPath(suffix);
        const writer = createJsonlWriter(path);
        for (const e of events) await writer.write(e);
        await writer.close();
        const problems: string[] = [];
        const reader = openEvents(path, { onInvalid: (m) => problems.push(m) });
        expect(await collect(reader)).toEqual(events.map(viaJson));
        expect(problems).toEqual([]);
        expect(reader.stats).toEqual({
          lines: events.length,
          valid: events.length,
          rejected: 0,
          late: 0,
          firstLateLine: 0,
        });
      }),
      { numRuns: 25 },
    );
  });

  it('round-trips account records and labels', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(accountRecord, { maxLength: 20 }),
        fc.array(label, { maxLength: 20 }),
        async (accounts, labels) => {
          const accountsPath = tempPath('.jsonl.gz');
          const labelsPath = tempPath('.jsonl');
          const a = createJsonlWriter(accountsPath);
          for (const r of accounts) await a.write(r);
          await a.close();
          const l = createJsonlWriter(labelsPath);
          for (const r of labels) await l.write(r);
          await l.close();
          expect(await collect(openAccounts(accountsPath, { onInvalid: () => {} }))).toEqual(
            accounts.map(viaJson),
          );
          expect(await collect(openLabels(labelsPath, { onInvalid: () => {} }))).toEqual(labels.map(viaJson));
        },
      ),
      { numRuns: 15 },
    );
  });
});

type Corruption = 'truncate' | 'bad-utf8' | 'wrong-type' | 'missing-field' | 'not-object';

/** Damages one serialized event so that it must be rejected. */
function corrupt(line: string, kind: Corruption, at: number): Buffer {
  const record = JSON.parse(line) as Record<string, unknown>;
  switch (kind) {
    case 'truncate':
      // Any proper non-empty prefix of an object's JSON is unbalanced, hence invalid.
      return Buffer.from(line.slice(0, 1 + (at % (line.length - 1))));
    case 'bad-utf8': {
      const bytes = Buffer.from(line);
      const pos = at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, pos), Buffer.from([0xff]), bytes.subarray(pos)]);
    }
    case 'wrong-type': {
      const field = (['id', 'account_id', 'client', 'api', 'model', 'request'] as const)[at % 6]!;
      return Buffer.from(JSON.stringify({ ...record, [field]: 42 }));
    }
    case 'missing-field': {
      const field = (['id', 'ts', 'account_id', 'client', 'api', 'model', 'request'] as const)[at % 7]!;
      const { [field]: _dropped, ...rest } = record;
      return Buffer.from(JSON.stringify(rest));
    }
    case 'not-object':
      return Buffer.from(JSON.stringify([record, at]));
  }
}

describe('corrupted lines', () => {
  it('rejects exactly the corrupted lines, with their line numbers, and yields all others in order', async () => {
    const lineArb = fc.record({
      corruption: fc.option(
        fc.constantFrom<Corruption>('truncate', 'bad-utf8', 'wrong-type', 'missing-field', 'not-object'),
        { freq: 3 },
      ),
      at: fc.nat(),
      crlf: fc.boolean(),
      blankAfter: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        sortedEvents({ minLength: 1, maxLength: 25 }).chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc.array(lineArb, { minLength: events.length, maxLength: events.length }),
          ),
        ),
        fc.array(fc.nat(), { maxLength: 8 }),
        async ([events, plan], cuts) => {
          const parts: Buffer[] = [];
          const expected: ExchangeEvent[] = [];
          const badLines: number[] = [];
          let lineNo = 0;
          events.forEach((e, i) => {
            const step = plan[i]!;
            const json = JSON.stringify(e);
            lineNo += 1;
            if (step.corruption === null) expected.push(viaJson(e));
            else badLines.push(lineNo);
            parts.push(
              step.corruption === null ? Buffer.from(json) : corrupt(json, step.corruption, step.at),
            );
            parts.push(Buffer.from(step.crlf ? '\r\n' : '\n'));
            if (step.blankAfter) {
              lineNo += 1;
              parts.push(Buffer.from('\n'));
            }
          });
          const problems: string[] = [];
          const reader = openEventStream(chunked(Buffer.concat(parts), cuts), 'mem', {
            onInvalid: (m) => problems.push(m),
          });
          expect(await collect(reader)).toEqual(expected);
          expect(problems.map(lineOf)).toEqual(badLines);
          for (const p of problems) expect(p).toMatch(/^mem:\d+: \S/);
          expect(reader.stats).toEqual({
            lines: lineNo,
            valid: expected.length,
            rejected: badLines.length,
            late: 0,
            firstLateLine: 0,
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('says what is wrong with each kind of bad line', async () => {
    const good = JSON.stringify(event(1));
    const lines = [
      good.slice(0, 20),
      `{"id":"x","bad":"\u00e9${'\xff'}"}`,
      JSON.stringify({ ...event(2), client: { ip: 7 } }),
      JSON.stringify({ ...event(3), api: 'grpc' }),
      JSON.stringify({ ...event(4), account_id: undefined }),
      '"just a string"',
      'null',
      JSON.stringify({ ...event(5), ts: 'yesterday' }),
    ];
    const bytes = Buffer.concat(
      lines.map((l, i) => (i === 1 ? Buffer.from([0x7b, 0xc3, 0x28, 0x7d, 0x0a]) : Buffer.from(`${l}\n`))),
    );
    const problems: string[] = [];
    await collect(
      openEventStream(Readable.from([bytes]), 'in.jsonl', { onInvalid: (m) => problems.push(m) }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^in\.jsonl:1: invalid JSON: /),
      'in.jsonl:2: invalid UTF-8',
      'in.jsonl:3: /client/ip: must be string',
      'in.jsonl:4: /api: must be one of "openai.chat", "anthropic.messages"',
      'in.jsonl:5: /: missing required property "account_id"',
      'in.jsonl:6: expected a JSON object, got a string',
      'in.jsonl:7: expected a JSON object, got null',
      'in.jsonl:8: /ts: must match format "date-time"',
    ]);
  });

  it('skips a byte-order mark and a final line without newline', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${JSON.stringify(event(1))}\r\n${JSON.stringify(event(2))}`),
    ]);
    const reader = openEventStream(Readable.from([bytes]), 'bom', { onInvalid: () => {} });
    expect((await collect(reader)).map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(reader.stats).toEqual({ lines: 2, valid: 2, rejected: 0, late: 0, firstLateLine: 0 });
  });

  it('rejects a byte-order mark after the first line and UTF-8-encoded surrogates, keeping the rest', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${JSON.stringify(event(1))}\n`),
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${JSON.stringify(event(2))}\n`),
      Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22, 0x0a]), // "\ud800" encoded as UTF-8: not valid UTF-8
      Buffer.from(`${JSON.stringify(event(4))}\n`),
    ]);
    const problems: string[] = [];
    const reader = openEventStream(Readable.from([bytes]), 'mid', { onInvalid: (m) => problems.push(m) });
    expect((await collect(reader)).map((e) => e.id)).toEqual(['e1', 'e4']);
    expect(problems).toEqual([expect.stringMatching(/^mid:2: invalid JSON: /), 'mid:3: invalid UTF-8']);
  });
});

describe('batches()', () => {
  it('yields the same records, in order, as iterating the reader', async () => {
    await fc.assert(
      fc.asyncProperty(
        sortedEvents({ maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (events, cuts) => {
          const bytes = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
          const flat: ExchangeEvent[] = [];
          for await (const batch of openEventStream(chunked(bytes, cuts), 'b').batches()) {
            expect(batch.length).toBeGreaterThan(0);
            flat.push(...batch);
          }
          expect(flat).toEqual(events.map(viaJson));
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('ts order', () => {
  /** Reads `events` as one stream; returns what came out, what was reported and the counts. */
  async function readBack(events: ExchangeEvent[], opts: EventReadOptions = {}) {
    const problems: string[] = [];
    const bytes = Buffer.from(events.map((e) => JSON.stringify(e)).join('\n'));
    const reader = openEventStream(Readable.from([bytes]), 'ev', {
      ...opts,
      onInvalid: (m) => problems.push(m),
    });
    const got = await collect(reader);
    return { got, ids: got.map((e) => e.id), problems, stats: reader.stats };
  }
  const roughlySorted = [event(1), event(3), event(2), event(3, { id: 'e3b' }), event(4)];

  it('puts events out of order within the window back in order (ties keep file order)', async () => {
    const r = await readBack(roughlySorted);
    expect(r.got.map((e) => e.ts)).toEqual([1, 2, 3, 3, 4].map((i) => event(i).ts));
    expect(r.problems).toEqual([]);
    expect(r.stats).toMatchObject({ valid: 5, rejected: 0, late: 0, firstLateLine: 0 });
  });

  it('with window 0 keeps file order and counts the event behind the previous one as late', async () => {
    const r = await readBack(roughlySorted, { windowMs: 0 });
    expect(r.ids).toEqual(['e1', 'e3', 'e2', 'e3b', 'e4']);
    expect(r.problems).toEqual([]);
    expect(r.stats).toMatchObject({ lines: 5, valid: 5, rejected: 0, late: 1, firstLateLine: 3 });
  });

  it('rejects a repeated event id with both lines, and keeps every other event', async () => {
    const r = await readBack([event(1), event(2), event(1), event(3)]);
    expect(r.ids).toEqual(['e1', 'e2', 'e3']);
    expect(r.problems).toEqual(['ev:3: duplicate event id e1 (first at line 1); skipped']);
    expect(r.stats).toMatchObject({ lines: 4, valid: 3, rejected: 1 });
  });

  it('remembers ids for the dedupe window only', async () => {
    const r = await readBack([event(1), event(2), event(3), event(1)], { dedupeWindow: 2 });
    expect(r.ids).toEqual(['e1', 'e1', 'e2', 'e3']);
  });

  it('compares instants, not strings, across UTC offsets', async () => {
    const a = event(0, { ts: '2026-01-01T01:00:00.000+02:00' }); // 23:00Z the day before
    const b = event(1, { ts: '2025-12-31T23:30:00.000Z' });
    const reader = openEventStream(
      Readable.from([Buffer.from(`${JSON.stringify(a)}\n${JSON.stringify(b)}\n`)]),
      'tz',
    );
    expect((await collect(reader)).length).toBe(2);
  });
});

describe('large and compressed input', () => {
  it('reads a 5 MB line between ordinary lines, from a file and from gzip', async () => {
    const big = event(2, { request: { messages: [{ role: 'user', content: 'x'.repeat(5 * 1024 * 1024) }] } });
    const text = [event(1), big, event(3)].map((e) => JSON.stringify(e)).join('\n');
    for (const [path, bytes] of [
      [tempPath('.jsonl'), Buffer.from(text)],
      [tempPath('.jsonl.gz'), gzipSync(text)],
    ] as const) {
      writeFileSync(path, bytes);
      const got = await collect(openEvents(path));
      expect(got.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
      expect(String(got[1]!.request.messages[0]!.content).length).toBe(5 * 1024 * 1024);
    }
  });

  it('stops at a truncated gzip stream with an error at the line where it stopped, keeping what came before', async () => {
    const events = Array.from({ length: 3000 }, (_, i) => event(i));
    const full = gzipSync(events.map((e) => JSON.stringify(e)).join('\n'));
    const path = tempPath('.jsonl.gz');
    writeFileSync(path, full.subarray(0, Math.floor(full.length * 0.6)));
    const problems: string[] = [];
    const reader = openEvents(path, { onInvalid: (m) => problems.push(m) });
    const got = await collect(reader);
    expect(got.length).toBeGreaterThan(1000);
    expect(got.length).toBeLessThan(3000);
    expect(got).toEqual(events.slice(0, got.length));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(
        `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${got.length + 1}: gzip data is truncated or corrupt`,
      ),
    );
    expect(reader.stats.rejected).toBe(1);
  });

  it('reports corrupt gzip data instead of crashing', async () => {
    const events = Array.from({ length: 2000 }, (_, i) => event(i));
    const bytes = gzipSync(events.map((e) => JSON.stringify(e)).join('\n'));
    for (let i = Math.floor(bytes.length / 2); i < Math.floor(bytes.length / 2) + 64; i += 1) bytes[i] = 0x55;
    const problems: string[] = [];
    const got = await collect(
      openEventStream(Readable.from([bytes]), 'broken.gz', { onInvalid: (m) => problems.push(m) }),
    );
    expect(got).toEqual(events.slice(0, got.length));
    expect(problems.at(-1)).toMatch(/^broken\.gz:\d+: gzip data is truncated or corrupt/);
  });

  it('detects gzip by its magic bytes, whatever the name', async () => {
    const stream = chunked(gzipSync(`${JSON.stringify(event(1))}\n`), [1]);
    expect((await collect(openEventStream(stream, 'stdin'))).map((e) => e.id)).toEqual(['e1']);
  });
});

describe('inputs', () => {
  it('throws a FileAccessError naming a missing file', async () => {
    const missing = join(dir, 'nope.jsonl');
    await expect(collect(openEvents(missing))).rejects.toThrow(
      new FileAccessError(`cannot read ${missing}: no such file or directory`, missing, 'ENOENT'),
    );
  });

  it('throws a FileAccessError for a directory', async () => {
    await expect(collect(openEvents(dir))).rejects.toThrow(`cannot read ${dir}: is a directory`);
  });

  it('can be iterated only once', async () => {
    const reader = openJsonlStream(Readable.from([Buffer.from('{}\n')]), 'once', validateAccount, {
      onInvalid: () => {},
    });
    await collect(reader);
    expect(() => reader[Symbol.asyncIterator]()).toThrow('once can be read only once');
  });

  it('stops reading early without hanging when the consumer breaks', async () => {
    const path = tempPath('.jsonl.gz');
    writeFileSync(
      path,
      gzipSync(Array.from({ length: 5000 }, (_, i) => JSON.stringify(event(i))).join('\n')),
    );
    let n = 0;
    for await (const _ of openEvents(path)) {
      n += 1;
      if (n === 10) break;
    }
    expect(n).toBe(10);
  });

  it('reads `-` from stdin, plain or gzip', () => {
    const script = fileURLToPath(new URL('./test-helpers/count-stdin.ts', import.meta.url));
    const lines = `${JSON.stringify(event(1))}\nnot json\n${JSON.stringify(event(2))}\n`;
    for (const input of [Buffer.from(lines), gzipSync(lines)]) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', script], { input, encoding: 'utf8' });
      expect(child.stderr).toContain('stdin:2: invalid JSON');
      expect(JSON.parse(child.stdout)).toEqual({
        ids: ['e1', 'e2'],
        stats: { lines: 3, valid: 2, rejected: 1, late: 0, firstLateLine: 0 },
      });
    }
  });

  it('yields events that the arbitrary generator marks valid one at a time', async () => {
    await fc.assert(
      fc.asyncProperty(eventAt(Date.UTC(2026, 0, 1)), async (e) => {
        const got = await collect(
          openEventStream(Readable.from([Buffer.from(`${JSON.stringify(e)}\n`)]), 's'),
        );
        expect(got).toEqual([viaJson(e)]);
      }),
      { numRuns: 100 },
    );
  });
});
