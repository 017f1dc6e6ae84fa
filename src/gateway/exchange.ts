/**
 * Turns one served (or refused) request into the contract's exchange event
 * (../shared/contract/exchange-event.schema.json) — the record the store keeps and the detector
 * reads. `request` is the body exactly as the client sent it, before any degrade rewriting.
 */
import { randomUUID } from 'node:crypto';
import type { ClientInfo, ExchangeEvent, ExchangeResponse, WireApi, WireRequest } from '../contract/types.js';
import type { Principal } from './ports.js';
import type { Tally } from './wire/normalized.js';

export interface ExchangeFacts {
  ts: string;
  principal: Principal;
  client: ClientInfo;
  api: WireApi;
  model: string;
  request: WireRequest;
  status: number;
  latencyMs: number;
  tally?: Tally;
  /** Keep the response text (config `logContent`). */
  logContent: boolean;
}

/**
 * Builds the exchange event.
 *
 * @example
 * const event = buildExchangeEvent({ ts, principal, client, api: 'openai.chat', model: 'm', request, status: 200, latencyMs: 12.5, tally, logContent: true });
 * sink.offer(event);
 */
export function buildExchangeEvent(facts: ExchangeFacts): ExchangeEvent {
  const response: ExchangeResponse = {
    status: facts.status,
    latency_ms: Math.round(facts.latencyMs * 1000) / 1000,
  };
  const tally = facts.tally;
  if (tally !== undefined) {
    if (tally.inputTokens !== undefined) response.input_tokens = tally.inputTokens;
    const output = tally.outputTokens ?? (tally.deltas > 0 ? tally.deltas : undefined);
    if (output !== undefined) response.output_tokens = output;
    if (tally.finish !== undefined) response.finish_reason = tally.finish;
    if (facts.logContent && tally.text !== '') response.text = tally.text;
  }
  const event: ExchangeEvent = {
    id: randomUUID(),
    ts: facts.ts,
    account_id: facts.principal.accountId,
    key_id: facts.principal.keyId,
    client: facts.client,
    api: facts.api,
    model: facts.model,
    request: facts.request,
    response,
  };
  if (facts.principal.orgId !== null) event.org_id = facts.principal.orgId;
  return event;
}
