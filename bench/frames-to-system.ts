/**
 * A kept `simulate` output in which deepseek asks for reasoning traces through the system prompt:
 * each prompt made from one of its reasoning-trace frames becomes a bare question, and the frame's
 * instruction moves to the request's `system` field; everything else stays the same. Run
 * `bench --data-dir` on the original and the copy to see whether the detector still reads the
 * request when it is not in the user turn.
 *
 * Usage: npx tsx bench/frames-to-system.ts <simulate-dir> <out-dir>
 */
import type { ExchangeEvent } from '../src/contract/types.js';
import { COT_TEMPLATES } from '../src/sim/campaigns/deepseek.js';
import { framePattern } from './frame-translations.js';
import { rewriteSimulation } from './rewrite-simulation.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const [dir, outDir] = process.argv.slice(2);
if (dir === undefined || outDir === undefined) throw new Error('needs <simulate-dir> <out-dir>');

/** Each frame's pattern and its instruction: the frame's text without the question. */
const FRAMES = COT_TEMPLATES.map((frame) => ({
  pattern: framePattern(frame),
  instruction: frame.replace('{q}', '').trim(),
}));

/** Moves the frame of the last message to the system prompt; true when a frame matched. */
function moveFrame(event: ExchangeEvent): boolean {
  const messages = event.request.messages;
  const last = Array.isArray(messages) ? messages[messages.length - 1] : undefined;
  if (last === undefined || typeof last.content !== 'string') return false;
  for (const { pattern, instruction } of FRAMES) {
    const q = pattern.exec(last.content)?.groups?.q;
    if (q === undefined) continue;
    last.content = q.trim();
    event.request.system = instruction;
    return true;
  }
  return false;
}

const n = await rewriteSimulation(dir, outDir, 'deepseek', moveFrame);
process.stdout.write(
  `${outDir}: ${n.rewritten} of ${n.exchanges} deepseek exchanges ask through the system prompt\n`,
);
