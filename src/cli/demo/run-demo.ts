/**
 * The README's main job: simulate a small labelled run, start the embedded gateway (SQLite,
 * in-process detector, mock upstream) and replay the run through it over real HTTP, then show
 * which campaigns were caught, how much they got before containment, and that benign users
 * were left alone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEvents } from '../../contract/read-jsonl.js';
import { replay } from './replay.js';
import { startReplayStack } from './replay-stack.js';
import { DemoTally, type PopulationTally } from './tally.js';

export interface DemoOptions {
  seed: number;
  scale: number;
  days: number;
  scenarios: string[];
  dataDir: string;
  concurrency: number;
  /** Keep the simulated files and the database here instead of a temporary directory. */
  keepDir?: string;
  write: (line: string) => void;
}

export interface DemoResult {
  rows: PopulationTally[];
  exampleRefusal: { status: number; errorType: string; caseRef: string | undefined } | undefined;
}

const pct = (part: number, whole: number): string =>
  whole === 0 ? '-' : `${((100 * part) / whole).toFixed(part === 0 || part === whole ? 0 : 1)}%`;

/** Formats the result table (campaigns, then benign personas). */
export function formatDemoTable(rows: PopulationTally[]): string[] {
  const header = ['population', 'accounts', 'requests', 'full', 'degraded', 'refused', 'outcome'];
  const body = rows.map((r) => [
    `${r.name}${r.attack ? ' (attack)' : ''}`,
    String(r.accounts),
    String(r.requests),
    String(r.servedFull),
    String(r.servedDegraded),
    String(r.refused + r.failed),
    r.attack
      ? `leak ${pct(r.servedFull, r.requests)}${r.firstContainedAt === undefined ? ', never contained' : `, contained from request ${r.requestsBeforeContainment + 1}`}`
      : `${r.touchedAccounts} of ${r.accounts} accounts throttled or worse`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 6 ? c : i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), ...body.map(line)];
}

/**
 * Runs the whole demo and returns what it measured.
 *
 * @example
 * await runDemo({ seed: 7, scale: 0.0005, days: 3, scenarios: ['deepseek', 'hydra'],
 *   dataDir: '../shared/data', concurrency: 8, write: console.log });
 */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const dir = opts.keepDir ?? (await mkdtemp(join(tmpdir(), 'distillguard-demo-')));
  const { write } = opts;
  try {
    write(
      `1/3 simulating ${opts.days} days of traffic with campaigns ${opts.scenarios.join(', ')} (seed ${opts.seed})`,
    );
    const stack = await startReplayStack({
      dir,
      seed: opts.seed,
      scale: opts.scale,
      days: opts.days,
      scenarios: opts.scenarios,
      dataDir: opts.dataDir,
      log: (line) => write(`    ${line}`),
    });
    const { sim, accounts, labels, secrets, gateway } = stack;
    write(
      `    ${sim.events.toLocaleString('en-US')} exchanges from ${sim.accounts.benign} benign and ${sim.accounts.attack} attack accounts`,
    );
    write(
      `2/3 replaying every exchange through ${gateway.url} over HTTP (${accounts.length} accounts, one key each)`,
    );

    const tally = new DemoTally(labels);
    const labelOf = new Map(labels.map((l) => [l.account_id, l]));
    const announced = new Set<string>();
    let exampleRefusal: DemoResult['exampleRefusal'];
    let sent = 0;
    const standing = new Map<string, ReturnType<typeof gateway.enforcement.get>>();
    try {
      await replay({
        url: gateway.url,
        events: openEvents(sim.files.events),
        secrets,
        concurrency: opts.concurrency,
        beforeSend: (event) => {
          standing.set(event.id, gateway.enforcement.get(event.account_id));
        },
        onResult: (result) => {
          const { event } = result;
          const enforcement = standing.get(event.id);
          standing.delete(event.id);
          const action = enforcement?.allowlisted === true ? undefined : enforcement?.action;
          tally.record(event.account_id, event.ts, action, result.status);
          const label = labelOf.get(event.account_id);
          if (result.errorType === 'account_blocked') {
            exampleRefusal ??= {
              status: result.status,
              errorType: result.errorType,
              caseRef: result.caseRef,
            };
            const name = label?.campaign ?? label?.persona ?? 'unlabelled';
            if (!announced.has(name) && enforcement !== undefined) {
              announced.add(name);
              write(
                `    ${event.ts}  first request refused for ${name}: ${enforcement.reasons.slice(0, 2).join('; ')}`,
              );
            }
          }
          if (++sent % 5000 === 0) write(`    ${sent.toLocaleString('en-US')} exchanges replayed`);
        },
      });
    } finally {
      for (const label of labels) {
        const entry = gateway.enforcement.get(label.account_id);
        if (entry !== undefined && entry.allowlisted !== true && entry.action !== 'monitor')
          tally.markTouched(label.account_id);
      }
      await stack.close();
    }

    write('3/3 result (leak = share of a campaign answered in full before it was contained)');
    for (const line of formatDemoTable(tally.rows())) write(`    ${line}`);
    if (exampleRefusal !== undefined) {
      write(
        `    a blocked account now gets HTTP ${exampleRefusal.status} ${exampleRefusal.errorType}${exampleRefusal.caseRef === undefined ? '' : ` (case ${exampleRefusal.caseRef})`}`,
      );
    }
    return { rows: tally.rows(), exampleRefusal };
  } finally {
    if (opts.keepDir === undefined) await rm(dir, { recursive: true, force: true });
  }
}
