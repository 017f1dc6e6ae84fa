/**
 * A one-line progress bar for long commands, drawn on a TTY only (stderr), so piped or logged
 * output stays clean. Written here rather than taken from a library because all it needs is
 * one redrawn line with a rate limit; a dependency would add more surface than this file.
 */

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): boolean;
}

export interface ProgressBar {
  /** Redraws (at most every `intervalMs`) with `done` of `total` (total unknown → a counter). */
  update(label: string, done: number, total?: number): void;
  /** Prints a line above the bar without garbling it (e.g. a rejected input line). */
  log(line: string): void;
  /** Erases the bar. */
  done(): void;
}

const WIDTH = 24;

/**
 * Creates a progress bar on `stream`; on a non-TTY stream every call is a no-op except `log`.
 *
 * @example
 * const bar = createProgressBar(process.stderr);
 * bar.update('analyze', 5_000, 20_000); // [######------------------]  25% analyze 5,000/20,000
 * bar.done();
 */
export function createProgressBar(
  stream: ProgressStream,
  opts: { intervalMs?: number; now?: () => number } = {},
): ProgressBar {
  const tty = stream.isTTY === true;
  const intervalMs = opts.intervalMs ?? 100;
  const now = opts.now ?? Date.now;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let visible = false;

  const clear = (): void => {
    if (visible) stream.write('\r\x1b[2K');
    visible = false;
  };

  return {
    update(label, done, total) {
      if (!tty) return;
      const t = now();
      if (t - lastDraw < intervalMs) return;
      lastDraw = t;
      const text = formatProgress(label, done, total);
      // A pseudo-terminal without a size reports 0 columns; draw at a common width then.
      const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80;
      stream.write(`\r\x1b[2K${text.slice(0, Math.max(0, columns - 1))}`);
      visible = true;
    },
    log(line) {
      clear();
      stream.write(`${line}\n`);
    },
    done() {
      clear();
    },
  };
}

/**
 * The text of one progress line.
 *
 * @example
 * formatProgress('analyze', 5, 20); // "[######------------------]  25% analyze 5/20"
 * formatProgress('simulate', 1234); // "simulate 1,234"
 */
export function formatProgress(label: string, done: number, total?: number): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  if (total === undefined || total <= 0) return `${label} ${n(done)}`;
  const share = Math.min(1, Math.max(0, done / total));
  const filled = Math.round(share * WIDTH);
  const pct = `${Math.floor(share * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${pct} ${label} ${n(done)}/${n(total)}`;
}
