/**
 * The detector `analyze` runs when none is given: the real engine from `detector.ts`, or — only in
 * a build where that module is absent — the naive baseline, with a note in the report saying so.
 * The engine is loaded by a runtime import so this file compiles whether or not it exists yet.
 */
import { createBaselineDetector } from './baseline-rate.js';
import type { Policy } from './policy.js';
import type { OnlineDetector } from './types.js';

export interface DefaultDetector {
  detector: OnlineDetector;
  /** 'distillguard' for the real engine, 'baseline' for the fallback. */
  name: 'distillguard' | 'baseline';
  /** Remarks for the report (e.g. that the fallback ran). */
  notes: string[];
}

/** Raised when an option needs the engine but this build has only the baseline. */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}

type CreateDetector = (opts?: { policy?: Policy }) => OnlineDetector;

/** Path of the engine module, in a variable so the type checker does not require the file. */
const ENGINE = './detector.js';

/** True only when the engine module itself is missing (not a module the engine imports). */
function isMissingEngine(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('message' in error)) return false;
  const message = String(error.message);
  // Node: "Cannot find module '/…/detect/detector.js' imported from …"; vite (tests): "Failed to load url ./detector.js …".
  return /^Cannot find module '[^']*[/\\]detect[/\\]detector\.js'|^Failed to load url \.\/detector\.js/.test(
    message,
  );
}

async function loadEngine(): Promise<CreateDetector | undefined> {
  let mod: unknown;
  try {
    mod = await import(ENGINE);
  } catch (error) {
    if (isMissingEngine(error)) return undefined;
    throw error;
  }
  if (
    typeof mod === 'object' &&
    mod !== null &&
    'createDetector' in mod &&
    typeof mod.createDetector === 'function'
  ) {
    return mod.createDetector as CreateDetector;
  }
  return undefined;
}

/**
 * Builds the default detector with an optional policy. A policy cannot drive the baseline, so
 * asking for one where the engine is absent is an error rather than a silently ignored flag.
 *
 * @example
 * const { detector, notes } = await defaultDetector();
 */
export async function defaultDetector(opts: { policy?: Policy } = {}): Promise<DefaultDetector> {
  const create = await loadEngine();
  if (create !== undefined) {
    return {
      detector: create(opts.policy === undefined ? {} : { policy: opts.policy }),
      name: 'distillguard',
      notes: [],
    };
  }
  if (opts.policy !== undefined) {
    throw new EngineUnavailableError(
      'a policy needs the distillguard detector (src/detect/detector.ts), which is not in this build',
    );
  }
  return {
    detector: createBaselineDetector(),
    name: 'baseline',
    notes: [
      'the distillguard detector is not in this build: decisions come from the naive baseline rate rule (block above 200 requests in any hour)',
    ],
  };
}
