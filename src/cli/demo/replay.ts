/**
 * Sends recorded exchanges to a gateway over real HTTP, each with its account's key, its client
 * facts as trusted edge headers and its recorded time, so the gateway logs the same event the
 * recording holds and the detector sees the same stream `analyze` would.
 */
import { Agent, request } from 'undici';
import type { ExchangeEvent } from '../../contract/types.js';
import { REPLAY_LOW_HEADER, REPLAY_TS_HEADER } from '../../gateway/proxy/chat.js';

/** What the gateway answered to one replayed exchange. */
export interface ReplayResult {
  event: ExchangeEvent;
  status: number;
  /** The API error type when refused (e.g. `account_blocked`, `rate_limit_error`). */
  errorType: string | undefined;
  /** Case reference of a block. */
  caseRef: string | undefined;
}

export interface ReplayOptions {
  url: string;
  events: AsyncIterable<ExchangeEvent>;
  /** API key secret per account id. */
  secrets: Map<string, string>;
  /** Requests in flight at once (dispatched in ts order). */
  concurrency?: number;
  /** Called before each request is sent (in ts order). */
  beforeSend?: (event: ExchangeEvent) => void;
  onResult: (result: ReplayResult) => void;
}

function edgeHeaders(event: ExchangeEvent): Record<string, string> {
  const headers: Record<string, string> = { 'x-forwarded-for': event.client.ip };
  const { client } = event;
  if (client.user_agent !== undefined) headers['user-agent'] = client.user_agent;
  if (client.asn !== undefined) headers['x-edge-asn'] = String(client.asn);
  if (client.asn_org !== undefined) headers['x-edge-asn-org'] = client.asn_org;
  if (client.country !== undefined) headers['x-edge-country'] = client.country;
  if (client.tls_fingerprint !== undefined) headers['x-edge-tls-fingerprint'] = client.tls_fingerprint;
  return headers;
}

/** The error type of an API-shaped error body (both APIs nest it under `error.type`). */
function errorType(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { type?: unknown } };
    return typeof body.error?.type === 'string' ? body.error.type : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Replays `events` in order with at most `concurrency` requests in flight.
 *
 * @example
 * await replay({ url, events: openEvents('events.jsonl.gz'), secrets, onResult: (r) => tally(r) });
 */
export async function replay(opts: ReplayOptions): Promise<void> {
  const dispatcher = new Agent({ connections: opts.concurrency ?? 4, keepAliveTimeout: 10_000 });
  // Request → its recorded ts: the oldest one in flight is what the gateway may still receive
  // (events go out in ts order but can arrive out of it), stated with each request.
  const inFlight = new Map<Promise<void>, number>();
  const limit = Math.max(1, opts.concurrency ?? 4);
  try {
    for await (const event of opts.events) {
      const secret = opts.secrets.get(event.account_id);
      if (secret === undefined) throw new Error(`no key provisioned for account ${event.account_id}`);
      opts.beforeSend?.(event);
      const ts = Date.parse(event.ts);
      let low = ts;
      for (const t of inFlight.values()) if (t < low) low = t;
      const path = event.api === 'openai.chat' ? '/v1/chat/completions' : '/v1/messages';
      const sent = request(`${opts.url}${path}`, {
        method: 'POST',
        dispatcher,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${secret}`,
          [REPLAY_TS_HEADER]: event.ts,
          [REPLAY_LOW_HEADER]: new Date(low).toISOString(),
          ...edgeHeaders(event),
        },
        body: JSON.stringify({ ...event.request, model: event.model }),
      }).then(async (res) => {
        const text = await res.body.text();
        const caseHeader = res.headers['x-distillguard-case'];
        opts.onResult({
          event,
          status: res.statusCode,
          errorType: res.statusCode >= 400 ? errorType(text) : undefined,
          caseRef: typeof caseHeader === 'string' ? caseHeader : undefined,
        });
      });
      const tracked: Promise<void> = sent.finally(() => inFlight.delete(tracked));
      inFlight.set(tracked, ts);
      if (inFlight.size >= limit) await Promise.race(inFlight.keys());
    }
    await Promise.all(inFlight.keys());
  } finally {
    await dispatcher.close();
  }
}
