#!/usr/bin/env node
/**
 * The `distillguard` command. Each subcommand lives in its own module under ./commands and
 * exports `register(program)`; this file only wires them together and turns user errors into
 * a clean message and exit code.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { UsageError } from './errors.js';

type CommandModule = { register(program: Command): void };

/**
 * Subcommand modules, in the order `--help` lists them. Loaded on demand: a `serve` process does
 * not carry the simulator's and the bench's code (8 MB of RSS measured with all of them loaded).
 */
const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<CommandModule>]> = [
  ['demo', () => import('./commands/demo.js')],
  ['serve', () => import('./commands/serve.js')],
  ['mock-upstream', () => import('./commands/mock-upstream.js')],
  ['analyze', () => import('./commands/analyze.js')],
  ['export', () => import('./commands/export.js')],
  ['simulate', () => import('./commands/simulate.js')],
  ['bench', () => import('./commands/bench.js')],
  ['keys', () => import('./commands/keys.js')],
  ['detector', () => import('./commands/detector.js')],
];

/**
 * The CLI program. When `argv` names a subcommand only that one is registered (its own help and
 * errors are complete); otherwise (no command, `--help`, a typo) all are, so help and suggestions
 * list everything.
 *
 * @example
 * const program = await buildProgram(['node', 'distillguard', 'serve', '--help']);
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('distillguard')
    .description('Detect and contain distillation attacks against model APIs.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  const named = COMMANDS.filter(([name]) => name === argv[2]);
  const modules = await Promise.all((named.length > 0 ? named : COMMANDS).map(([, load]) => load()));
  for (const command of modules) command.register(program);
  return program;
}

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof UsageError) {
      process.stderr.write(`distillguard: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

// Through npm's bin link argv[1] is a symlink, so compare real paths.
const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `distillguard: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 70;
    },
  );
}
