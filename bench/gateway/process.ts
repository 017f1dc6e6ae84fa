/**
 * Starting and stopping the benchmark's servers. Each runs in its own process group with its
 * output in a log file, and is stopped by its own id (SIGTERM to the group, SIGKILL after a grace
 * period) — never by name, since other engineers run the same programs on this machine.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServiceSpec {
  /** Short name for messages, e.g. `nginx`. */
  name: string;
  command: string;
  args: readonly string[];
  /** stdout and stderr go here. */
  logPath: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface Service {
  readonly name: string;
  /** The process started (the group leader). */
  readonly pid: number;
  readonly logPath: string;
  /** Exit code (or signal name) once it has exited, else undefined. */
  readonly exit: string | undefined;
  /** The last lines of its log, for error messages. */
  logTail(lines?: number): string;
  stop(graceMs?: number): Promise<void>;
}

/** A service did not come up, or its command is missing. */
export class ServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceError';
  }
}

const running = new Set<Service>();

/**
 * Stops every service this process started and has not stopped yet (for exit paths).
 *
 * @example
 * process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
 */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((service) => service.stop()));
}

/**
 * Starts `spec` in its own process group.
 *
 * @example
 * const mock = startService({ name: 'mock', command: 'node', args: ['dist/cli/main.js', 'mock-upstream'], logPath });
 * await waitForPort('127.0.0.1', 9000, mock);
 * await mock.stop();
 */
export function startService(spec: ServiceSpec): Service {
  const log = openSync(spec.logPath, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal ?? String(code);
      resolve();
    });
    child.once('error', (error) => {
      exit = error.message;
      resolve();
    });
  });
  const pid = child.pid ?? -1;
  const service: Service = {
    name: spec.name,
    pid,
    logPath: spec.logPath,
    get exit() {
      return exit;
    },
    logTail(lines = 15) {
      try {
        return readFileSync(spec.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
    async stop(graceMs = 5000) {
      running.delete(service);
      if (exit !== undefined || pid < 0) return;
      signalGroup(pid, 'SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!stopped) {
        signalGroup(pid, 'SIGKILL');
        await exited;
      }
    },
  };
  running.add(service);
  return service;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone: nothing to stop.
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Resolves once `host:port` accepts TCP connections; fails early, with the log tail, if the
 * service exits first, and after `timeoutMs` otherwise.
 *
 * @example
 * await waitForPort('127.0.0.1', port, service, 15_000);
 */
export async function waitForPort(
  host: string,
  port: number,
  service: Service,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.exit !== undefined) {
      throw new ServiceError(
        `${service.name} exited (${service.exit}) before listening:\n${service.logTail()}`,
      );
    }
    if (await canConnect(host, port)) return;
    await sleep(50);
  }
  throw new ServiceError(
    `${service.name} did not listen on ${host}:${port} within ${timeoutMs} ms:\n${service.logTail()}`,
  );
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago.
 *
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : -1;
      server.close(() => resolve(port));
    });
  });
}
