/**
 * The measurement loop. Targets are interleaved round by round (every target once per round)
 * rather than measured one after another, so a burst of other work on this shared machine
 * lands on all of them alike; each figure is the median over rounds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readProcessMemory } from './memory.js';
import { LOAD_LEVELS, type LoadLevel, type TargetSummary } from './report.js';
import { median } from './stats.js';
import { chatBody, HOST, type Target } from './targets.js';
import { measureTtfb, type TtfbResult } from './ttfb.js';
import { runWrk, type WrkResult, wrkLuaScript } from './wrk.js';

export interface Plan {
  rounds: number;
  /** Seconds per wrk run. */
  durationSec: number;
  /**
   * Seconds of discarded load per target before the first round. Node targets need thousands of
   * requests before the JIT settles: a freshly started gateway ran ~100 req/s in its first second here.
   */
  warmupSec: number;
  /** wrk threads for the multi-connection runs (1 at 1 connection). */
  threads: number;
  /** Streaming requests timed per target per round. */
  ttfbSamples: number;
}

export const FULL_PLAN: Plan = { rounds: 5, durationSec: 5, warmupSec: 8, threads: 1, ttfbSamples: 100 };
export const QUICK_PLAN: Plan = { rounds: 3, durationSec: 2, warmupSec: 4, threads: 1, ttfbSamples: 40 };

export interface TargetRuns {
  name: Target['name'];
  latency: WrkResult[];
  load: Record<LoadLevel, WrkResult[]>;
  ttfb: TtfbResult[];
  memory: { peakMb: number; currentMb: number } | undefined;
}

/**
 * A request that must succeed before a target is load-tested, so a misrouted target fails with
 * its answer instead of producing fast error figures.
 *
 * @example
 * await checkTarget(target); // throws with the status and body excerpt on failure
 */
export async function checkTarget(target: Target): Promise<void> {
  const response = await fetch(`http://${HOST}:${target.port}${target.path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...target.headers },
    body: chatBody(false),
  });
  const text = await response.text();
  if (response.status !== 200 || !text.includes('"choices"')) {
    throw new Error(`${target.name} answered ${response.status} to a chat request: ${text.slice(0, 300)}`);
  }
}

function errorsOf(result: WrkResult): number {
  const s = result.socketErrors;
  return result.non2xx + s.connect + s.read + s.write + s.timeout;
}

/**
 * Runs the plan over `targets` and returns every raw run (for the JSON) per target.
 *
 * @example
 * const runs = await measureTargets(targets, QUICK_PLAN, workDir, console.error);
 */
export async function measureTargets(
  targets: readonly Target[],
  plan: Plan,
  workDir: string,
  log: (line: string) => void,
): Promise<TargetRuns[]> {
  const scripts = new Map<Target, string>();
  for (const target of targets) {
    const script = join(workDir, `${target.name}.lua`);
    writeFileSync(
      script,
      wrkLuaScript({
        method: 'POST',
        path: target.path,
        headers: { 'Content-Type': 'application/json', ...target.headers },
        body: chatBody(false),
      }),
    );
    scripts.set(target, script);
  }
  const url = (target: Target): string => `http://${HOST}:${target.port}`;
  const runs = new Map<Target, TargetRuns>(
    targets.map((target) => [
      target,
      { name: target.name, latency: [], load: { 16: [], 64: [] }, ttfb: [], memory: undefined },
    ]),
  );
  for (const target of targets) {
    log(`warming up ${target.name}`);
    await runWrk({
      url: url(target),
      script: scripts.get(target)!,
      connections: 16,
      threads: plan.threads,
      durationSec: plan.warmupSec,
    });
  }
  for (let round = 1; round <= plan.rounds; round++) {
    for (const target of targets) {
      const record = runs.get(target)!;
      const script = scripts.get(target)!;
      log(`round ${round}/${plan.rounds}: ${target.name}`);
      record.latency.push(
        await runWrk({ url: url(target), script, connections: 1, threads: 1, durationSec: plan.durationSec }),
      );
      for (const level of LOAD_LEVELS) {
        record.load[level].push(
          await runWrk({
            url: url(target),
            script,
            connections: level,
            threads: plan.threads,
            durationSec: plan.durationSec,
          }),
        );
      }
      record.ttfb.push(
        await measureTtfb({
          host: HOST,
          port: target.port,
          path: target.path,
          headers: target.headers,
          body: chatBody(true),
          samples: plan.ttfbSamples,
          warmup: round === 1 ? Math.min(20, plan.ttfbSamples) : 2,
        }),
      );
    }
  }
  for (const target of targets) {
    if (target.memory !== undefined) {
      runs.get(target)!.memory = readProcessMemory(target.memory.pid, target.memory.withChildren);
    }
  }
  return [...runs.values()];
}

/**
 * Medians over the rounds of one target.
 *
 * @example
 * const summaries = runs.map(summarizeRuns);
 */
export function summarizeRuns(runs: TargetRuns): TargetSummary {
  const all = [...runs.latency, ...LOAD_LEVELS.flatMap((level) => runs.load[level])];
  return {
    name: runs.name,
    p50Ms: median(runs.latency.map((r) => r.latency.p50Ms)),
    p99Ms: median(runs.latency.map((r) => r.latency.p99Ms)),
    requestsPerSec: {
      16: median(runs.load[16].map((r) => r.requestsPerSec)),
      64: median(runs.load[64].map((r) => r.requestsPerSec)),
    },
    ttfbFirstByteMs: median(runs.ttfb.flatMap((t) => t.firstByteMs)),
    ttfbFirstEventMs: median(runs.ttfb.flatMap((t) => t.firstBodyMs)),
    peakRssMb: runs.memory?.peakMb,
    errors: all.reduce((sum, r) => sum + errorsOf(r), 0),
  };
}

/**
 * Median over rounds of `a`'s requests/s divided by `b`'s in the same round: with interleaved
 * rounds this cancels slow drifts in the machine's other load that a ratio of medians keeps.
 *
 * @example
 * pairedRatio(distillguardRuns, nginxRuns, 16); // e.g. 0.31
 */
export function pairedRatio(a: TargetRuns, b: TargetRuns, level: LoadLevel): number {
  const rounds = Math.min(a.load[level].length, b.load[level].length);
  if (rounds === 0) throw new RangeError(`no ${level}-connection rounds to pair`);
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++)
    ratios.push(a.load[level][i]!.requestsPerSec / b.load[level][i]!.requestsPerSec);
  return median(ratios);
}
