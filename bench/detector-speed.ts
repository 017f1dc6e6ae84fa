/**
 * Detector speed bar: in one run, alternately measure (a) plain read + gunzip + split +
 * JSON.parse of an event file, (b) the full `analyze` path (reader validation, features,
 * detector) and, to attribute the difference, the contract reader alone; take medians, compare. Bars: analyze ≥ 50,000 events/s and ≤ 3× (a).
 *
 *   npx tsx bench/detector-speed.ts [--events FILE] [--count N] [--rounds R] [--data DIR] [--no-record]
 *
 * Without --events it generates a .jsonl.gz of ~1 KB prompts drawn from the real corpora
 * (../shared/data, read in place) into a temporary directory. Results are appended to
 * docs/benchmarks.md unless --no-record.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openEvents } from '../src/contract/read-jsonl.js';
import { analyze } from '../src/detect/analyze.js';
import { createDetector } from '../src/detect/detector.js';
import { median, positiveInt } from './bench-args.js';
import { readAndParse } from './read-parse.js';
import { reportErrors } from './script-errors.js';
import { writeSpeedFile } from './speed-events.js';

reportErrors(import.meta.url);

const BAR_EVENTS_PER_SECOND = 50_000;
const BAR_RATIO = 3;

interface Measurement {
  events: number;
  ms: number;
  /** CPU time of the whole process (main thread and zlib's thread pool), milliseconds. */
  cpuMs: number;
}

/** Runs `fn` and adds the process CPU time it took to its measurement. */
async function withCpu(fn: () => Promise<{ events: number; ms: number }>): Promise<Measurement> {
  const before = process.cpuUsage();
  const m = await fn();
  const used = process.cpuUsage(before);
  return { ...m, cpuMs: (used.user + used.system) / 1000 };
}

/** The contract reader alone (UTF-8, JSON, schema, ts order): the part of (b) that is not detection. */
async function measureReader(path: string): Promise<{ events: number; ms: number }> {
  const started = performance.now();
  let events = 0;
  for await (const batch of openEvents(path).batches()) events += batch.length;
  return { events, ms: performance.now() - started };
}

async function measureAnalyze(path: string): Promise<{ events: number; ms: number }> {
  const started = performance.now();
  const reader = openEvents(path);
  const report = await analyze({ events: reader, detector: createDetector() });
  return { events: report.events, ms: performance.now() - started };
}

const rate = (m: Measurement): number => m.events / (m.ms / 1000);
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      count: { type: 'string' },
      rounds: { type: 'string' },
      data: { type: 'string', default: '../shared/data' },
      'no-record': { type: 'boolean', default: false },
    },
  });
  const count = positiveInt('--count', values.count, 200_000);
  const rounds = positiveInt('--rounds', values.rounds, 5);
  let path = values.events;
  let scratch: string | undefined;
  if (path === undefined) {
    scratch = mkdtempSync(join(tmpdir(), 'dg-speed-'));
    path = join(scratch, 'events.jsonl.gz');
    process.stderr.write(`generating ${fmt(count)} events with ~1 KB prompts from ${values.data} …\n`);
    await writeSpeedFile(path, count, values.data);
  } else if (!existsSync(path)) {
    throw new Error(`--events ${path}: no such file`);
  }
  try {
    const bytes = statSync(path).size;
    const plain: Measurement[] = [];
    const reader: Measurement[] = [];
    const full: Measurement[] = [];
    // Alternate so slow phases of a shared, noisy machine hit both measurements alike.
    for (let r = 0; r < rounds; r += 1) {
      plain.push(
        await withCpu(async () => {
          const p = await readAndParse(path);
          return { events: p.lines, ms: p.ms };
        }),
      );
      reader.push(await withCpu(() => measureReader(path)));
      full.push(await withCpu(() => measureAnalyze(path)));
      process.stderr.write(
        `round ${r + 1}/${rounds}: read+parse ${fmt(rate(plain[r]!))}/s, reader ${fmt(rate(reader[r]!))}/s, analyze ${fmt(rate(full[r]!))}/s\n`,
      );
    }
    const events = full[0]!.events;
    if (plain[0]!.events !== events) {
      process.stderr.write(
        `note: ${fmt(plain[0]!.events - events)} lines were parsed but rejected by analyze (invalid or out of order)\n`,
      );
    }
    const plainRate = median(plain.map(rate));
    const fullRate = median(full.map(rate));
    const ratio = median(full.map((m, i) => m.ms / plain[i]!.ms));
    const cpuUs = (m: Measurement): number => (m.cpuMs * 1000) / m.events;
    const cpuRatio = median(full.map((m, i) => m.cpuMs / plain[i]!.cpuMs));
    const load = loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
    const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
    const lines = [
      `events: ${fmt(events)} (${(bytes / 1e6).toFixed(1)} MB${path.endsWith('.gz') ? ' gzip' : ''}), ${rounds} alternating rounds, medians`,
      `read+gunzip+split+JSON.parse: ${fmt(plainRate)} events/s`,
      `contract reader alone (+UTF-8 check, schema validation, ts order): ${fmt(median(reader.map(rate)))} events/s (${median(reader.map((m, i) => m.ms / plain[i]!.ms)).toFixed(2)}× read+parse)`,
      `analyze (validate+features+detector): ${fmt(fullRate)} events/s  [bar ≥ ${fmt(BAR_EVENTS_PER_SECOND)}: ${verdict(fullRate >= BAR_EVENTS_PER_SECOND)}]`,
      `ratio analyze / read+parse: ${ratio.toFixed(2)}×  [bar ≤ ${BAR_RATIO}×: ${verdict(ratio <= BAR_RATIO)}]`,
      `CPU time per event (all threads; less sensitive to other work on the machine): read+parse ${median(plain.map(cpuUs)).toFixed(1)} µs, reader ${median(reader.map(cpuUs)).toFixed(1)} µs, analyze ${median(full.map(cpuUs)).toFixed(1)} µs; ratio analyze / read+parse ${cpuRatio.toFixed(2)}×`,
      `load average at the end: ${load}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (!values['no-record']) {
      const cpu = cpus()[0]?.model ?? 'unknown CPU';
      const command = `npx tsx bench/detector-speed.ts ${argv.join(' ')}`.trim();
      const section = [
        '',
        `## Detector speed — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        '',
        `Machine: ${cpu}, ${cpus().length} cores (shared with other work), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
        `Command: \`${command}\`${values.events === undefined ? ` (generated ${fmt(count)} events, ~1 KB prompts from the real corpora)` : ''}.`,
        '',
        ...lines.map((l) => `- ${l}`),
        '',
      ].join('\n');
      const docs = join('docs', 'benchmarks.md');
      mkdirSync('docs', { recursive: true });
      if (!existsSync(docs)) writeFileSync(docs, '# Benchmarks\n');
      appendFileSync(docs, section);
      process.stderr.write('appended to docs/benchmarks.md\n');
    }
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

await run(process.argv.slice(2));
