import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { freePort, ServiceError, startService, stopAll, waitForPort } from './process.js';

const dir = mkdtempSync(join(tmpdir(), 'dg-bench-process-'));
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

const listenScript = (port: number) =>
  `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('up'));`;

describe('services', () => {
  it('starts a server, waits for its port, and stops its whole process group', async () => {
    const port = await freePort();
    // A shell wrapping node: stopping must reach the grandchild too, or the port stays taken.
    const service = startService({
      name: 'wrapped',
      command: 'sh',
      args: ['-c', `node -e "${listenScript(port)}"`],
      logPath: join(dir, 'wrapped.log'),
    });
    await waitForPort('127.0.0.1', port, service, 10_000);
    await service.stop();
    expect(service.exit).toBeDefined();
    const again = startService({
      name: 'again',
      command: process.execPath,
      args: ['-e', listenScript(port)],
      logPath: join(dir, 'again.log'),
    });
    await waitForPort('127.0.0.1', port, again, 10_000);
    // The listen callback logs just after the port opens.
    await vi.waitFor(() => expect(again.logTail()).toBe('up'));
    await again.stop();
  });

  it('reports an early exit with the log tail instead of waiting out the timeout', async () => {
    const port = await freePort();
    const service = startService({
      name: 'broken',
      command: process.execPath,
      args: ['-e', 'console.error("bad config on line 3"); process.exit(2)'],
      logPath: join(dir, 'broken.log'),
    });
    const started = Date.now();
    await expect(waitForPort('127.0.0.1', port, service, 10_000)).rejects.toThrow(ServiceError);
    await expect(waitForPort('127.0.0.1', port, service, 10_000)).rejects.toThrow(
      /broken exited \(2\) before listening:\nbad config on line 3/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a missing command', async () => {
    const service = startService({
      name: 'ghost',
      command: 'dg-no-such-command',
      args: [],
      logPath: join(dir, 'ghost.log'),
    });
    await expect(waitForPort('127.0.0.1', await freePort(), service, 5000)).rejects.toThrow(/ghost exited/);
  });
});
