import { UsageError } from './errors.js';

/**
 * Builds a commander argument parser for a whole number in [min, max], so a bad flag value is a
 * clean usage error naming the flag rather than NaN sneaking into a server option.
 *
 * @example
 * new Command().option('--port <n>', 'port', intOption('--port', 0, 65535), 8080);
 */
export function intOption(flag: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}
