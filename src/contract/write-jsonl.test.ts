import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAccessError } from './file-error.js';
import { sortedEvents } from './test-helpers/arbitraries.js';
import { createJsonlWriter } from './write-jsonl.js';

const dir = mkdtempSync(join(tmpdir(), 'dg-write-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writeAll(path: string, records: object[]): Promise<Buffer> {
  const writer = createJsonlWriter(path);
  for (const r of records) await writer.write(r);
  await writer.close();
  return readFileSync(path);
}

describe('createJsonlWriter', () => {
  it('writes one JSON document per line', async () => {
    const bytes = await writeAll(join(dir, 'plain.jsonl'), [{ a: 1 }, { b: 'x\ny' }]);
    expect(bytes.toString('utf8')).toBe('{"a":1}\n{"b":"x\\ny"}\n');
  });

  it('gzips when the path ends in .gz, deterministically', async () => {
    await fc.assert(
      fc.asyncProperty(sortedEvents({ maxLength: 40 }), async (events) => {
        const first = await writeAll(join(dir, 'a.jsonl.gz'), events);
        const second = await writeAll(join(dir, 'b.jsonl.gz'), events);
        expect(first.equals(second)).toBe(true);
        expect(gunzipSync(first).toString('utf8')).toBe(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
      }),
      { numRuns: 20 },
    );
  });

  it('handles more data than one block, waiting for the sink when it asks', async () => {
    const records = Array.from({ length: 20_000 }, (_, i) => ({ i, pad: 'p'.repeat(50) }));
    const bytes = await writeAll(join(dir, 'many.jsonl.gz'), records);
    const lines = gunzipSync(bytes).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(20_000);
    expect(JSON.parse(lines[19_999]!)).toEqual(records[19_999]);
  });

  it('does not pile up listeners while waiting for the sink many times', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.name);
    };
    process.on('warning', onWarning);
    try {
      const big = { pad: 'q'.repeat(200_000) };
      await writeAll(
        join(dir, 'drains.jsonl'),
        Array.from({ length: 60 }, () => big),
      );
      await writeAll(
        join(dir, 'drains.jsonl.gz'),
        Array.from({ length: 60 }, () => big),
      );
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it.each(['out.jsonl', 'out.jsonl.gz'])(
    'rejects close() with a FileAccessError when %s cannot be written',
    async (file) => {
      const path = join(dir, 'no-such-dir', file);
      const writer = createJsonlWriter(path);
      await writer.write({ a: 1 });
      const closing = writer.close();
      await expect(closing).rejects.toBeInstanceOf(FileAccessError);
      await expect(closing).rejects.toThrow(`cannot write ${path}: no such file or directory`);
    },
  );

  it('refuses writes after close', async () => {
    const writer = createJsonlWriter(join(dir, 'closed.jsonl'));
    await writer.close();
    expect(() => writer.write({})).toThrow('write after close');
  });
});
