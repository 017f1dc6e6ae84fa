/**
 * A file that cannot be opened, read or written at all (as opposed to bad lines inside it, which
 * readers report and skip). Carries a message meant for the person at the terminal.
 */
export class FileAccessError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'FileAccessError';
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent of it is not a directory',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
};

/**
 * Wraps a Node fs error as a FileAccessError saying what failed in plain words.
 *
 * @example
 * fileAccessError(err, 'read', 'events.jsonl').message; // "cannot read events.jsonl: no such file or directory"
 */
export function fileAccessError(error: unknown, verb: 'read' | 'write', path: string): FileAccessError {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined;
  const reason =
    (code !== undefined ? REASONS[code] : undefined) ??
    (error instanceof Error ? error.message : String(error));
  return new FileAccessError(`cannot ${verb} ${path}: ${reason}`, path, code);
}
