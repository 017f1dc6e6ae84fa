/**
 * Where `analyze` time goes, stage by stage, in one run on the same events (alternating rounds,
 * medians), so the stages can be compared as ratios on a shared, noisy machine:
 *
 *   gunzip       decompress the file (zlib's thread pool; overlaps the rest in `analyze`)
 *   JSON.parse   bytes → string → JSON.parse of every line (what the read+parse floor does per line)
 *   reader       the contract reader over the decompressed bytes: UTF-8 check, parse, schema, ts order
 *   features     extractFeatures on already-parsed events
 *   engine       the detector with features precomputed (profiles, linking, campaigns, policy)
 *
 *   npx tsx bench/analyze-stages.ts [--events FILE] [--count N] [--rounds R] [--data DIR]
 *
 * Without --events it generates ~1 KB-prompt events from the real corpora, as detector-speed does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { openEventStream } from '../src/contract/read-jsonl.js';
import type { ExchangeEvent } from '../src/contract/types.js';
import { createDetector } from '../src/detect/detector.js';
import { extractFeatures } from '../src/detect/features/extract.js';
import type { ExchangeFeatures } from '../src/detect/features/types.js';
import { median, positiveInt } from './bench-args.js';
import { readAndParse } from './read-parse.js';
import { reportErrors } from './script-errors.js';
import { writeSpeedFile } from './speed-events.js';

reportErrors(import.meta.url);

/** Splits decompressed JSON Lines into one Buffer per non-empty line. */
function splitLines(bytes: Buffer, limit: number): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  while (start < bytes.length && lines.length < limit) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    if (end > start) lines.push(bytes.subarray(start, end));
    start = end + 1;
  }
  return lines;
}

async function readerOver(bytes: Buffer): Promise<number> {
  // 1 MB chunks, like a file stream hands them over.
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 1 << 20) chunks.push(bytes.subarray(at, at + (1 << 20)));
  let n = 0;
  const reader = openEventStream(Readable.from(chunks), 'bench', { onInvalid: () => {} });
  for await (const batch of reader.batches()) n += batch.length;
  return n;
}

async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      count: { type: 'string' },
      rounds: { type: 'string' },
      data: { type: 'string', default: '../shared/data' },
    },
  });
  const count = positiveInt('--count', values.count, 50_000);
  const rounds = positiveInt('--rounds', values.rounds, 5);
  let path = values.events;
  let scratch: string | undefined;
  if (path === undefined) {
    scratch = mkdtempSync(join(tmpdir(), 'dg-stages-'));
    path = join(scratch, 'events.jsonl.gz');
    await writeSpeedFile(path, count, values.data);
  }
  try {
    const raw = readFileSync(path);
    const plain = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
    const lines = splitLines(plain, count);
    const bytes = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
    const events = lines.map((l) => JSON.parse(l.toString('utf8')) as ExchangeEvent);
    const n = events.length;
    const stages: Record<string, number[]> = {
      'read+gunzip+split+JSON.parse (the floor, whole file)': [],
      'JSON.parse of each line (bytes → string → object)': [],
      'contract reader over decompressed bytes (UTF-8, parse, schema, ts order)': [],
      extractFeatures: [],
      'engine with features precomputed': [],
    };
    // CPU time (all threads of the process) besides wall time: on a machine shared with other
    // work, wall time includes waiting for a core, CPU time mostly does not.
    const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(stages).map((k) => [k, []]));
    const us = (ms: number, items: number): number => (ms * 1000) / items;
    let sink = 0;
    let wall0 = 0;
    let cpu0 = process.cpuUsage();
    const start = (): void => {
      cpu0 = process.cpuUsage();
      wall0 = performance.now();
    };
    const stop = (stage: string, items: number): void => {
      const c = process.cpuUsage(cpu0);
      stages[stage]!.push(us(performance.now() - wall0, items));
      cpu[stage]!.push((c.user + c.system) / items);
    };
    for (let r = 0; r < rounds; r += 1) {
      start();
      const floor = await readAndParse(path);
      stop('read+gunzip+split+JSON.parse (the floor, whole file)', floor.lines);

      start();
      for (const line of lines) if (JSON.parse(line.toString('utf8')) !== null) sink++;
      stop('JSON.parse of each line (bytes → string → object)', n);

      start();
      sink += await readerOver(bytes);
      stop('contract reader over decompressed bytes (UTF-8, parse, schema, ts order)', n);

      const features = new Map<ExchangeEvent, ExchangeFeatures>();
      start();
      for (const e of events) features.set(e, extractFeatures(e));
      stop('extractFeatures', n);

      const detector = createDetector({ extract: (e) => features.get(e)! });
      start();
      for (const e of events) sink += detector.process(e).length;
      stop('engine with features precomputed', n);
      process.stderr.write(`round ${r + 1}/${rounds} done\n`);
    }
    if (sink < 0) process.stdout.write(`${sink}\n`); // keeps results observable
    const floorKey = 'read+gunzip+split+JSON.parse (the floor, whole file)';
    const floor = median(stages[floorKey]!);
    const floorCpu = median(cpu[floorKey]!);
    const load = loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
    process.stdout.write(
      `node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, load average ${load}; ` +
        `${n.toLocaleString('en-US')} events (${(bytes.length / n).toFixed(0)} B/line), median of ${rounds} alternating rounds\n`,
    );
    process.stdout.write(
      '| stage | wall µs/event | × floor | CPU µs/event | × floor CPU |\n| --- | ---: | ---: | ---: | ---: |\n',
    );
    for (const [name, samples] of Object.entries(stages)) {
      const m = median(samples);
      const c = median(cpu[name]!);
      process.stdout.write(
        `| ${name} | ${m.toFixed(2)} | ${(m / floor).toFixed(2)} | ${c.toFixed(2)} | ${(c / floorCpu).toFixed(2)} |\n`,
      );
    }
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

await run(process.argv.slice(2));
