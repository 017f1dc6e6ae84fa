/**
 * Caps V8's young generation in a running process. V8 grows the new space (two semi-spaces) up
 * to 16 MB per semi-space by default; under 64 connections that growth was ~30 MB of the gateway's
 * peak RSS, for no measurable throughput. `--max-semi-space-size` only works at start-up (a
 * launcher would need a second process or a shebang every command shares), but the growth factor
 * is read each time V8 grows the space: once the new space reaches the cap, setting it to 1 stops
 * further growth. Checked after each garbage collection, so the space overshoots by at most one
 * doubling.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The new space's current size (both semi-spaces), bytes. */
export function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

export interface YoungGenerationCap {
  /** Whether growth has been stopped. */
  readonly capped: boolean;
  /** Stops watching (growth stays stopped if it was). */
  stop(): void;
}

/**
 * Stops the new space growing once each semi-space is `maxSemiSpaceMb` or more. A process started
 * with `--max-semi-space-size` already has its own cap: then this does nothing.
 *
 * @example
 * const cap = capYoungGeneration(4); // in `serve`, before listening
 * process.once('exit', () => cap.stop());
 */
export function capYoungGeneration(maxSemiSpaceMb: number): YoungGenerationCap {
  if (!(maxSemiSpaceMb >= 1))
    throw new RangeError(`maxSemiSpaceMb must be at least 1, got ${maxSemiSpaceMb}`);
  const limit = 2 * maxSemiSpaceMb * 1024 * 1024;
  let capped = false;
  const explicit = process.execArgv.some((arg) => /^--max[-_]semi[-_]space[-_]size/.test(arg));
  const check = (): boolean => {
    if (capped || newSpaceBytes() < limit) return capped;
    setFlagsFromString('--semi-space-growth-factor=1');
    capped = true;
    return true;
  };
  if (explicit) return { capped: false, stop() {} };
  if (check()) return { capped: true, stop() {} };
  const observer = new PerformanceObserver(() => {
    if (check()) observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    get capped() {
      return capped;
    },
    stop() {
      observer.disconnect();
    },
  };
}
