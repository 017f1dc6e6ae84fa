/**
 * The chat endpoints (`POST /v1/chat/completions`, `POST /v1/messages`): authenticate, read and
 * check the body, apply the account's standing enforcement, take room from the limiter, route to
 * an upstream (retries, failover), relay the answer, and log the exchange once it has ended —
 * also when the client went away mid-stream (the upstream request is cancelled then).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExchangeEvent, WireApi } from '../../contract/types.js';
import { buildExchangeEvent } from '../exchange.js';
import { readBody } from '../http/body.js';
import { clientInfo } from '../http/client-info.js';
import type { Enforcement, LimitLease, Principal, WireFormat } from '../ports.js';
import { Cancellation } from '../upstream/cancellation.js';
import { dispatchChat } from '../upstream/dispatch.js';
import { degradeRequest } from '../wire/degrade.js';
import { type ApiError, apiError, sendApiError } from '../wire/errors.js';
import type { Json, Tally } from '../wire/normalized.js';
import { anthropicToOpenai, openaiToAnthropic, TranslationError } from '../wire/translate-request.js';
import { checkChatRequest } from '../wire/validate-request.js';
import { authError, presentedKey } from './auth.js';
import type { GatewayContext } from './context.js';
import { type RelayOutcome, relayStream, relayWhole } from './relay.js';

/** Status logged when the client disconnected before the answer ended (nginx's convention). */
export const CLIENT_CLOSED = 499;

/**
 * Serves one chat request in `format`.
 *
 * @example
 * if (path === '/v1/messages') await handleChat(ctx, req, res, 'anthropic');
 */
export async function handleChat(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  format: WireFormat,
): Promise<void> {
  const started = performance.now();
  const ts = exchangeTimestamp(ctx, req);
  // Scale-out: this exchange holds the gateway's event-time watermark until its event is published.
  const exchangeTime = ctx.eventTime?.begin(Date.parse(ts), replayLow(ctx, req));
  let logged: ExchangeEvent | undefined;
  const api: WireApi = format === 'openai' ? 'openai.chat' : 'anthropic.messages';
  const { config, metrics } = ctx;
  let status = 500;
  let modelLabel = 'unknown';
  let streamed = false;
  metrics.inFlight.count++;
  const refuse = (error: ApiError) => {
    status = error.status;
    // A refused request's unread body (bad key, too large, too slow) is not worth reading to keep
    // the connection alive: close it once the error is out.
    if (!req.complete) res.once('finish', () => req.socket.end());
    sendApiError(res, format, error);
  };
  try {
    const auth = await ctx.auth.authenticate(presentedKey(req));
    if (!auth.ok) return refuse(authError(format, auth.reason));
    const principal = auth.principal;

    const read = await readBody(req, config.server.maxBodyBytes, config.server.bodyTimeoutMs);
    if (!read.ok) return refuse(read.error);
    const text = read.body.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return refuse(
        apiError('invalid_request', `the request body is not valid JSON (${(error as Error).message})`),
      );
    }
    const check = checkChatRequest(format, parsed);
    if (!check.ok)
      return refuse(apiError('invalid_request', check.message, { detail: { param: check.param } }));
    const request = check.body;
    const model = config.models.get(request.model);
    if (model === undefined) {
      return refuse(
        apiError('not_found', `model "${request.model}" does not exist`, { detail: { param: 'model' } }),
      );
    }
    modelLabel = model.name;
    if (principal.scopes.length > 0 && !principal.scopes.includes(model.name)) {
      return refuse(
        apiError('permission', `this API key may not use model "${model.name}"`, {
          detail: { param: 'model' },
        }),
      );
    }
    streamed = request.stream === true;
    const client = clientInfo(req, config.trustProxy);
    const logExchange = (tally?: Tally) => {
      const event = buildExchangeEvent({
        ts,
        principal,
        client,
        api,
        model: request.model,
        request,
        status,
        latencyMs: performance.now() - started,
        tally,
        logContent: config.logContent,
      });
      logged = event;
      if (!ctx.sink.offer(event)) metrics.exchangesDropped.inc();
      ctx.bus?.publish(event);
    };

    const standing = enforcementFor(ctx, principal);
    if (standing !== undefined) metrics.enforced.inc({ action: standing.action });
    if (standing?.action === 'block') {
      refuse(
        apiError(
          'account_blocked',
          `this account is blocked pending review (case ${standing.caseRef}); quote the case reference to support`,
          {
            detail: { code: 'account_blocked' },
            headers: { 'x-distillguard-case': standing.caseRef },
          },
        ),
      );
      return logExchange();
    }
    const degrade = standing?.action === 'degrade';
    const throttled = standing?.action === 'throttle' || degrade;

    const maxOut = outputCap(request);
    const estimatedTokens = Math.ceil(read.body.length / 4) + maxOut;
    const verdict = await ctx.limiter.acquire(principal, {
      estimatedTokens,
      estimatedCostUsd:
        (read.body.length / 4 / 1e6) * model.inputPerMTok + (maxOut / 1e6) * model.outputPerMTok,
      factor: throttled ? config.enforcement.throttleFactor : 1,
    });
    if (!verdict.ok) {
      metrics.limitHits.inc({ scope: verdict.scope, limit: verdict.limit });
      refuse(
        apiError(
          'rate_limit',
          `${verdict.scope} limit ${verdict.limit} reached; retry after ${verdict.retryAfterSeconds} s`,
          {
            headers: {
              ...verdict.headers,
              'retry-after': String(Math.max(1, Math.ceil(verdict.retryAfterSeconds))),
            },
          },
        ),
      );
      return logExchange();
    }
    let tally: Tally | undefined;
    try {
      tally = await serve(ctx, req, res, {
        format,
        request,
        text,
        routeModel:
          degrade && config.enforcement.degrade.decoyModel !== null
            ? config.enforcement.degrade.decoyModel
            : model.name,
        degrade,
        headers: verdict.headers,
        setStatus: (s) => {
          status = s;
        },
      });
    } finally {
      releaseLease(verdict.lease, tally, estimatedTokens - maxOut, model);
      logExchange(tally);
    }
  } catch (error) {
    if (!res.headersSent) refuse(apiError('internal', 'internal gateway error'));
    else res.destroy();
    throw error;
  } finally {
    exchangeTime?.end(logged);
    metrics.inFlight.count--;
    metrics.requests.inc({ api, model: modelLabel, status: String(status) });
    metrics.latency.observe(
      { api, stream: streamed ? 'true' : 'false' },
      (performance.now() - started) / 1000,
    );
  }
}

function enforcementFor(ctx: GatewayContext, principal: Principal): Enforcement | undefined {
  const standing = ctx.enforcement.get(principal.accountId);
  if (standing === undefined || standing.allowlisted === true || standing.action === 'monitor')
    return undefined;
  return standing;
}

function outputCap(request: Json): number {
  const asked = request.max_completion_tokens ?? request.max_tokens;
  return typeof asked === 'number' ? asked : 1024;
}

function releaseLease(
  lease: LimitLease,
  tally: Tally | undefined,
  estimatedInput: number,
  model: { inputPerMTok: number; outputPerMTok: number },
): void {
  const inputTokens = tally?.inputTokens ?? estimatedInput;
  const outputTokens = tally?.outputTokens ?? tally?.deltas ?? 0;
  lease.release({
    inputTokens,
    outputTokens,
    costUsd: (inputTokens * model.inputPerMTok + outputTokens * model.outputPerMTok) / 1e6,
  });
}

interface ServeOptions {
  format: WireFormat;
  request: Json & { model: string };
  /** The body as the client sent it, forwarded unchanged when nothing in it has to change. */
  text: string;
  routeModel: string;
  degrade: boolean;
  headers: Record<string, string>;
  setStatus(status: number): void;
}

/** Routes, dispatches and relays; returns what was served (undefined when nothing was). */
async function serve(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  o: ServeOptions,
): Promise<Tally | undefined> {
  const { config } = ctx;
  const abort = new Cancellation();
  res.on('close', () => {
    if (!res.writableFinished) abort.cancel();
  });
  req.on('error', () => abort.cancel());
  const routes = ctx.routes.get(o.routeModel) ?? [];
  const outgoing = o.degrade
    ? degradeRequest(o.format, o.request, config.enforcement.degrade.maxTokens)
    : o.request;
  let result: Awaited<ReturnType<typeof dispatchChat>>;
  try {
    result = await dispatchChat({
      routes,
      retry: config.retry,
      signal: abort,
      metrics: ctx.metrics,
      body: ({ upstream, target }) => {
        if (upstream.format === o.format) {
          // Same API, same model name, no degrade: the client's bytes are already the request
          // (saves re-serialising prompts that may be megabytes long).
          if (!o.degrade && target.model === o.request.model) return o.text;
          return JSON.stringify({ ...outgoing, model: target.model });
        }
        if (o.format === 'openai')
          return JSON.stringify(openaiToAnthropic(outgoing, target.model, config.defaultMaxTokens));
        return JSON.stringify(anthropicToOpenai(outgoing, target.model));
      },
    });
  } catch (error) {
    if (!(error instanceof TranslationError)) throw error;
    o.setStatus(400);
    sendApiError(
      res,
      o.format,
      apiError('invalid_request', error.message, { detail: { param: error.param }, headers: o.headers }),
    );
    return undefined;
  }
  if (!result.ok) {
    if (result.aborted) {
      o.setStatus(CLIENT_CLOSED);
      return undefined;
    }
    o.setStatus(result.error.status);
    sendApiError(res, o.format, { ...result.error, headers: { ...o.headers, ...result.error.headers } });
    return undefined;
  }
  const relayOptions = {
    client: o.format,
    upstream: result.route.upstream.format,
    strip: o.degrade,
    model: o.request.model,
    includeUsage:
      (o.request.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true,
    headers: o.headers,
    signal: abort,
  };
  let outcome: RelayOutcome | undefined;
  if (o.request.stream === true) {
    outcome = await relayStream(res, result.response, relayOptions);
    if (outcome.firstByteMs !== undefined)
      ctx.metrics.timeToFirstByte.observe({ api: o.format }, outcome.firstByteMs / 1000);
    if (outcome.failed)
      ctx.metrics.upstreamErrors.inc({ upstream: result.route.upstream.config.name, kind: 'midstream' });
    o.setStatus(abort.aborted ? CLIENT_CLOSED : outcome.failed ? 502 : 200);
  } else {
    outcome = await relayWhole(res, result.response, relayOptions);
    if (outcome === undefined) {
      o.setStatus(502);
      sendApiError(
        res,
        o.format,
        apiError('upstream', `upstream "${result.route.upstream.config.name}" returned a malformed response`),
      );
      return undefined;
    }
    o.setStatus(abort.aborted ? CLIENT_CLOSED : 200);
  }
  return outcome.tally;
}

/** The replay header a demo or test sends to stamp an exchange with its recorded time. */
export const REPLAY_TS_HEADER = 'x-distillguard-replay-ts';

/**
 * The replay header stating the oldest recorded time the replayer still has in flight, so the
 * event-time watermark holds while concurrent replayed requests arrive out of order.
 */
export const REPLAY_LOW_HEADER = 'x-distillguard-replay-low';

/** The replayer's oldest in-flight time (ms), when replaying and stated. */
function replayLow(ctx: GatewayContext, req: IncomingMessage): number | undefined {
  if (!ctx.replayTimestamps) return undefined;
  const header = req.headers[REPLAY_LOW_HEADER];
  const value = typeof header === 'string' ? Date.parse(header) : Number.NaN;
  return Number.isFinite(value) ? value : undefined;
}

/** Arrival time, or the recorded time when replaying (only if the gateway was built for it). */
function exchangeTimestamp(ctx: GatewayContext, req: IncomingMessage): string {
  if (ctx.replayTimestamps) {
    const header = req.headers[REPLAY_TS_HEADER];
    const value = typeof header === 'string' ? Date.parse(header) : Number.NaN;
    if (Number.isFinite(value)) return new Date(value).toISOString();
  }
  return nowIso();
}

// Requests arriving in the same millisecond share one ISO string (a Date and a format per request
// showed in the profile).
let isoMs = -1;
let isoText = '';
function nowIso(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}
