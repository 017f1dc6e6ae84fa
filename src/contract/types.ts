/**
 * TypeScript shapes of the four contract schemas in `schemas/` (copied verbatim from
 * ../shared/contract; `schemas.test.ts` fails if they drift). Runtime validation lives in
 * `validate.ts`; these types describe what a record looks like once it has passed.
 */

/** Which wire format an exchange's `request` is in. */
export type WireApi = 'openai.chat' | 'anthropic.messages';

/** Where a request came from, as the edge saw it. */
export interface ClientInfo {
  ip: string;
  user_agent?: string;
  asn?: number;
  asn_org?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** e.g. a JA4 string. */
  tls_fingerprint?: string;
}

/** A chat message in either wire format; `content` is a string or an array of content blocks. */
export interface WireMessage {
  role: string;
  content?: unknown;
  [key: string]: unknown;
}

/** The request body exactly as the client sent it. */
export interface WireRequest {
  messages: WireMessage[];
  [key: string]: unknown;
}

export interface ExchangeResponse {
  status?: number;
  input_tokens?: number;
  output_tokens?: number;
  latency_ms?: number;
  finish_reason?: string;
  text?: string;
}

/** One request/response exchange (schema `distillguard/exchange-event/1`). */
export interface ExchangeEvent {
  id: string;
  /** RFC 3339 UTC with millisecond precision. */
  ts: string;
  account_id: string;
  org_id?: string;
  key_id?: string;
  client: ClientInfo;
  api: WireApi;
  model: string;
  request: WireRequest;
  response?: ExchangeResponse;
}

/** What the provider knows about an account (schema `distillguard/account-record/1`). */
export interface AccountRecord {
  account_id: string;
  org_id?: string;
  created_at: string;
  verified?: boolean;
  signup_channel?: string;
  payment_fingerprint?: string;
  email_domain?: string;
  signup_ip?: string;
}

/** Ground truth for a simulated account (schema `distillguard/label/1`); read only by scoring. */
export interface Label {
  account_id: string;
  label: 'benign' | 'attack';
  campaign?: string;
  persona: string;
}

/** The action ladder, weakest first. */
export const ACTIONS = ['monitor', 'throttle', 'degrade', 'block'] as const;
export type Action = (typeof ACTIONS)[number];

/** One escalation in a report. */
export interface Decision {
  /** ts of the triggering event. */
  at: string;
  event_id: string;
  account_id: string;
  action: Action;
  /** In [0, 1]. */
  score: number;
  campaign_id?: string | null;
  /** Human-readable evidence, strongest first. */
  reasons: string[];
}

export interface CampaignReport {
  id: string;
  accounts: string[];
  first_action_at: string;
  score: number;
  capabilities?: Record<string, number>;
  evidence: string[];
}

/** Output of `distillguard analyze` (schema `distillguard/report/1`). */
export interface Report {
  schema: 'distillguard.report/1';
  events: number;
  rejected?: number;
  decisions: Decision[];
  campaigns: CampaignReport[];
  [key: string]: unknown;
}

/**
 * Rank of an action on the ladder (monitor = 0 … block = 3).
 *
 * @example
 * actionRank('degrade') > actionRank('throttle'); // true
 */
export function actionRank(action: Action): number {
  return ACTIONS.indexOf(action);
}
