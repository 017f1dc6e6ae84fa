#!/usr/bin/env node
/**
 * The `distillguard` command. Each subcommand lives in its own module under ./commands and
 * exports `register(program)`; this file only wires them together and turns user errors into
 * a clean message and exit code.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import * as analyzeCommand from './commands/analyze.js';
import * as bench from './commands/bench.js';
import * as demo from './commands/demo.js';
import * as detectorCommand from './commands/detector.js';
import * as keys from './commands/keys.js';
import * as mockUpstream from './commands/mock-upstream.js';
import * as serve from './commands/serve.js';
import * as simulateCommand from './commands/simulate.js';
import { UsageError } from './errors.js';

/** Subcommand modules, in the order `--help` lists them. */
const commands: Array<{ register(program: Command): void }> = [
  demo,
  serve,
  mockUpstream,
  analyzeCommand,
  simulateCommand,
  bench,
  keys,
  detectorCommand,
];

export function buildProgram(): Command {
  const program = new Command('distillguard')
    .description('Detect and contain distillation attacks against model APIs.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const command of commands) command.register(program);
  return program;
}

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
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
