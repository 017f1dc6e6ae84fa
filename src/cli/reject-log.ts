/**
 * Prints rejected-input messages above the progress bar, up to a limit, so a badly broken file
 * cannot flood the terminal; beyond the limit lines are only counted (the report has the total).
 */
import type { ProgressBar } from './progress-bar.js';

/**
 * Returns an `onInvalid` callback for the JSONL readers.
 *
 * @example
 * const reader = openEvents(path, { onInvalid: rejectLog(bar, 50) });
 */
export function rejectLog(bar: Pick<ProgressBar, 'log'>, max: number): (message: string) => void {
  let seen = 0;
  return (message) => {
    seen += 1;
    if (seen <= max) bar.log(message);
    else if (seen === max + 1) bar.log(`… more than ${max} rejected lines; further ones are only counted`);
  };
}
