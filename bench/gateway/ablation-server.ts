/**
 * One gateway variant for the ablation benchmark (ablation.ts), run as its own process:
 *
 *   node --import tsx bench/gateway/ablation-server.ts <variant> <port> <upstream-port> <db>
 *
 * Variants add distillguard's parts one at a time on the same mock, so the drop in requests/s
 * between neighbours is what that part costs:
 *   bare         node:http + undici Pool.request, no gateway code (the floor of the approach)
 *   null-ports   createGateway with a fixed principal, an always-yes limiter, no enforcement, no log
 *   auth-limits  + the real cached key authenticator (SQLite store) and in-memory limiter
 *   logged       + the exchange log into SQLite and the in-process bus (nobody subscribed)
 *   embedded     startEmbedded, what `serve` runs: + the live detector and decision recorder
 * Prints `ready` on stdout once listening; stops on SIGTERM.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { createInProcessBus } from '../../src/bus/in-process.js';
import { createKeyAuthenticator } from '../../src/gateway/auth/key-authenticator.js';
import { resolveServerSecret } from '../../src/gateway/auth/server-secret.js';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import { startEmbedded } from '../../src/gateway/embedded.js';
import { loadEnforcementTable } from '../../src/gateway/enforcement-table.js';
import { createExchangeLog } from '../../src/gateway/exchange-log.js';
import { createLimiter } from '../../src/gateway/limits/limiter.js';
import type { Enforcement, EnforcementTable, LimitVerdict, Principal } from '../../src/gateway/ports.js';
import { createGateway } from '../../src/gateway/server.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { gatewayConfig } from './distillguard.js';
import { HOST } from './targets.js';

export const VARIANTS = ['bare', 'null-ports', 'auth-limits', 'logged', 'embedded'] as const;
export type Variant = (typeof VARIANTS)[number];

const PRINCIPAL: Principal = {
  keyId: 'bench',
  accountId: 'bench-gateway',
  orgId: 'bench',
  scopes: [],
  verified: true,
  keyLimits: {},
  accountLimits: {},
  orgLimits: {},
};

const ALWAYS: LimitVerdict = { ok: true, lease: { release: () => {} }, headers: {} };

function emptyEnforcement(): EnforcementTable {
  const table = new Map<string, Enforcement>();
  return {
    get: (id) => table.get(id),
    set: (id, e) => void table.set(id, e),
    clear: (id) => void table.delete(id),
  };
}

async function startBare(port: number, upstreamPort: number): Promise<() => Promise<void>> {
  const pool = new Pool(`http://${HOST}:${upstreamPort}`, { connections: 128 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      pool
        .request({
          method: 'POST',
          path: '/v1/chat/completions',
          headers: { 'content-type': 'application/json' },
          body: Buffer.concat(chunks),
        })
        .then(async (upstream) => {
          const body = Buffer.from(await upstream.body.arrayBuffer());
          res.writeHead(upstream.statusCode, {
            'content-type': 'application/json',
            'content-length': body.length,
          });
          res.end(body);
        })
        .catch(() => {
          res.writeHead(502).end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool.close();
  };
}

/**
 * Starts `variant` and resolves with its stop function.
 *
 * @example
 * const stop = await startVariant('logged', 8081, 9000, '/tmp/x/dg.db');
 */
export async function startVariant(
  variant: Variant,
  port: number,
  upstreamPort: number,
  dbPath: string,
): Promise<() => Promise<void>> {
  if (variant === 'bare') return startBare(port, upstreamPort);
  const config = parseGatewayConfig(JSON.parse(gatewayConfig(upstreamPort)), {});
  if (variant === 'embedded') {
    const running = await startEmbedded({ config, port, host: HOST, dbPath, content: 'full', log: () => {} });
    return () => running.close();
  }
  if (variant === 'null-ports') {
    const gateway = createGateway({
      config,
      auth: { authenticate: () => ({ ok: true, principal: PRINCIPAL }) },
      limiter: { acquire: () => ALWAYS },
      enforcement: emptyEnforcement(),
      sink: { offer: () => true, drain: async () => {} },
    });
    await gateway.listen(port, HOST);
    return () => gateway.close();
  }
  const store = openSqliteStore({ path: dbPath });
  const auth = await createKeyAuthenticator({
    store,
    serverSecret: resolveServerSecret({ dbPath, env: {} }),
    refreshMs: 2000,
  });
  const limiter = createLimiter({ sweepMs: 60_000 });
  const enforcement = await loadEnforcementTable({ store });
  const bus = variant === 'logged' ? createInProcessBus() : undefined;
  const log = bus === undefined ? undefined : createExchangeLog({ store, bus, content: 'full' });
  const gateway = createGateway({
    config,
    auth,
    limiter,
    enforcement,
    sink: log ?? { offer: () => true, drain: async () => {} },
  });
  await gateway.listen(port, HOST);
  return async () => {
    await gateway.close();
    await log?.close();
    await bus?.close();
    await enforcement.flush();
    auth.close();
    limiter.close();
    await store.close();
  };
}

const [variantArg, portArg, upstreamArg, dbArg] = process.argv.slice(2);
// Only as a script: ablation.ts imports VARIANTS from here.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (
    variantArg === undefined ||
    !(VARIANTS as readonly string[]).includes(variantArg) ||
    dbArg === undefined
  ) {
    process.stderr.write(`usage: ablation-server.ts <${VARIANTS.join('|')}> <port> <upstream-port> <db>\n`);
    process.exitCode = 2;
  } else {
    const stop = await startVariant(variantArg as Variant, Number(portArg), Number(upstreamArg), dbArg);
    process.stdout.write('ready\n');
    process.once('SIGTERM', () => {
      void stop().then(() => process.exit(0));
    });
  }
}
