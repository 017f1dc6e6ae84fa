import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildForBench } from './build.js';
import { SetupError } from './tools.js';

const realRoot = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'dg-bench-build-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A tiny repository shaped like ours: tsconfig.json, src/cli/main.ts, bench/, node_modules. */
function fakeRepo(name: string, mainSource: string | undefined): string {
  const root = join(scratch, name);
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  mkdirSync(join(root, 'bench', 'gateway'), { recursive: true });
  writeFileSync(join(root, 'bench', 'gateway', 'tool.ts'), 'export const tool = 1;\n');
  symlinkSync(join(realRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        types: [],
      },
      include: ['src/**/*.ts', 'bench/**/*.ts'],
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
    const { cli, benchDir } = await buildForBench(root, join(scratch, 'out-ok'), (line) => lines.push(line));
    expect(cli).toBe(join(scratch, 'out-ok', 'dist', 'src', 'cli', 'main.js'));
    expect(existsSync(join(benchDir, 'tool.js'))).toBe(true);
    expect(lines[0]).toMatch(/tsc reported 1 type error/);
    const ran = spawnSync(process.execPath, [cli], { encoding: 'utf8' });
    expect(ran.stderr).toBe('');
    expect(ran.stdout.trim()).toBe('BUILT oops');
  });

  it('fails clearly when no CLI entry comes out', async () => {
    const root = fakeRepo('empty', undefined);
    await expect(buildForBench(root, join(scratch, 'out-empty'), () => {})).rejects.toThrow(SetupError);
  });
});
