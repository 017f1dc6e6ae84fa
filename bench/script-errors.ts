/**
 * One way for every bench script to fail. The scripts are run by hand, so a bad flag, a missing
 * file or a server that is down ends in one line naming the script and what went wrong (and, for
 * a bad flag, the usage line from the script's own header), never a stack; `--help` prints that
 * usage line.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `npx tsx bench/…` lines of a script's header comment: its usage, written once. */
export function usageOf(source: string): string {
  const lines = source.match(/npx tsx (?:bench|scripts)\/[\w/.-]+\.ts[^\n]*/g) ?? [];
  // The header comes first; later matches are commands the script prints about itself.
  const header = source.slice(0, source.indexOf('*/') + 2);
  const own = lines.filter((line) => header.includes(line));
  return own.map((line) => `usage: ${line.trim()}`).join('\n');
}

function isFlagError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/**
 * Installs the script's failure path: call it first, with the script's `import.meta.url`.
 * Anything thrown or rejected later (top-level await included) prints `name: message` and exits
 * with 2 for a bad flag (after the usage line) or 1 otherwise.
 *
 * @example
 * reportErrors(import.meta.url);
 * const { values } = parseArgs({ options: { rounds: { type: 'string' } } });
 */
export function reportErrors(scriptUrl: string, argv: readonly string[] = process.argv.slice(2)): void {
  const path = fileURLToPath(scriptUrl);
  const name = basename(path, '.ts');
  const usage = (): string => usageOf(readFileSync(path, 'utf8'));
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage()}\n`);
    process.exit(0);
  }
  process.on('uncaughtException', (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${name}: ${message}\n`);
    if (isFlagError(error)) process.stderr.write(`${usage()}\n`);
    process.exit(isFlagError(error) ? 2 : 1);
  });
}
