/**
 * Builds the console's browser app (src/console/app/main.mts and what it imports) into one
 * minified ES module, `dist/console/app.js`, at build time. `serve` only reads the built file, so
 * nothing is compiled or downloaded at run time.
 *
 * Run: `npx tsx src/console/build-app.ts [outfile]` (part of `npm run build`).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const APP_ENTRY = fileURLToPath(new URL('./app/main.mts', import.meta.url));
export const DEFAULT_APP_OUT = fileURLToPath(new URL('../../dist/console/app.js', import.meta.url));

/**
 * Bundles the console app into `outfile` and returns its size in bytes.
 *
 * @example
 * await buildConsoleApp('dist/console/app.js');
 */
export async function buildConsoleApp(outfile: string = DEFAULT_APP_OUT): Promise<number> {
  const result = await build({
    entryPoints: [APP_ENTRY],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify: true,
    legalComments: 'none',
    outfile,
    metafile: true,
    logLevel: 'warning',
  });
  return Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
}

const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const out = process.argv[2] ?? DEFAULT_APP_OUT;
  buildConsoleApp(out).then(
    (bytes) => process.stdout.write(`console app: ${out} (${bytes} bytes)\n`),
    (error: unknown) => {
      process.stderr.write(
        `console app build failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
