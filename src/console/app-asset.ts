/**
 * Loads the built console app (`dist/console/app.js`) for `serve`, once, on first request.
 * Resolved from this module's location, which is the same from src/ (tsx) and from dist/.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const BUILT_APP = fileURLToPath(new URL('../../dist/console/app.js', import.meta.url));

/**
 * Returns a loader that reads `path` once and caches it; resolves undefined when it is missing.
 *
 * @example
 * createConsoleHandler({ ..., appJs: consoleAppLoader() });
 */
export function consoleAppLoader(path: string = BUILT_APP): () => Promise<string | undefined> {
  let cached: Promise<string | undefined> | undefined;
  return () => {
    cached ??= readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      cached = undefined; // a later build can still be picked up
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    return cached;
  };
}
