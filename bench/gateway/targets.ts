/**
 * The things measured, all in front of the same mock upstream: the mock itself (direct), nginx,
 * Portkey's gateway and distillguard. Each start function returns what the measurement loop
 * needs: where to send requests, with which headers, and which process to read memory from.
 */
import { join } from 'node:path';
import { startNginx } from './nginx.js';
import { freePort, type Service, startService, waitForPort } from './process.js';
import type { TargetName } from './report.js';
import type { PortkeyInstall } from './tools.js';

export const HOST = '127.0.0.1';
export const CHAT_PATH = '/v1/chat/completions';
export const MODEL = 'mock-small';

export interface Target {
  name: TargetName;
  port: number;
  path: string;
  /** Request headers this target needs besides Content-Type (auth, routing). */
  headers: Readonly<Record<string, string>>;
  /** Process whose memory is reported; absent for direct (nothing sits in between). */
  memory?: { pid: number; withChildren: boolean };
  service?: Service;
}

/**
 * The benchmark's chat request body (non-streaming or streaming).
 *
 * @example
 * chatBody(true); // '{"model":"mock-small",...,"stream":true}'
 */
export function chatBody(stream: boolean): string {
  return JSON.stringify({
    model: MODEL,
    messages: [
      { role: 'system', content: 'You are a concise assistant.' },
      { role: 'user', content: 'Explain in two sentences why the sky looks blue at noon and red at sunset.' },
    ],
    max_tokens: 16,
    ...(stream ? { stream: true } : {}),
  });
}

/**
 * Starts the mock upstream from the built CLI and returns it as the `direct` target.
 *
 * @example
 * const direct = await startMock(cli, workDir);
 */
export async function startMock(cli: string, workDir: string): Promise<Target> {
  const port = await freePort();
  const service = startService({
    name: 'mock upstream',
    command: process.execPath,
    args: [cli, 'mock-upstream', '--host', HOST, '--port', String(port)],
    logPath: join(workDir, 'mock.log'),
  });
  await waitForPort(HOST, port, service);
  return { name: 'direct', port, path: CHAT_PATH, headers: {}, service };
}

/**
 * Starts nginx proxying to the mock.
 *
 * @example
 * const nginx = await startNginxTarget('/usr/sbin/nginx', workDir, mock.port);
 */
export async function startNginxTarget(
  binary: string,
  workDir: string,
  upstreamPort: number,
): Promise<Target> {
  const port = await freePort();
  const service = startNginx(binary, { prefix: join(workDir, 'nginx'), listenPort: port, upstreamPort });
  await waitForPort(HOST, port, service);
  return {
    name: 'nginx',
    port,
    path: CHAT_PATH,
    headers: {},
    memory: { pid: service.pid, withChildren: true },
    service,
  };
}

/**
 * Starts Portkey's gateway (bound to 127.0.0.1 by the preload), routed to the mock by headers.
 *
 * @example
 * const portkey = await startPortkeyTarget(install, workDir, mock.port);
 */
export async function startPortkeyTarget(
  install: PortkeyInstall,
  workDir: string,
  upstreamPort: number,
): Promise<Target> {
  const port = await freePort();
  const service = startService({
    name: 'portkey',
    command: process.execPath,
    args: ['--require', install.preload, install.entry, `--port=${port}`, '--headless'],
    logPath: join(workDir, 'portkey.log'),
    env: { ...process.env, NODE_ENV: 'production' },
  });
  await waitForPort(HOST, port, service, 30_000);
  return {
    name: 'portkey',
    port,
    path: CHAT_PATH,
    headers: {
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `http://${HOST}:${upstreamPort}/v1`,
      Authorization: 'Bearer x',
    },
    memory: { pid: service.pid, withChildren: false },
    service,
  };
}
