import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nginxConfig } from './nginx.js';
import { findExecutable } from './tools.js';

const prefix = mkdtempSync(join(tmpdir(), 'dg-bench-nginx-'));
afterAll(() => rmSync(prefix, { recursive: true, force: true }));

describe('nginxConfig', () => {
  const text = nginxConfig({ prefix, listenPort: 18081, upstreamPort: 19000 });

  it('uses one worker, a keepalive upstream over HTTP/1.1 and loopback only', () => {
    expect(text).toContain('worker_processes 1;');
    expect(text).toMatch(/upstream mock \{\s+server 127\.0\.0\.1:19000;\s+keepalive \d+;/);
    expect(text).toContain('proxy_http_version 1.1;');
    expect(text).toContain('proxy_set_header Connection "";');
    expect(text).toContain('listen 127.0.0.1:18081;');
  });

  it('keeps every file it writes inside the prefix', () => {
    for (const match of text.matchAll(/(?:pid|error_log|_temp_path) (\S+?);?\s/g)) {
      expect(match[1]!.startsWith(prefix)).toBe(true);
    }
  });

  const nginx = findExecutable('nginx');
  it.runIf(nginx !== undefined)('is accepted by nginx -t', () => {
    const conf = join(prefix, 'nginx.conf');
    writeFileSync(conf, text);
    expect(() =>
      execFileSync(nginx!, ['-t', '-p', prefix, '-e', join(prefix, 'error.log'), '-c', conf], {
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });
});
