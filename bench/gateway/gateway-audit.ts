/**
 * After the load, checks that distillguard really did what the benchmark claims it was doing:
 * every request logged (not dropped by the bounded exchange-log queue), no limit hits, and what
 * the live detector decided about the benchmark account. Throughput bought by dropping the log
 * or refusing requests would not be a result.
 */
import Database from 'better-sqlite3';

export interface GatewayAudit {
  /** Requests the gateway counted (distillguard_requests_total, all labels). */
  requests: number;
  /** distillguard_exchanges_dropped_total. */
  logDropped: number;
  /** distillguard_limit_hits_total, all labels. */
  limitHits: number;
  /** Rows in the events table after a graceful stop (which drains the log). */
  eventsLogged: number;
  /** Detector decisions stored, by action. */
  decisions: Record<string, number>;
}

/**
 * Sums every sample of a Prometheus text-format metric (all label sets).
 *
 * @example
 * sumMetric('a_total{x="1"} 2\na_total{x="2"} 3\n', 'a_total'); // 5
 */
export function sumMetric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})? ([-+\d.eE]+|NaN|[+-]Inf)$/.exec(line.trim());
    if (match !== null && match[1] === name) sum += Number(match[2]);
  }
  return sum;
}

/**
 * Reads the gateway's Prometheus counters from `/metrics`.
 *
 * @example
 * const { requests, logDropped } = await scrapeCounters('http://127.0.0.1:8080');
 */
export async function scrapeCounters(
  baseUrl: string,
): Promise<Pick<GatewayAudit, 'requests' | 'logDropped' | 'limitHits'>> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/metrics answered ${response.status}`);
  const text = await response.text();
  return {
    requests: sumMetric(text, 'distillguard_requests_total'),
    logDropped: sumMetric(text, 'distillguard_exchanges_dropped_total'),
    limitHits: sumMetric(text, 'distillguard_limit_hits_total'),
  };
}

/**
 * Counts logged events and stored decisions in a stopped gateway's database.
 *
 * @example
 * const { eventsLogged, decisions } = readGatewayDb('/tmp/x/distillguard.db');
 */
export function readGatewayDb(dbPath: string): Pick<GatewayAudit, 'eventsLogged' | 'decisions'> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const events = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    const rows = db.prepare('SELECT action, count(*) AS n FROM decisions GROUP BY action').all() as Array<{
      action: string;
      n: number;
    }>;
    return { eventsLogged: events.n, decisions: Object.fromEntries(rows.map((row) => [row.action, row.n])) };
  } finally {
    db.close();
  }
}

/**
 * One line for the console.
 *
 * @example
 * formatAudit(audit); // 'distillguard logged 120000 of 120000 requests (0 dropped), 0 limit hits, detector decisions: none'
 */
export function formatAudit(audit: GatewayAudit): string {
  const decisions = Object.entries(audit.decisions);
  return (
    `distillguard logged ${audit.eventsLogged} of ${audit.requests} requests (${audit.logDropped} dropped by the log queue), ` +
    `${audit.limitHits} limit hits, detector decisions on the benchmark account: ` +
    (decisions.length === 0 ? 'none' : decisions.map(([action, n]) => `${action} ×${n}`).join(', '))
  );
}
