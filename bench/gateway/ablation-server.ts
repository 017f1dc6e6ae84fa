/**
 * One gateway variant for the ablation benchmark (ablation.ts), run as its own process from the
 * compiled scratch build (or, by hand, `node --import tsx bench/gateway/ablation-server.ts …`):
 *
 *   node <build>/bench/gateway/ablation-server.js <variant> <port> <upstream-port> <db>
 *
 * Variants add distillguard's parts one at a time on the same mock, so the drop in requests/s
 * between neighbours is what that part costs:
 *   bare         node:http + undici Pool.request, no gateway code (the floor of the approach)
 *   null-ports   createGateway with a fixed principal, an always-yes limiter, no enforcement, no log
 *   auth-limits  + the real cached key authenticator (SQLite store) and in-memory limiter
 *   logged       + the exchange log into SQLite and the in-process bus (nobody subscribed)
 *   embedded-1t  startEmbedded with the log and detector on the request thread
 *   embedded     startEmbedded, what `serve` runs: + the live detector and decision recorder, the
 *                log and the detector on their own thread
 *   embedded-grow  embedded with V8's default old-space growth instead of serve's 25 %
 * The embedded variants set serve's heap growth (25 %) unless named otherwise.
 * Prints `ready` on stdout once listening; stops on SIGTERM.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Enforcement, EnforcementTable, LimitVerdict, Principal } from '../../src/gateway/ports.js';
import { gatewayConfig } from './distillguard.js';
import { HOST } from './targets.js';

// Each variant imports only the parts it runs (dynamic imports below), so its peak RSS is its own.
export const VARIANTS = [
  'bare',
  'null-ports',
  'auth-limits',
  'logged',
  'embedded-1t',
  'embedded',
  'embedded-grow',
] as const;
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
  const { Pool } = await import('undici');
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
  const { parseGatewayConfig } = await import('../../src/gateway/config.js');
  const config = parseGatewayConfig(JSON.parse(gatewayConfig(upstreamPort)), {});
  if (variant === 'embedded' || variant === 'embedded-1t' || variant === 'embedded-grow') {
    const { startEmbedded } = await import('../../src/gateway/embedded.js');
    if (variant !== 'embedded-grow') {
      const { limitOldSpaceGrowth } = await import('../../src/gateway/heap-growth.js');
      limitOldSpaceGrowth(25);
    }
    const exchangeThread = variant !== 'embedded-1t';
    const running = await startEmbedded({
      config,
      port,
      host: HOST,
      dbPath,
      content: 'full',
      exchangeThread,
      log: () => {},
    });
    return () => running.close();
  }
  const { createGateway } = await import('../../src/gateway/server.js');
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
  const { openSqliteStore } = await import('../../src/store/sqlite.js');
  const { createKeyAuthenticator } = await import('../../src/gateway/auth/key-authenticator.js');
  const { resolveServerSecret } = await import('../../src/gateway/auth/server-secret.js');
  const { createLimiter } = await import('../../src/gateway/limits/limiter.js');
  const { loadEnforcementTable } = await import('../../src/gateway/enforcement-table.js');
  const { createInProcessBus } = await import('../../src/bus/in-process.js');
  const { createExchangeLog } = await import('../../src/gateway/exchange-log.js');
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
