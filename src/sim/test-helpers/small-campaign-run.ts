/**
 * The small real simulation the pipeline, cluster and snapshot tests share: one day of
 * `deepseek` and `hydra` among the benign personas at scale 0.0003 (about 23k events, 340
 * accounts), read back into memory in file order (ts order).
 */
import { join } from 'node:path';
import { openAccounts, openEvents } from '../../contract/read-jsonl.js';
import type { AccountRecord, ExchangeEvent } from '../../contract/types.js';
import { simulate } from '../simulate.js';
import { TEST_DATA_DIR } from './world.js';

/**
 * Simulates the shared small run into `dir/sim` and returns its events and account records.
 *
 * @example
 * const { events, accounts } = await simulateSmallCampaignRun(mkdtempSync(join(tmpdir(), 'dg-')), 7);
 */
export async function simulateSmallCampaignRun(
  dir: string,
  seed: number,
): Promise<{ events: ExchangeEvent[]; accounts: AccountRecord[] }> {
  const sim = await simulate({
    outDir: join(dir, 'sim'),
    seed,
    scale: 0.0003,
    days: 1,
    scenarios: ['deepseek', 'hydra'],
    dataDir: TEST_DATA_DIR,
    onNotice: () => undefined,
  });
  const events: ExchangeEvent[] = [];
  const accounts: AccountRecord[] = [];
  for await (const e of openEvents(sim.files.events)) events.push(e);
  for await (const a of openAccounts(sim.files.accounts)) accounts.push(a);
  return { events, accounts };
}
