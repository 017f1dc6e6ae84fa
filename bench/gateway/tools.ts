/**
 * The benchmark's outside tools: wrk and nginx (Debian packages) and Portkey's gateway (npm,
 * installed into a cache directory outside the repository — a benchmark peer, not a dependency).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PORTKEY_VERSION = '1.15.2';
/** Portkey's streaming answers HTTP 500 with newer @hono/node-server (its issue #1389). */
export const HONO_NODE_SERVER_VERSION = '1.14.1';

/** A tool is missing and cannot be installed from here; the message says what to run. */
export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}

/**
 * Absolute path of an executable on PATH (plus the sbin folders, where Debian puts nginx and
 * which a non-root PATH often lacks), or undefined.
 *
 * @example
 * findExecutable('nginx'); // '/usr/sbin/nginx'
 */
export function findExecutable(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  const dirs = [...pathEnv.split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

export interface SystemTools {
  wrk: string;
  nginx: string;
}

/**
 * Finds wrk and nginx; installs the missing ones with apt-get when running as root, otherwise
 * throws a SetupError naming the exact command.
 *
 * @example
 * const { wrk, nginx } = await ensureSystemTools((line) => console.error(line));
 */
export async function ensureSystemTools(log: (line: string) => void): Promise<SystemTools> {
  const packages: Record<keyof SystemTools, string> = { wrk: 'wrk', nginx: 'nginx' };
  const missing = (Object.keys(packages) as Array<keyof SystemTools>).filter((tool) => !findExecutable(tool));
  if (missing.length > 0) {
    const names = missing.map((tool) => packages[tool]);
    const command = `apt-get install -y ${names.join(' ')}`;
    if (process.getuid?.() !== 0) {
      throw new SetupError(
        `missing ${missing.join(' and ')}; install with: sudo apt-get update && sudo ${command}`,
      );
    }
    log(`installing ${names.join(', ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      await run('apt-get', ['update', '-qq'], { env, timeout: 300_000 });
      await run('apt-get', ['install', '-y', '-qq', ...names], { env, timeout: 600_000 });
    } catch (error) {
      throw new SetupError(`${command} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const wrk = findExecutable('wrk');
  const nginx = findExecutable('nginx');
  if (wrk === undefined || nginx === undefined) {
    throw new SetupError('wrk or nginx still not found on PATH after installing; check the apt-get output');
  }
  return { wrk, nginx };
}

function installedVersion(dir: string, name: string): string | undefined {
  const manifest = join(dir, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) return undefined;
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : undefined;
}

/**
 * A preload that forces every listening socket onto 127.0.0.1: Portkey's server passes no
 * host and so would listen on all interfaces, which a load test here must never do.
 */
export const LOOPBACK_PRELOAD = `'use strict';
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\\d+$/.test(args[0]))) {
    const callback = args.find((arg) => typeof arg === 'function');
    return callback
      ? listen.call(this, Number(args[0]), '127.0.0.1', callback)
      : listen.call(this, Number(args[0]), '127.0.0.1');
  }
  if (args[0] !== null && typeof args[0] === 'object' && args[0].path === undefined) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
`;

export interface PortkeyInstall {
  /** The gateway's start script, run with node. */
  entry: string;
  /** `--require` this to keep it on 127.0.0.1. */
  preload: string;
  version: string;
}

/**
 * Installs Portkey's gateway (pinned, with @hono/node-server forced to 1.14.1 through npm
 * overrides so streaming works) into `dir` unless it is already there.
 *
 * @example
 * const portkey = await ensurePortkey('/tmp/dg-bench-portkey', console.error);
 */
export async function ensurePortkey(dir: string, log: (line: string) => void): Promise<PortkeyInstall> {
  mkdirSync(dir, { recursive: true });
  const ready =
    installedVersion(dir, '@portkey-ai/gateway') === PORTKEY_VERSION &&
    installedVersion(dir, '@hono/node-server') === HONO_NODE_SERVER_VERSION &&
    !existsSync(join(dir, 'node_modules', '@portkey-ai', 'gateway', 'node_modules', '@hono', 'node-server'));
  if (!ready) {
    log(`installing @portkey-ai/gateway@${PORTKEY_VERSION} into ${dir}`);
    const manifest = {
      name: 'dg-bench-portkey',
      private: true,
      dependencies: {
        '@portkey-ai/gateway': PORTKEY_VERSION,
        '@hono/node-server': HONO_NODE_SERVER_VERSION,
      },
      overrides: { '@hono/node-server': HONO_NODE_SERVER_VERSION },
    };
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    try {
      // --ignore-scripts: its only install script is patch-package, with no patches shipped.
      await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
        cwd: dir,
        timeout: 600_000,
      });
    } catch (error) {
      throw new SetupError(
        `npm install of Portkey into ${dir} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const preload = join(dir, 'bind-loopback.cjs');
  writeFileSync(preload, LOOPBACK_PRELOAD);
  const entry = join(dir, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');
  if (!existsSync(entry)) throw new SetupError(`Portkey's start script is missing at ${entry}`);
  return { entry, preload, version: PORTKEY_VERSION };
}
