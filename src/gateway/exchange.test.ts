import { describe, expect, it } from 'vitest';
import { validateEvent } from '../contract/validate.js';
import { buildExchangeEvent } from './exchange.js';
import type { Principal } from './ports.js';
import { createTally } from './wire/normalized.js';

const principal: Principal = {
  keyId: 'k1',
  accountId: 'acct-1',
  orgId: 'org-1',
  scopes: [],
  verified: true,
  keyLimits: {},
  accountLimits: {},
  orgLimits: {},
};

describe('buildExchangeEvent', () => {
  it('produces a contract-valid event with response facts', () => {
    const tally = { ...createTally(), text: 'hello', finish: 'stop', inputTokens: 3, deltas: 2 };
    const event = buildExchangeEvent({
      ts: '2026-01-01T00:00:00.000Z',
      principal,
      client: { ip: '127.0.0.1', user_agent: 'ua' },
      api: 'openai.chat',
      model: 'm',
      request: { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
      status: 200,
      latencyMs: 12.34567,
      tally,
      logContent: true,
    });
    expect(validateEvent(event)).toMatchObject({ ok: true });
    expect(event).toMatchObject({
      account_id: 'acct-1',
      org_id: 'org-1',
      key_id: 'k1',
      response: {
        status: 200,
        input_tokens: 3,
        output_tokens: 2,
        finish_reason: 'stop',
        text: 'hello',
        latency_ms: 12.346,
      },
    });
  });

  it('omits text when content logging is off and org when there is none', () => {
    const event = buildExchangeEvent({
      ts: '2026-01-01T00:00:00.000Z',
      principal: { ...principal, orgId: null },
      client: { ip: '::1' },
      api: 'anthropic.messages',
      model: 'm',
      request: { messages: [] },
      status: 403,
      latencyMs: 0.2,
      tally: { ...createTally(), text: 'secret' },
      logContent: false,
    });
    expect(event.org_id).toBeUndefined();
    expect(event.response?.text).toBeUndefined();
  });
});
