import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCli } from './build.js';
import { SetupError } from './tools.js';

const realRoot = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'dg-bench-build-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A tiny repository shaped like ours: tsconfig.build.json, src/cli/main.ts, node_modules. */
function fakeRepo(name: string, mainSource: string | undefined): string {
  const root = join(scratch, name);
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  symlinkSync(join(realRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(root, 'tsconfig.build.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        types: [],
        rootDir: 'src',
        outDir: 'dist',
      },
      include: ['src/**/*.ts'],
    }),
  );
  if (mainSource !== undefined) writeFileSync(join(root, 'src', 'cli', 'main.ts'), mainSource);
  else writeFileSync(join(root, 'src', 'other.ts'), 'export const x = 1;\n');
  return root;
}

describe('buildCli', () => {
  it('emits a runnable ESM CLI into the scratch folder even when the tree has a type error', async () => {
    const root = fakeRepo(
      'ok',
      "const n: number = 'oops';\nexport const shout = (s: string) => s.toUpperCase();\nconsole.log(shout('built'), n);\n",
    );
    const lines: string[] = [];
    const cli = await buildCli(root, join(scratch, 'out-ok'), (line) => lines.push(line));
    expect(cli).toBe(join(scratch, 'out-ok', 'dist', 'cli', 'main.js'));
    expect(lines[0]).toMatch(/tsc reported 1 type error/);
    const ran = spawnSync(process.execPath, [cli], { encoding: 'utf8' });
    expect(ran.stderr).toBe('');
    expect(ran.stdout.trim()).toBe('BUILT oops');
  });

  it('fails clearly when no CLI entry comes out', async () => {
    const root = fakeRepo('empty', undefined);
    await expect(buildCli(root, join(scratch, 'out-empty'), () => {})).rejects.toThrow(SetupError);
  });
});
