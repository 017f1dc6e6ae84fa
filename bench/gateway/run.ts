/**
 * Gateway benchmark: direct, nginx, Portkey's gateway and distillguard (auth, limits and the
 * exchange log on) in front of one mock upstream, measured with wrk and a raw-socket TTFB probe.
 * Prints Markdown tables with ratios and bar verdicts and writes the raw runs as JSON to
 * bench/results/gateway-<timestamp>.json. It changes nothing in docs/.
 *
 *   npx tsx bench/gateway/run.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ArgsError, parseBenchArgs, USAGE } from './args.js';
import { buildForBench } from './build.js';
import { type CpuProfile, formatProfileSummary } from './cpu-profile.js';
import { type DistillguardTarget, distillguardAvailable, startDistillguardTarget } from './distillguard.js';
import { formatAudit, type GatewayAudit, readGatewayDb, scrapeCounters } from './gateway-audit.js';
import { checkTarget, measureTargets, pairedRatio, summarizeRuns, type TargetRuns } from './measure.js';
import { ServiceError, stopAll } from './process.js';
import { evaluateBars, formatReport, LOAD_LEVELS, type LoadLevel } from './report.js';
import { HOST, startMock, startNginxTarget, startPortkeyTarget, type Target } from './targets.js';
import { ensurePortkey, ensureSystemTools, SetupError } from './tools.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (line: string): void => {
  process.stderr.write(`[gateway-bench] ${line}\n`);
};

function versionOf(command: string, args: string[]): string {
  // nginx -v prints to stderr; wrk -v exits 1 after printing its banner: take whichever spoke.
  const result = spawnSync(command, args, { encoding: 'utf8' });
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return text.split('\n')[0]?.replace(/ Copyright.*$/, '') || 'unknown';
}

function pairedRatios(
  runs: TargetRuns[],
): Array<{ of: string; to: string; level: LoadLevel; ratio: number }> {
  const dg = runs.find((r) => r.name === 'distillguard');
  if (dg === undefined) return [];
  const out: Array<{ of: string; to: string; level: LoadLevel; ratio: number }> = [];
  for (const peer of runs.filter((r) => r.name === 'nginx' || r.name === 'portkey')) {
    for (const level of LOAD_LEVELS)
      out.push({ of: dg.name, to: peer.name, level, ratio: pairedRatio(dg, peer, level) });
  }
  return out;
}

/** Waits until the 1-min load average is at most `load`, for 15 minutes at most. */
async function waitForCalm(load: number): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  let said = false;
  while ((loadavg()[0] ?? 0) > load && Date.now() < deadline) {
    if (!said)
      log(`waiting for the 1-min load average (${(loadavg()[0] ?? 0).toFixed(1)}) to fall to ${load}`);
    said = true;
    await sleep(5000);
  }
  if ((loadavg()[0] ?? 0) > load)
    log(`still ${(loadavg()[0] ?? 0).toFixed(1)} after 15 min; measuring anyway`);
}

function newestProfile(dir: string): string {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files[0] === undefined) throw new SetupError(`distillguard wrote no .cpuprofile into ${dir}`);
  return files[0];
}

async function main(argv: string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const tools = await ensureSystemTools(log);
  const portkey = args.targets.includes('portkey') ? await ensurePortkey(args.portkeyDir, log) : undefined;
  log('compiling distillguard');
  const workDir = mkdtempSync(join(tmpdir(), 'dg-gateway-bench-'));
  const profileDir = args.profileDir === undefined ? undefined : resolve(args.profileDir);
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
  const startedAt = new Date();
  // Other work on these cores skews every figure: record how busy the machine was.
  let loadAtStart = loadavg()[0] ?? 0;
  try {
    // A build per run: a concurrent run must not delete the JS this one is executing.
    const { cli } = await buildForBench(repoRoot, join(workDir, 'build'), log);
    const direct = await startMock(cli, workDir);
    const targets: Target[] = [direct];
    let distillguard: DistillguardTarget | undefined;
    const skipped: string[] = [];
    if (args.targets.includes('nginx'))
      targets.push(await startNginxTarget(tools.nginx, workDir, direct.port));
    if (portkey !== undefined) targets.push(await startPortkeyTarget(portkey, workDir, direct.port));
    if (args.targets.includes('distillguard')) {
      if (distillguardAvailable(cli)) {
        distillguard = await startDistillguardTarget(cli, workDir, direct.port, profileDir);
        targets.push(distillguard);
      } else {
        skipped.push('distillguard (this build has no `serve` command yet)');
        log('skipping distillguard: this build has no `serve` command yet');
      }
    }
    for (const target of targets) await checkTarget(target);
    if (args.calmLoad !== undefined) await waitForCalm(args.calmLoad);
    loadAtStart = loadavg()[0] ?? 0;
    log(
      `measuring ${targets.map((t) => t.name).join(', ')}: ${args.plan.rounds} rounds of ${args.plan.durationSec} s runs`,
    );
    const runs = await measureTargets(targets, args.plan, workDir, log);
    const summaries = runs.map(summarizeRuns);
    let audit: GatewayAudit | undefined;
    if (distillguard !== undefined) {
      const counters = await scrapeCounters(`http://${HOST}:${distillguard.port}`);
      // A graceful stop drains the exchange log, so the database then holds everything logged.
      await distillguard.service.stop(30_000);
      audit = { ...counters, ...readGatewayDb(distillguard.dbPath) };
    }
    const report = formatReport(summaries);
    const machine = {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      kernel: release(),
      node: process.version,
      loadAverage1m: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    };
    const versions = {
      wrk: versionOf(tools.wrk, ['-v']),
      nginx: versionOf(tools.nginx, ['-v']),
      portkey: portkey?.version,
    };
    process.stdout.write(
      `\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; ${versions.wrk}; ${versions.nginx}; ` +
        `1-min load average ${machine.loadAverage1m.start.toFixed(1)} at start, ${machine.loadAverage1m.end.toFixed(1)} at end\n\n`,
    );
    process.stdout.write(report);
    const paired = pairedRatios(runs);
    if (paired.length > 0) {
      process.stdout.write(
        `\nper-round paired ratios (median over rounds): ${paired.map((p) => `${p.of}/${p.to} ${p.level}c ${p.ratio.toFixed(2)}×`).join(', ')}\n`,
      );
    }
    if (audit !== undefined) process.stdout.write(`\n${formatAudit(audit)}\n`);
    if (skipped.length > 0) process.stdout.write(`\nnot measured: ${skipped.join('; ')}\n`);
    const out =
      args.out ??
      join(repoRoot, 'bench', 'results', `gateway-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    mkdirSync(dirname(out), { recursive: true });
    const result = {
      benchmark: 'gateway',
      startedAt: startedAt.toISOString(),
      command: `npx tsx bench/gateway/run.ts ${argv.join(' ')}`.trim(),
      machine,
      versions,
      plan: args.plan,
      skipped,
      summaries,
      bars: evaluateBars(summaries),
      distillguardAudit: audit,
      pairedRatios: paired,
      runs,
    };
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\nraw runs: ${out}\n`);
    if (profileDir !== undefined) {
      const file = newestProfile(profileDir);
      process.stdout.write(
        `\ndistillguard CPU profile (${file}; figures above are slowed by profiling):\n\n`,
      );
      process.stdout.write(formatProfileSummary(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, 30));
    }
    return 0;
  } finally {
    await stopAll();
    rmSync(workDir, { recursive: true, force: true });
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the servers this run started`);
    void stopAll().finally(() => process.exit(130));
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ArgsError) process.stderr.write(`gateway-bench: ${error.message}\n\n${USAGE}`);
    else if (error instanceof SetupError || error instanceof ServiceError)
      process.stderr.write(`gateway-bench: ${error.message}\n`);
    else process.stderr.write(`gateway-bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof ArgsError ? 2 : 1;
  },
);
