/**
 * The policy maps scores to the action ladder. It is data, not code, so an operator can make
 * the detector more or less aggressive without a release; `parsePolicy` checks every field and
 * names the offending one, because a typo in a threshold silently changes who gets blocked.
 */
import { readFileSync } from 'node:fs';
import { ACTIONS, type Action } from '../contract/types.js';
import defaultPolicyJson from './default-policy.json' with { type: 'json' };

/** Score thresholds in [0, 1] at which each action is reached; must not decrease up the ladder. */
export type ActionThresholds = Record<Action, number>;

export interface Policy {
  schema: 'distillguard.policy/1';
  /** Thresholds for an account judged on its own evidence. Set high: collateral counts throttle. */
  account: ActionThresholds;
  /** Thresholds for a linked group of accounts; applied to every member at once. */
  campaign: ActionThresholds & {
    /** Smallest linked group that can be convicted as a campaign. */
    minAccounts: number;
    /**
     * Account score from which weak shared signals (template, client fingerprint, subnet,
     * sign-up burst) may link it to other such accounts. Linking is not an action.
     */
    linkScore: number;
  };
  tracking: {
    /** An account silent this long (event time) drops its behavioural profile. */
    idleEvictHours: number;
    /** Hard cap on tracked profiles; the least recently active is evicted first. */
    maxAccounts: number;
  };
}

/** A policy file or value that cannot be used, with the field that is wrong. */
export class PolicyError extends Error {
  override name = 'PolicyError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(obj: Record<string, unknown>, key: string, where: string, min: number, max: number): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new PolicyError(`${where}/${key}: must be a number`);
  if (v < min || v > max)
    throw new PolicyError(`${where}/${key}: must be between ${min} and ${max}, got ${v}`);
  return v;
}

function section(obj: Record<string, unknown>, key: string, where: string): Record<string, unknown> {
  const v = obj[key];
  if (!isRecord(v)) throw new PolicyError(`${where}/${key}: must be an object`);
  return v;
}

function thresholds(obj: Record<string, unknown>, where: string): ActionThresholds {
  const out = {} as ActionThresholds;
  let previous = 0;
  for (const action of ACTIONS) {
    const value = num(obj, action, where, 0, 1);
    if (value < previous) {
      throw new PolicyError(
        `${where}/${action}: must be >= the threshold of the action below it (${previous})`,
      );
    }
    out[action] = value;
    previous = value;
  }
  return out;
}

/**
 * Checks a parsed policy value and returns it typed; throws PolicyError naming the bad field.
 *
 * @example
 * const policy = parsePolicy(JSON.parse(text), 'my-policy.json');
 */
export function parsePolicy(value: unknown, source = 'policy'): Policy {
  if (!isRecord(value)) throw new PolicyError(`${source}: must be a JSON object`);
  if (value.schema !== 'distillguard.policy/1') {
    throw new PolicyError(`${source}/schema: must be "distillguard.policy/1"`);
  }
  const account = thresholds(section(value, 'account', source), `${source}/account`);
  const campaignObj = section(value, 'campaign', source);
  const campaign = {
    ...thresholds(campaignObj, `${source}/campaign`),
    minAccounts: Math.round(num(campaignObj, 'minAccounts', `${source}/campaign`, 2, 1_000_000)),
    linkScore: num(campaignObj, 'linkScore', `${source}/campaign`, 0, 1),
  };
  const trackingObj = section(value, 'tracking', source);
  const tracking = {
    idleEvictHours: num(trackingObj, 'idleEvictHours', `${source}/tracking`, 1, 24 * 365),
    maxAccounts: Math.round(num(trackingObj, 'maxAccounts', `${source}/tracking`, 1000, 1e9)),
  };
  return { schema: 'distillguard.policy/1', account, campaign, tracking };
}

/**
 * Reads and checks a policy file; errors are PolicyError with the path in the message.
 *
 * @example
 * const policy = loadPolicy('ops/strict-policy.json');
 */
export function loadPolicy(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new PolicyError(`${path}: cannot read policy file (${code})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return parsePolicy(parsed, path);
}

/**
 * The built-in policy shipped in default-policy.json.
 *
 * @example
 * const detector = createDetector({ policy: defaultPolicy() });
 */
export function defaultPolicy(): Policy {
  return parsePolicy(structuredClone(defaultPolicyJson), 'default-policy.json');
}

/**
 * The highest action whose threshold `score` reaches, or undefined below monitor.
 *
 * @example
 * actionFor(0.95, { monitor: 0.5, throttle: 0.7, degrade: 0.8, block: 0.9 }); // 'block'
 */
export function actionFor(score: number, t: ActionThresholds): Action | undefined {
  let result: Action | undefined;
  for (const action of ACTIONS) if (score >= t[action]) result = action;
  return result;
}
