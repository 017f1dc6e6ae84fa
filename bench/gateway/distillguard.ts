/**
 * distillguard as a benchmark target, the way it ships: `serve` from the compiled CLI with a
 * fresh SQLite database, one key created with the `keys` command (limits set, far above what
 * the run sends), the exchange log on with full content, and live detection as `serve` runs it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, ServiceError, startService, waitForPort } from './process.js';
import { CHAT_PATH, HOST, MODEL, type Target } from './targets.js';

const run = promisify(execFile);

/** The distillguard target plus its database, read after the run by gateway-audit.ts. */
export interface DistillguardTarget extends Target {
  service: NonNullable<Target['service']>;
  dbPath: string;
}

/** Account the benchmark key bills to; verified, as a production tenant would be. */
export const BENCH_ACCOUNT = 'bench-gateway';

/**
 * Whether this build of the CLI has the `serve` command.
 *
 * @example
 * if (!distillguardAvailable(cli)) console.error('no serve command yet');
 */
export function distillguardAvailable(cli: string): boolean {
  return spawnSync(process.execPath, [cli, 'serve', '--help'], { stdio: 'ignore' }).status === 0;
}

/**
 * The gateway config routing the benchmark model to the mock upstream.
 *
 * @example
 * JSON.parse(gatewayConfig(9000)).models['mock-small'].targets[0].upstream; // 'mock'
 */
export function gatewayConfig(upstreamPort: number): string {
  return `${JSON.stringify(
    {
      upstreams: { mock: { kind: 'openai-compatible', baseUrl: `http://${HOST}:${upstreamPort}/v1` } },
      models: { [MODEL]: { targets: [{ upstream: 'mock', model: MODEL }] } },
      logContent: true,
    },
    null,
    2,
  )}\n`;
}

/** The env for keys and serve: the server secret comes from the file beside the database. */
function benchEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DG_SERVER_SECRET;
  delete env.DG_ADMIN_TOKEN;
  return env;
}

/**
 * Creates the benchmark key with `distillguard keys create` and returns its secret.
 *
 * @example
 * const secret = await createBenchKey(cli, '/tmp/x/dg.db');
 */
export async function createBenchKey(cli: string, dbPath: string): Promise<string> {
  const args = [
    cli,
    'keys',
    'create',
    '--db',
    dbPath,
    '--account',
    BENCH_ACCOUNT,
    '--org',
    'bench',
    '--verified',
    '--name',
    'gateway benchmark',
    '--rpm',
    '1000000000',
    '--tpm',
    '1000000000000',
    '--concurrency',
    '100000',
    '--json',
  ];
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, args, { env: benchEnv(), timeout: 30_000 }));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new ServiceError(`distillguard keys create failed: ${stderr.trim()}`);
  }
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const secret = (JSON.parse(line) as { secret?: unknown }).secret;
  if (typeof secret !== 'string' || secret === '') {
    throw new ServiceError(`distillguard keys create printed no secret: ${line.slice(0, 200)}`);
  }
  return secret;
}

/**
 * Starts `distillguard serve` in front of the mock and returns it as a target. With
 * `cpuProfileDir`, node writes a .cpuprofile there when the gateway stops (profiling slows it:
 * figures from such a run are for finding hot spots, not for the bars).
 *
 * @example
 * const dg = await startDistillguardTarget(cli, workDir, mock.port);
 */
export async function startDistillguardTarget(
  cli: string,
  workDir: string,
  upstreamPort: number,
  cpuProfileDir?: string,
): Promise<DistillguardTarget> {
  const dbPath = join(workDir, 'distillguard.db');
  const configPath = join(workDir, 'gateway.json');
  writeFileSync(configPath, gatewayConfig(upstreamPort));
  const secret = await createBenchKey(cli, dbPath);
  const port = await freePort();
  const service = startService({
    name: 'distillguard',
    command: process.execPath,
    args: [
      ...(cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir]),
      cli,
      'serve',
      '--config',
      configPath,
      '--db',
      dbPath,
      '--host',
      HOST,
      '--port',
      String(port),
      '--content',
      'full',
    ],
    logPath: join(workDir, 'distillguard.log'),
    env: benchEnv(),
  });
  await waitForPort(HOST, port, service, 30_000);
  return {
    name: 'distillguard',
    port,
    path: CHAT_PATH,
    headers: { Authorization: `Bearer ${secret}` },
    memory: { pid: service.pid, withChildren: false },
    service,
    dbPath,
  };
}
