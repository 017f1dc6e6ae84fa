/**
 * Which detector `bench` runs: the distillguard engine by default, or the naive baseline for
 * comparison. The default is a one-line switch.
 */
import { createBaselineDetector } from '../detect/baseline-rate.js';
import { createDetector } from '../detect/detector.js';
import type { Policy } from '../detect/policy.js';
import type { OnlineDetector } from '../detect/types.js';
import type { DetectorName } from './bench-types.js';

/** Detector used when `--detector` is not given. */
export const DEFAULT_DETECTOR: DetectorName = 'distillguard';

/**
 * Returns a factory for a fresh detector of the given kind.
 *
 * @example
 * const make = detectorFactory('baseline', { baselineLimit: 300 });
 * const detector = make();
 */
export function detectorFactory(
  name: DetectorName,
  opts: { baselineLimit?: number; policy?: Policy } = {},
): () => OnlineDetector {
  if (name === 'baseline') {
    return () =>
      createBaselineDetector(opts.baselineLimit === undefined ? {} : { requestsPerHour: opts.baselineLimit });
  }
  const policy = opts.policy;
  return () => createDetector(policy === undefined ? {} : { policy });
}
