/**
 * fast-check generators of valid contract records, for property tests of anything that reads or
 * writes them. Events come out sorted by ts, as the contract requires of event files.
 */
import fc from 'fast-check';
import type { AccountRecord, ExchangeEvent, Label } from '../types.js';

const MIN_MS = Date.UTC(2025, 0, 1);
const MAX_MS = Date.UTC(2027, 0, 1);

/** Any Unicode text, including lone surrogates and line separators. */
const text = fc.string({ unit: 'binary', maxLength: 40 });
const nonEmpty = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 });

const message = fc.record({
  role: fc.constantFrom('user', 'assistant', 'system', 'tool'),
  content: fc.oneof(text, fc.array(fc.record({ type: fc.constant('text'), text }), { maxLength: 3 })),
});

/** One valid exchange event with the given ts. */
export function eventAt(ts: number): fc.Arbitrary<ExchangeEvent> {
  return fc.record(
    {
      id: nonEmpty,
      ts: fc.constant(new Date(ts).toISOString()),
      account_id: nonEmpty,
      org_id: text,
      key_id: text,
      client: fc.record(
        {
          ip: fc.oneof(fc.ipV4(), fc.ipV6()),
          user_agent: text,
          asn: fc.integer({ min: 0, max: 4_294_967_295 }),
          country: fc.constantFrom('US', 'CN', 'DE', 'SG'),
        },
        { requiredKeys: ['ip'] },
      ),
      api: fc.constantFrom('openai.chat' as const, 'anthropic.messages' as const),
      model: text,
      request: fc.record(
        {
          messages: fc.array(message, { maxLength: 4 }),
          max_tokens: fc.integer({ min: 1, max: 32_000 }),
          temperature: fc.double({ min: 0, max: 2, noNaN: true }),
          metadata: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
        },
        { requiredKeys: ['messages'] },
      ),
      response: fc.record(
        {
          status: fc.integer({ min: 100, max: 599 }),
          output_tokens: fc.nat(),
          latency_ms: fc.double({ min: 0, max: 1e6, noNaN: true }),
          text,
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['id', 'ts', 'account_id', 'client', 'api', 'model', 'request'] },
  );
}

/**
 * Valid exchange events in non-decreasing ts order, with distinct ids (the contract's id is
 * unique per exchange, and the event reader drops a repeat).
 *
 * @example
 * fc.assert(fc.property(sortedEvents({ maxLength: 20 }), (events) => events.length <= 20));
 */
export function sortedEvents(opts: { minLength?: number; maxLength: number }): fc.Arbitrary<ExchangeEvent[]> {
  return fc
    .array(fc.integer({ min: MIN_MS, max: MAX_MS }), opts)
    .map((times) => times.sort((a, b) => a - b))
    .chain((times) => fc.tuple(...times.map(eventAt)))
    .map((events) => events.map((e, i) => ({ ...e, id: `${e.id}#${i}` })));
}

/** One valid account record. */
export const accountRecord: fc.Arbitrary<AccountRecord> = fc.record(
  {
    account_id: nonEmpty,
    org_id: text,
    created_at: fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => new Date(ms).toISOString()),
    verified: fc.boolean(),
    signup_channel: text,
    payment_fingerprint: text,
    email_domain: text,
    signup_ip: text,
  },
  { requiredKeys: ['account_id', 'created_at'] },
);

/** One valid label. */
export const label: fc.Arbitrary<Label> = fc.record(
  {
    account_id: text,
    label: fc.constantFrom('benign' as const, 'attack' as const),
    campaign: text,
    persona: text,
  },
  { requiredKeys: ['account_id', 'label', 'persona'] },
);
