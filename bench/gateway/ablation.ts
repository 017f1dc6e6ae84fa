/**
 * Ablation benchmark: distillguard's parts added one at a time on the same mock upstream
 * (see ablation-server.ts for the variants), measured with wrk in interleaved rounds. The drop
 * in requests/s from one variant to the next is what that part costs on this machine — a
 * measurement rather than a reading of CPU profiles taken on shared cores.
 *
 *   npx tsx bench/gateway/ablation.ts [--rounds N] [--duration S] [--variants embedded-1t,embedded]
 *                                     [--baseline /path/to/other/worktree] [--node-flags '--max-semi-space-size=4']
 *
 * `--baseline` also builds another checkout and runs its variants (labelled `base:<variant>`)
 * right before this tree's in every round, so a change is compared side by side with what it
 * changes rather than against figures from another time of the (shared, noisy) machine.
 * `--node-flags` also runs this tree's variants under those node flags (labelled `<variant>+flags`),
 * for V8 settings that only a launcher can set.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { VARIANTS } from './ablation-server.js';
import { buildForBench } from './build.js';
import { createBenchKey } from './distillguard.js';
import { checkTarget } from './measure.js';
import { readProcessMemory } from './memory.js';
import { freePort, startService, stopAll, waitForPort } from './process.js';
import { median } from './stats.js';
import { CHAT_PATH, chatBody, HOST, startMock } from './targets.js';
import { ensureSystemTools } from './tools.js';
import { runWrk, wrkLuaScript } from './wrk.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (line: string): void => {
  process.stderr.write(`[gateway-ablation] ${line}\n`);
};

export interface VariantFigures {
  /** The variant, prefixed `base:` when it ran from the `--baseline` build. */
  variant: string;
  p50Ms: number;
  p99Ms: number;
  rps16: number;
  rps64: number;
  /** VmHWM of the variant's process (tsx's loader included, so a few MB above a compiled run). */
  peakRssMb: number;
  errors: number;
}

/**
 * The ablation table: each variant's medians and its change from the variant before it.
 *
 * @example
 * process.stdout.write(formatAblation(figures));
 */
export function formatAblation(figures: readonly VariantFigures[]): string {
  const pct = (now: number, before: number | undefined): string =>
    before === undefined ? '' : `${now >= before ? '+' : ''}${(((now - before) / before) * 100).toFixed(0)}%`;
  const rows = figures.map((f, i) => {
    const prev = figures[i - 1];
    return [
      f.variant,
      `${f.p50Ms.toFixed(3)} ms`,
      `${f.p99Ms.toFixed(3)} ms`,
      f.rps16.toFixed(0),
      pct(f.rps16, prev?.rps16),
      f.rps64.toFixed(0),
      pct(f.rps64, prev?.rps64),
      `${f.peakRssMb.toFixed(0)} MB`,
      String(f.errors),
    ];
  });
  const header = ['variant', 'p50 1c', 'p99 1c', 'req/s 16c', 'Δ', 'req/s 64c', 'Δ', 'peak RSS', 'errors'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return `${[line(header), rule, ...rows.map(line)].join('\n')}\n`;
}

const USAGE = `Usage: npx tsx bench/gateway/ablation.ts [options]

Adds distillguard's parts one at a time on the same mock upstream and measures each with wrk,
in interleaved rounds (variants: ${VARIANTS.join(', ')}).

  --rounds N            rounds of every variant (default 3)
  --duration S          seconds per wrk run (default 4)
  --variants a,b        only these variants
  --baseline DIR        also build the checkout in DIR and run its variants (base:<variant>) in every round
  --node-flags 'FLAGS'  also run this tree's variants under these node flags (<variant>+flags)
  -h, --help            this text
`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      rounds: { type: 'string' },
      duration: { type: 'string' },
      variants: { type: 'string' },
      baseline: { type: 'string' },
      'node-flags': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  const chosen = values.variants === undefined ? [...VARIANTS] : values.variants.split(',');
  const unknown = chosen.filter((v) => !(VARIANTS as readonly string[]).includes(v));
  if (unknown.length > 0)
    throw new Error(`--variants: unknown ${unknown.join(', ')} (known: ${VARIANTS.join(', ')})`);
  const rounds = Number(values.rounds ?? 3);
  const durationSec = Number(values.duration ?? 4);
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(durationSec) || durationSec < 1) {
    throw new Error('--rounds and --duration must be whole numbers ≥ 1');
  }
  await ensureSystemTools(log);
  const workDir = mkdtempSync(join(tmpdir(), 'dg-gateway-ablation-'));
  try {
    const built = await buildForBench(repoRoot, join(workDir, 'build'), log);
    const builds = [{ prefix: '', suffix: '', flags: [] as string[], ...built }];
    if (values.baseline !== undefined) {
      const base = await buildForBench(resolve(values.baseline), join(workDir, 'build-base'), log);
      builds.unshift({ prefix: 'base:', suffix: '', flags: [], ...base });
    }
    const nodeFlags = values['node-flags']?.split(/\s+/).filter((f) => f !== '') ?? [];
    if (nodeFlags.length > 0) builds.push({ prefix: '', suffix: '+flags', flags: nodeFlags, ...built });
    const mock = await startMock(builds[builds.length - 1]!.cli, workDir);
    const targets: Array<{ variant: string; port: number; script: string; pid: number }> = [];
    for (const v of VARIANTS.filter((v) => chosen.includes(v))) {
      for (const { prefix, suffix, flags, cli, benchDir } of builds) {
        const variant = `${prefix}${v}${suffix}`;
        const dbPath = join(workDir, `${variant}.db`);
        const secret = await createBenchKey(cli, dbPath);
        const port = await freePort();
        const service = startService({
          name: variant,
          command: process.execPath,
          args: [...flags, join(benchDir, 'ablation-server.js'), v, String(port), String(mock.port), dbPath],
          logPath: join(workDir, `${variant}.log`),
          cwd: repoRoot,
        });
        await waitForPort(HOST, port, service, 30_000);
        const headers = { Authorization: `Bearer ${secret}` };
        await checkTarget({ name: 'distillguard', port, path: CHAT_PATH, headers });
        const script = join(workDir, `${variant}.lua`);
        writeFileSync(
          script,
          wrkLuaScript({
            method: 'POST',
            path: CHAT_PATH,
            headers: { 'Content-Type': 'application/json', ...headers },
            body: chatBody(false),
          }),
        );
        targets.push({ variant, port, script, pid: service.pid });
      }
    }
    if (nodeFlags.length > 0) log(`+flags: ${nodeFlags.join(' ')}`);
    const loadAtStart = loadavg()[0] ?? 0;
    for (const t of targets) {
      log(`warming up ${t.variant}`);
      await runWrk({
        url: `http://${HOST}:${t.port}`,
        script: t.script,
        connections: 16,
        threads: 1,
        durationSec: 8,
      });
    }
    const samples = new Map(
      targets.map((t) => [
        t.variant,
        { p50: [] as number[], p99: [] as number[], r16: [] as number[], r64: [] as number[], errors: 0 },
      ]),
    );
    for (let round = 1; round <= rounds; round++) {
      // Alternate the order, so neither side of an A/B pair always runs first (warmer or cooler).
      for (const t of round % 2 === 1 ? targets : [...targets].reverse()) {
        log(`round ${round}/${rounds}: ${t.variant}`);
        const s = samples.get(t.variant)!;
        const url = `http://${HOST}:${t.port}`;
        for (const connections of [1, 16, 64]) {
          const r = await runWrk({ url, script: t.script, connections, threads: 1, durationSec });
          // Every run, not only the medians: the spread shows how far a difference can be trusted.
          log(
            `  ${connections}c: ${r.requestsPerSec.toFixed(0)} req/s, p99 ${r.latency.p99Ms.toFixed(3)} ms`,
          );
          s.errors +=
            r.non2xx +
            r.socketErrors.connect +
            r.socketErrors.read +
            r.socketErrors.write +
            r.socketErrors.timeout;
          if (connections === 1) {
            s.p50.push(r.latency.p50Ms);
            s.p99.push(r.latency.p99Ms);
          } else (connections === 16 ? s.r16 : s.r64).push(r.requestsPerSec);
        }
      }
    }
    const figures: VariantFigures[] = targets.map((t) => {
      const s = samples.get(t.variant)!;
      return {
        variant: t.variant,
        p50Ms: median(s.p50),
        p99Ms: median(s.p99),
        rps16: median(s.r16),
        rps64: median(s.r64),
        peakRssMb: readProcessMemory(t.pid).peakMb,
        errors: s.errors,
      };
    });
    process.stdout.write(
      `\n${rounds} rounds × ${durationSec} s, medians; 1-min load average ${loadAtStart.toFixed(1)} at start, ${(loadavg()[0] ?? 0).toFixed(1)} at end\n\n`,
    );
    process.stdout.write(formatAblation(figures));
  } finally {
    await stopAll();
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stopAll().finally(() => process.exit(130)));
  }
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`gateway-ablation: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
