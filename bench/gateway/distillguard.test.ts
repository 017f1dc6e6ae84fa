import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import { gatewayConfig } from './distillguard.js';
import { chatBody, MODEL } from './targets.js';

describe('gatewayConfig', () => {
  it('is accepted by the gateway’s own config parser and routes the bench model to the mock', () => {
    const config = parseGatewayConfig(JSON.parse(gatewayConfig(19000)), {});
    expect(config.upstreams.get('mock')?.baseUrl).toBe('http://127.0.0.1:19000/v1');
    expect(config.models.get(MODEL)?.targets).toEqual([{ upstream: 'mock', model: MODEL }]);
    expect(config.logContent).toBe(true);
  });
});

describe('chatBody', () => {
  it('asks for the bench model, streaming only when told', () => {
    const plain = JSON.parse(chatBody(false)) as Record<string, unknown>;
    const stream = JSON.parse(chatBody(true)) as Record<string, unknown>;
    expect(plain.model).toBe(MODEL);
    expect(plain.stream).toBeUndefined();
    expect(stream.stream).toBe(true);
  });
});
