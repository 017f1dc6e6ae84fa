/** Shapes of the console and admin API answers the app reads (a subset of each). */

export type Action = 'monitor' | 'throttle' | 'degrade' | 'block';
export const ACTIONS: readonly Action[] = ['monitor', 'throttle', 'degrade', 'block'];

export interface Overview {
  campaigns: Array<{
    id: string;
    score: number;
    first_action_at: string;
    updated_at: string;
    accounts: number;
    contained: number;
    uncontained: number;
  }>;
  enforced: Record<Action, number>;
  allowlisted: number;
  exchanges: number;
  recentDecisions: Array<{ at: string; action: Action }>;
  topSignals: Array<{ signal: string; campaigns: number }>;
}

export interface TrafficPoint {
  start: string;
  exchanges: number;
  errors: number;
}

export interface Campaign {
  id: string;
  accounts: string[];
  first_action_at: string;
  updated_at: string;
  score: number;
  capabilities?: Record<string, number>;
  evidence: string[];
}

export interface CampaignAccountPage {
  total: number;
  offset: number;
  data: Array<{
    account_id: string;
    action: Action | null;
    allowlisted: boolean;
    payment_fingerprint: string | null;
    email_domain: string | null;
    signup_network: string | null;
  }>;
}

/** Traffic-side signals of one account (from its latest logged exchanges). */
export interface AccountSignals {
  account_id: string;
  exchanges: number;
  template: string | null;
  timing: string | null;
  request_network: string | null;
  client_fingerprint: string | null;
}

export interface CampaignSignalsPage {
  total: number;
  offset: number;
  data: AccountSignals[];
}

export interface EnforcementState {
  action: Action | null;
  reasons?: string[];
  caseRef?: string;
  campaignId?: string | null;
  allowlisted?: boolean;
}

export interface Key {
  id: string;
  prefix: string;
  account_id: string;
  scopes: string[];
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
  name: string | null;
}

export interface Account {
  id: string;
  org_id: string | null;
  created_at: string;
  verified: boolean;
  signup_channel: string | null;
  payment_fingerprint: string | null;
  email_domain: string | null;
  signup_ip: string | null;
  keys?: Key[];
  enforcement?: EnforcementState | null;
}

export interface DecisionRow {
  at: string;
  action: Action;
  score: number;
  campaign_id?: string | null;
  reasons: string[];
  source: string;
}

export interface AuditRow {
  at: string;
  actor: string;
  action: string;
  target: string;
  reason: string;
}

export interface ExchangeSummary {
  id: string;
  ts: string;
  account_id: string;
  model: string;
  api: string;
  ip: string;
  status: number | null;
  output_tokens: number | null;
  prompt: string;
}

export interface Policy {
  /** Where the thresholds in force come from (a file path, or the built-in default). */
  source: string;
  account: Record<Action, number>;
  campaign: Record<Action, number> & { minAccounts: number; linkScore: number };
  tracking: { idleEvictHours: number; maxAccounts: number };
}

export interface ListOf<T> {
  data: T[];
}
