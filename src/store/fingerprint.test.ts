import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { validateEvent } from '../contract/validate.js';
import { fingerprintEvent, fingerprintText } from './fingerprint.js';

const secretText = 'my confidential prompt about project falcon';

const event: ExchangeEvent = {
  id: 'e1',
  ts: '2026-01-01T00:00:00.000Z',
  account_id: 'a1',
  client: { ip: '10.0.0.1' },
  api: 'anthropic.messages',
  model: 'm',
  request: {
    system: 'you are a secret agent',
    max_tokens: 512,
    messages: [
      { role: 'user', content: secretText },
      { role: 'assistant', content: [{ type: 'text', text: 'falcon answer' }] },
    ],
  },
  response: { status: 200, output_tokens: 3, text: 'falcon reply' },
};

describe('fingerprintEvent', () => {
  it('removes every text but keeps structure, parameters and lengths', () => {
    const fp = fingerprintEvent(event);
    const json = JSON.stringify(fp);
    expect(json).not.toMatch(/falcon|secret agent/);
    expect(fp.request.messages[0]).toEqual({ role: 'user', content: fingerprintText(secretText) });
    expect(fp.request.messages[1]?.content).toEqual([
      { type: 'text', text: fingerprintText('falcon answer') },
    ]);
    expect(fp.request.max_tokens).toBe(512);
    expect(fp.response).toEqual({
      status: 200,
      output_tokens: 3,
      text_fingerprint: fingerprintText('falcon reply'),
    });
    expect(validateEvent(fp).ok).toBe(true);
    // The original is untouched.
    expect(event.request.messages[0]?.content).toBe(secretText);
  });

  it('hashes equal texts equally', () => {
    expect(fingerprintText('abc')).toEqual(fingerprintText('abc'));
    expect(fingerprintText('abc').sha256).not.toBe(fingerprintText('abd').sha256);
  });
});
