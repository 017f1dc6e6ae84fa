/**
 * An error meant for the person at the terminal: `main` prints its message (no stack) and exits
 * with its code. Anything else that escapes a command is a bug and is printed with its stack.
 *
 * @example
 * throw new UsageError('--scale must be a positive number, got "abc"');
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
