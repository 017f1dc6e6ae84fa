import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountRecord, eventAt, label } from './test-helpers/arbitraries.js';
import { validateAccount, validateEvent, validateLabel, validateReport } from './validate.js';

const event = {
  id: 'e1',
  ts: '2026-01-01T00:00:00.000Z',
  account_id: 'a1',
  client: { ip: '203.0.113.7' },
  api: 'openai.chat',
  model: 'm',
  request: { messages: [] },
};

describe('validateEvent', () => {
  it('accepts every generated valid event', () => {
    fc.assert(
      fc.property(eventAt(Date.UTC(2026, 1, 1)), (e) => {
        expect(validateEvent(e)).toEqual({ ok: true, value: e });
      }),
    );
  });

  it.each([
    [{ ...event, client: { ip: 7 } }, '/client/ip: must be string'],
    [{ ...event, client: {} }, '/client: missing required property "ip"'],
    [{ ...event, ts: '2026-13-01T00:00:00Z' }, '/ts: must match format "date-time"'],
    [{ ...event, api: 'grpc' }, '/api: must be one of "openai.chat", "anthropic.messages"'],
    [{ ...event, id: '' }, '/id: must NOT have fewer than 1 characters'],
    [{ ...event, request: { messages: 'hi' } }, '/request/messages: must be array'],
    [{ ...event, response: { output_tokens: -1 } }, '/response/output_tokens: must be >= 0'],
    [[], '/: must be object'],
  ])('rejects %j with a specific message', (value, message) => {
    expect(validateEvent(value)).toEqual({ ok: false, error: message });
  });
});

describe('validateAccount and validateLabel', () => {
  it('accept generated records', () => {
    fc.assert(fc.property(accountRecord, (r) => validateAccount(r).ok));
    fc.assert(fc.property(label, (r) => validateLabel(r).ok));
  });

  it('name the missing or wrong field', () => {
    expect(validateAccount({ account_id: 'a' })).toEqual({
      ok: false,
      error: '/: missing required property "created_at"',
    });
    expect(validateLabel({ account_id: 'a', label: 'evil', persona: 'p' })).toEqual({
      ok: false,
      error: '/label: must be one of "benign", "attack"',
    });
  });
});

describe('validateReport', () => {
  const report = { schema: 'distillguard.report/1', events: 3, decisions: [], campaigns: [] };

  it('accepts a report with extra top-level properties', () => {
    expect(validateReport({ ...report, notes: ['n'], summary: { x: 1 } }).ok).toBe(true);
  });

  it('requires the schema constant and scores in [0, 1]', () => {
    expect(validateReport({ ...report, schema: 'other' })).toEqual({
      ok: false,
      error: '/schema: must be "distillguard.report/1"',
    });
    const decision = {
      at: event.ts,
      event_id: 'e1',
      account_id: 'a1',
      action: 'block',
      score: 1.5,
      reasons: [],
    };
    expect(validateReport({ ...report, decisions: [decision] })).toEqual({
      ok: false,
      error: '/decisions/0/score: must be <= 1',
    });
  });
});
