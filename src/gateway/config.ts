/**
 * The gateway's config file (JSON; documented in docs/gateway.md): upstreams, per-model routing,
 * server limits, retry/breaker tuning, enforcement settings and edge-header trust. Validated once
 * at start; every error names the offending field so a typo fails loudly, not at 3 a.m.
 */
import { readFileSync } from 'node:fs';
import type { WireFormat } from './ports.js';

export type UpstreamKind = 'openai-compatible' | 'anthropic';

export interface UpstreamConfig {
  name: string;
  kind: UpstreamKind;
  /** OpenAI convention includes `/v1` (`https://api.openai.com/v1`); Anthropic's does not. */
  baseUrl: string;
  /** Resolved from the environment variable named by `apiKeyEnv`; absent = no credential sent. */
  apiKey?: string;
  anthropicVersion: string;
  connections: number;
  /** Time to response headers, and idle time between body chunks. */
  timeoutMs: number;
}

export interface TargetConfig {
  upstream: string;
  /** The model name the upstream knows it by. */
  model: string;
}

export interface ModelConfig {
  name: string;
  targets: TargetConfig[];
  /** USD per million tokens, for budget estimates; 0 when absent. */
  inputPerMTok: number;
  outputPerMTok: number;
}

export interface TrustProxyConfig {
  ipHeader: string;
  asnHeader: string;
  asnOrgHeader: string;
  countryHeader: string;
  tlsFingerprintHeader: string;
}

export interface GatewayConfig {
  upstreams: Map<string, UpstreamConfig>;
  models: Map<string, ModelConfig>;
  server: {
    maxBodyBytes: number;
    headersTimeoutMs: number;
    bodyTimeoutMs: number;
    keepAliveTimeoutMs: number;
  };
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  breaker: { failureThreshold: number; openMs: number };
  enforcement: { throttleFactor: number; degrade: { maxTokens: number; decoyModel: string | null } };
  trustProxy: TrustProxyConfig | null;
  /** Keep response text in exchange events (the detector needs prompts either way). */
  logContent: boolean;
  /** max_tokens sent to Anthropic upstreams when an OpenAI client gave none (Anthropic requires it). */
  defaultMaxTokens: number;
}

/** Thrown for an invalid config; the message names the field (e.g. `models.a.targets[0].upstream`). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * The wire format an upstream kind speaks.
 *
 * @example
 * upstreamFormat('openai-compatible'); // 'openai'
 */
export function upstreamFormat(kind: UpstreamKind): WireFormat {
  return kind === 'anthropic' ? 'anthropic' : 'openai';
}

type Obj = Record<string, unknown>;

function fail(where: string, what: string): never {
  throw new ConfigError(`${where}: ${what}`);
}

function object(value: unknown, where: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'must be an object');
  return value as Obj;
}

function known(value: Obj, where: string, fields: string[]): void {
  for (const key of Object.keys(value)) {
    if (!fields.includes(key))
      fail(where === '' ? key : `${where}.${key}`, `unknown field; expected one of ${fields.join(', ')}`);
  }
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') fail(where, 'must be a non-empty string');
  return value;
}

function number(
  value: unknown,
  where: string,
  fallback: number,
  min: number,
  max: number,
  whole = true,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isInteger(value))) {
    fail(where, whole ? 'must be a whole number' : 'must be a number');
  }
  if (value < min || value > max) fail(where, `must be from ${min} to ${max}`);
  return value;
}

function join(where: string, key: string): string {
  return where === '' ? key : `${where}.${key}`;
}

/**
 * Validates a parsed config object; `env` supplies credentials named by `apiKeyEnv`.
 *
 * @example
 * parseGatewayConfig({
 *   upstreams: { local: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1' } },
 *   models: { 'my-model': { targets: [{ upstream: 'local', model: 'org/model-7b' }] } },
 * }, process.env);
 */
export function parseGatewayConfig(raw: unknown, env: NodeJS.ProcessEnv): GatewayConfig {
  const root = object(raw, 'config');
  known(root, '', [
    '$schema',
    'upstreams',
    'models',
    'server',
    'retry',
    'breaker',
    'enforcement',
    'trustProxy',
    'logContent',
    'defaultMaxTokens',
  ]);
  const upstreams = new Map<string, UpstreamConfig>();
  for (const [name, value] of Object.entries(object(root.upstreams, 'upstreams'))) {
    upstreams.set(name, parseUpstream(name, value, env));
  }
  if (upstreams.size === 0) fail('upstreams', 'must name at least one upstream');
  const models = new Map<string, ModelConfig>();
  for (const [name, value] of Object.entries(object(root.models, 'models'))) {
    models.set(name, parseModel(name, value, upstreams));
  }
  if (models.size === 0) fail('models', 'must name at least one model');

  const server = object(root.server ?? {}, 'server');
  known(server, 'server', ['maxBodyBytes', 'headersTimeoutMs', 'bodyTimeoutMs', 'keepAliveTimeoutMs']);
  const retry = object(root.retry ?? {}, 'retry');
  known(retry, 'retry', ['attempts', 'baseDelayMs', 'maxDelayMs']);
  const breaker = object(root.breaker ?? {}, 'breaker');
  known(breaker, 'breaker', ['failureThreshold', 'openMs']);
  const enforcement = object(root.enforcement ?? {}, 'enforcement');
  known(enforcement, 'enforcement', ['throttleFactor', 'degrade']);
  const degrade = object(enforcement.degrade ?? {}, 'enforcement.degrade');
  known(degrade, 'enforcement.degrade', ['maxTokens', 'decoyModel']);
  let decoyModel: string | null = null;
  if (degrade.decoyModel !== undefined && degrade.decoyModel !== null) {
    decoyModel = string(degrade.decoyModel, 'enforcement.degrade.decoyModel');
    if (!models.has(decoyModel))
      fail('enforcement.degrade.decoyModel', `names no model in "models" (${decoyModel})`);
  }
  if (root.logContent !== undefined && typeof root.logContent !== 'boolean')
    fail('logContent', 'must be true or false');

  return {
    upstreams,
    models,
    server: {
      maxBodyBytes: number(server.maxBodyBytes, 'server.maxBodyBytes', 4 * 1024 * 1024, 1024, 1024 ** 3),
      headersTimeoutMs: number(server.headersTimeoutMs, 'server.headersTimeoutMs', 10_000, 100, 600_000),
      bodyTimeoutMs: number(server.bodyTimeoutMs, 'server.bodyTimeoutMs', 30_000, 100, 600_000),
      keepAliveTimeoutMs: number(
        server.keepAliveTimeoutMs,
        'server.keepAliveTimeoutMs',
        65_000,
        100,
        600_000,
      ),
    },
    retry: {
      attempts: number(retry.attempts, 'retry.attempts', 2, 0, 10),
      baseDelayMs: number(retry.baseDelayMs, 'retry.baseDelayMs', 100, 0, 60_000),
      maxDelayMs: number(retry.maxDelayMs, 'retry.maxDelayMs', 2_000, 0, 600_000),
    },
    breaker: {
      failureThreshold: number(breaker.failureThreshold, 'breaker.failureThreshold', 5, 1, 1000),
      openMs: number(breaker.openMs, 'breaker.openMs', 30_000, 1, 3_600_000),
    },
    enforcement: {
      throttleFactor: number(enforcement.throttleFactor, 'enforcement.throttleFactor', 0.25, 0, 1, false),
      degrade: {
        maxTokens: number(degrade.maxTokens, 'enforcement.degrade.maxTokens', 512, 1, 1_000_000),
        decoyModel,
      },
    },
    trustProxy: parseTrustProxy(root.trustProxy),
    logContent: root.logContent !== false,
    defaultMaxTokens: number(root.defaultMaxTokens, 'defaultMaxTokens', 4096, 1, 1_000_000),
  };
}

function parseUpstream(name: string, value: unknown, env: NodeJS.ProcessEnv): UpstreamConfig {
  const where = `upstreams.${name}`;
  const u = object(value, where);
  known(u, where, ['kind', 'baseUrl', 'apiKeyEnv', 'anthropicVersion', 'connections', 'timeoutMs']);
  if (u.kind !== 'openai-compatible' && u.kind !== 'anthropic') {
    fail(`${where}.kind`, 'must be "openai-compatible" (vLLM, Ollama, OpenAI, …) or "anthropic"');
  }
  const baseUrl = string(u.baseUrl, `${where}.baseUrl`).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    fail(`${where}.baseUrl`, `is not a URL (${baseUrl})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail(`${where}.baseUrl`, 'must be http: or https:');
  let apiKey: string | undefined;
  if (u.apiKeyEnv !== undefined) {
    const variable = string(u.apiKeyEnv, `${where}.apiKeyEnv`);
    apiKey = env[variable];
    if (apiKey === undefined || apiKey === '')
      fail(`${where}.apiKeyEnv`, `environment variable ${variable} is not set`);
  }
  return {
    name,
    kind: u.kind,
    baseUrl,
    apiKey,
    anthropicVersion:
      u.anthropicVersion === undefined
        ? '2023-06-01'
        : string(u.anthropicVersion, `${where}.anthropicVersion`),
    connections: number(u.connections, `${where}.connections`, 128, 1, 10_000),
    timeoutMs: number(u.timeoutMs, `${where}.timeoutMs`, 120_000, 100, 3_600_000),
  };
}

function parseModel(name: string, value: unknown, upstreams: Map<string, UpstreamConfig>): ModelConfig {
  const where = `models.${name}`;
  const m = object(value, where);
  known(m, where, ['targets', 'inputPerMTok', 'outputPerMTok']);
  if (!Array.isArray(m.targets) || m.targets.length === 0)
    fail(`${where}.targets`, 'must be a non-empty array');
  const targets = m.targets.map((t, i) => {
    const tw = `${where}.targets[${i}]`;
    const target = object(t, tw);
    known(target, tw, ['upstream', 'model']);
    const upstream = string(target.upstream, `${tw}.upstream`);
    if (!upstreams.has(upstream)) fail(`${tw}.upstream`, `names no upstream in "upstreams" (${upstream})`);
    return { upstream, model: target.model === undefined ? name : string(target.model, `${tw}.model`) };
  });
  return {
    name,
    targets,
    inputPerMTok: number(m.inputPerMTok, `${where}.inputPerMTok`, 0, 0, 1_000_000, false),
    outputPerMTok: number(m.outputPerMTok, `${where}.outputPerMTok`, 0, 0, 1_000_000, false),
  };
}

function parseTrustProxy(value: unknown): TrustProxyConfig | null {
  if (value === undefined || value === null || value === false) return null;
  const t = value === true ? {} : object(value, 'trustProxy');
  known(t, 'trustProxy', ['ipHeader', 'asnHeader', 'asnOrgHeader', 'countryHeader', 'tlsFingerprintHeader']);
  const header = (key: string, fallback: string) =>
    t[key] === undefined ? fallback : string(t[key], join('trustProxy', key)).toLowerCase();
  return {
    ipHeader: header('ipHeader', 'x-forwarded-for'),
    asnHeader: header('asnHeader', 'x-edge-asn'),
    asnOrgHeader: header('asnOrgHeader', 'x-edge-asn-org'),
    countryHeader: header('countryHeader', 'x-edge-country'),
    tlsFingerprintHeader: header('tlsFingerprintHeader', 'x-edge-tls-fingerprint'),
  };
}

/**
 * Reads and validates a config file; JSON syntax errors and field errors name the file.
 *
 * @example
 * const config = loadGatewayConfig('gateway.json', process.env);
 */
export function loadGatewayConfig(path: string, env: NodeJS.ProcessEnv): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  try {
    return parseGatewayConfig(raw, env);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${path}: ${error.message}`);
    throw error;
  }
}
