/**
 * Which detector `bench` runs. The default is the one-line switch: it stays on the baseline
 * until the real engine (src/detect/detector.ts) lands, then becomes 'distillguard'.
 */
import { createBaselineDetector } from '../detect/baseline-rate.js';
import type { OnlineDetector } from '../detect/types.js';
import type { DetectorName } from './bench-types.js';

/** Detector used when `--detector` is not given. */
export const DEFAULT_DETECTOR: DetectorName = 'baseline';

/** Raised when the named detector cannot be built in this build or with these options. */
export class DetectorUnavailableError extends Error {
  override name = 'DetectorUnavailableError';
}

/**
 * Returns a factory for a fresh detector of the given kind.
 *
 * @example
 * const make = detectorFactory('baseline', { baselineLimit: 300 });
 * const detector = make();
 */
export function detectorFactory(
  name: DetectorName,
  opts: { baselineLimit?: number } = {},
): () => OnlineDetector {
  if (name === 'baseline') {
    return () =>
      createBaselineDetector(opts.baselineLimit === undefined ? {} : { requestsPerHour: opts.baselineLimit });
  }
  throw new DetectorUnavailableError(
    'the distillguard detector (src/detect/detector.ts) is not in this build yet; run with --detector baseline',
  );
}
