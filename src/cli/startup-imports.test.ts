import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bare packages the CLI's module graph imports at start-up of `distillguard <command>`, seen by a
 * resolve hook in a fresh node (the graph loaded before the command parses its flags).
 */
function packagesImportedAtStartup(command: string): Set<string> {
  const hook = `
    export async function resolve(specifier, context, next) {
      if (!specifier.startsWith('.') && !specifier.startsWith('node:') && !specifier.startsWith('file:'))
        process.stderr.write('IMPORT ' + specifier + '\\n');
      return next(specifier, context);
    }`;
  const script = `
    import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
    const { buildProgram } = await import('./src/cli/main.ts');
    await buildProgram(['node', 'distillguard', ${JSON.stringify(command)}]);
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status !== 0) throw new Error(`node exited ${child.status}: ${child.stderr}`);
  const seen = new Set<string>();
  for (const line of child.stderr.split('\n')) if (line.startsWith('IMPORT ')) seen.add(line.slice(7));
  return seen;
}

describe('start-up imports of the distillguard CLI', () => {
  it('leave the scale-out clients (ioredis, pg, NATS) to the flags that use them', () => {
    const seen = packagesImportedAtStartup('serve');
    // The hook works: what the embedded gateway needs is imported.
    expect(seen).toContain('better-sqlite3');
    expect(seen).toContain('undici');
    // ~12 MB of RSS an embedded `serve` would carry for nothing (docs/benchmarks.md, Gateway).
    const scaleOut = [...seen].filter((name) => /^(ioredis|pg|@nats-io\/.*)$/.test(name));
    expect(scaleOut).toEqual([]);
    // The simulator (its PRNG package) belongs to simulate, bench and demo, not to serve.
    expect([...seen].filter((name) => name.startsWith('pure-rand'))).toEqual([]);
  }, 60_000);

  it('load every command, the simulator included, when no command is named (help)', () => {
    const seen = [...packagesImportedAtStartup('--help')];
    expect(seen.filter((name) => name.startsWith('pure-rand')).length).toBeGreaterThan(0);
  }, 60_000);
});
