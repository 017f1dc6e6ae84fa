import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findExecutable, LOOPBACK_PRELOAD } from './tools.js';

const dir = mkdtempSync(join(tmpdir(), 'dg-bench-tools-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findExecutable', () => {
  it('finds an executable on the given PATH and skips non-executables', () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'dg-tool'), '#!/bin/sh\n');
    chmodSync(join(bin, 'dg-tool'), 0o755);
    writeFileSync(join(bin, 'dg-data'), 'not a program');
    expect(findExecutable('dg-tool', bin)).toBe(join(bin, 'dg-tool'));
    expect(findExecutable('dg-data', bin)).toBeUndefined();
    expect(findExecutable('dg-absent', bin)).toBeUndefined();
  });
});

describe('LOOPBACK_PRELOAD', () => {
  it('moves a server that asked for all interfaces onto 127.0.0.1', async () => {
    const preload = join(dir, 'preload.cjs');
    writeFileSync(preload, LOOPBACK_PRELOAD);
    const script = `const s = require('node:http').createServer();
      s.listen(0, () => { console.log(s.address().address); s.close(); });`;
    const child = spawn(process.execPath, ['--require', preload, '-e', script]);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(out.trim()).toBe('127.0.0.1');
  });
});
