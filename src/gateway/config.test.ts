import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig, parseGatewayConfig } from './config.js';

const minimal = {
  upstreams: { local: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1/' } },
  models: { m: { targets: [{ upstream: 'local', model: 'org/m' }] } },
};

describe('parseGatewayConfig', () => {
  it('fills defaults and trims the base URL', () => {
    const config = parseGatewayConfig(minimal, {});
    expect(config.upstreams.get('local')?.baseUrl).toBe('http://127.0.0.1:8000/v1');
    expect(config.models.get('m')?.targets).toEqual([{ upstream: 'local', model: 'org/m' }]);
    expect(config.retry.attempts).toBe(2);
    expect(config.trustProxy).toBeNull();
    expect(config.logContent).toBe(true);
  });

  it('reads credentials from the named environment variable', () => {
    const raw = { ...minimal, upstreams: { local: { ...minimal.upstreams.local, apiKeyEnv: 'K' } } };
    expect(parseGatewayConfig(raw, { K: 'secret' }).upstreams.get('local')?.apiKey).toBe('secret');
    expect(() => parseGatewayConfig(raw, {})).toThrow(
      'upstreams.local.apiKeyEnv: environment variable K is not set',
    );
  });

  it.each([
    [
      { ...minimal, upstreams: { local: { kind: 'grpc', baseUrl: 'http://x' } } },
      'upstreams.local.kind: must be',
    ],
    [
      { ...minimal, models: { m: { targets: [{ upstream: 'nope' }] } } },
      'models.m.targets[0].upstream: names no upstream',
    ],
    [{ ...minimal, models: { m: { targets: [] } } }, 'models.m.targets: must be a non-empty array'],
    [{ ...minimal, retry: { attempts: 1.5 } }, 'retry.attempts: must be a whole number'],
    [
      { ...minimal, enforcement: { degrade: { decoyModel: 'x' } } },
      'enforcement.degrade.decoyModel: names no model',
    ],
    [{ ...minimal, colour: 'red' }, 'colour: unknown field'],
    [
      { ...minimal, upstreams: { local: { kind: 'anthropic', baseUrl: 'ftp://x' } } },
      'upstreams.local.baseUrl: must be http',
    ],
  ])('names the bad field (%#)', (raw, message) => {
    expect(() => parseGatewayConfig(raw, {})).toThrow(message);
  });

  it('accepts trustProxy: true with default header names', () => {
    expect(parseGatewayConfig({ ...minimal, trustProxy: true }, {}).trustProxy?.asnHeader).toBe('x-edge-asn');
  });

  it('names the file on syntax errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-config-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{ "upstreams": ');
    expect(() => loadGatewayConfig(path, {})).toThrow(`${path}: not valid JSON`);
    expect(() => loadGatewayConfig(join(dir, 'missing.json'), {})).toThrow('cannot read (ENOENT)');
  });
});
