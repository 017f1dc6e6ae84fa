/**
 * A copy of a kept `simulate` output with one population's events rewritten, for the scripts that
 * ask "what if this campaign or persona wrote its prompts differently?" (bench/translate-frames.ts,
 * bench/frames-to-system.ts). Accounts and labels are copied as they are.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openEvents, openLabels } from '../src/contract/read-jsonl.js';
import type { ExchangeEvent } from '../src/contract/types.js';
import { createJsonlWriter } from '../src/contract/write-jsonl.js';
import { inputFiles } from '../src/sim/bench-run.js';

/** How many of the population's exchanges there were and how many `rewrite` changed. */
export interface RewriteCount {
  exchanges: number;
  rewritten: number;
}

/**
 * Copies `dir` to `outDir`, passing each event of the accounts labelled `group` (a campaign or a
 * persona) through `rewrite`, which edits it in place and says whether it changed anything.
 *
 * @example
 * const n = await rewriteSimulation('/tmp/sim', '/tmp/sim-zh', 'deepseek', (e) => translate(e));
 * n.rewritten; // exchanges changed
 */
export async function rewriteSimulation(
  dir: string,
  outDir: string,
  group: string,
  rewrite: (event: ExchangeEvent) => boolean,
): Promise<RewriteCount> {
  const files = inputFiles(dir);
  const members = new Set<string>();
  for await (const l of openLabels(files.labels)) {
    if (l.campaign === group || l.persona === group) members.add(l.account_id);
  }
  mkdirSync(outDir, { recursive: true });
  copyFileSync(files.labels, join(outDir, 'labels.jsonl'));
  if (files.accounts !== null) copyFileSync(files.accounts, join(outDir, 'accounts.jsonl'));
  const out = createJsonlWriter(join(outDir, 'events.jsonl.gz'));
  const count: RewriteCount = { exchanges: 0, rewritten: 0 };
  for await (const event of openEvents(files.events)) {
    if (members.has(event.account_id)) {
      count.exchanges++;
      if (rewrite(event)) count.rewritten++;
    }
    await out.write(event);
  }
  await out.close();
  return count;
}
