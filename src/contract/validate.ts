/**
 * Runtime validation of the four contract records against the JSON Schemas in `schemas/`
 * (verbatim copies of ../shared/contract). Each schema is compiled once, at module load, so a
 * validation is a single call of generated code — the reader validates every event with it.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { isDateTime } from './date-time.js';
// JSON imports (not fs reads) so the schemas travel with the code into dist/ and work under tsx/vitest.
import accountSchema from './schemas/account-record.schema.json' with { type: 'json' };
import eventSchema from './schemas/exchange-event.schema.json' with { type: 'json' };
import labelSchema from './schemas/label.schema.json' with { type: 'json' };
import reportSchema from './schemas/report.schema.json' with { type: 'json' };
import type { AccountRecord, ExchangeEvent, Label, Report } from './types.js';

/** Outcome of validating one value: the typed value, or one specific error message. */
export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

/** A validator for one record type. */
export type Validator<T> = (value: unknown) => Validation<T>;

// allErrors off: the first error is the message we report, and stopping early is faster.
const ajv = new Ajv2020({ allErrors: false, strict: true });
// ajv-formats' date-time check behind a fast path for the canonical UTC shape (date-time.ts).
ajv.addFormat('date-time', { type: 'string', validate: isDateTime });

/** Turns ajv's first error into `instancePath: message`, naming what was expected. */
function describe(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (first === undefined) return 'invalid';
  const where = first.instancePath === '' ? '/' : first.instancePath;
  const params = first.params as Record<string, unknown>;
  if (first.keyword === 'required')
    return `${where}: missing required property "${String(params.missingProperty)}"`;
  if (first.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    return `${where}: must be one of ${allowed}`;
  }
  if (first.keyword === 'const') return `${where}: must be ${JSON.stringify(params.allowedValue)}`;
  return `${where}: ${first.message ?? 'is invalid'}`;
}

/**
 * Compiled on first use, not at import: every `distillguard` command imports this module, and
 * compiling all four schemas up front cost ~6 MB of RSS in processes that never validate one
 * (an embedded `serve`).
 */
function compile<T>(schema: object): Validator<T> {
  let check: ValidateFunction | undefined;
  return (value: unknown) => {
    check ??= ajv.compile(schema);
    return check(value) ? { ok: true, value: value as T } : { ok: false, error: describe(check.errors) };
  };
}

/**
 * Validates an exchange event (`distillguard/exchange-event/1`).
 *
 * @example
 * const v = validateEvent(JSON.parse(line));
 * if (!v.ok) console.error(v.error); // e.g. "/client/ip: must be string"
 */
export const validateEvent: Validator<ExchangeEvent> = compile<ExchangeEvent>(eventSchema);

/**
 * Validates an account record (`distillguard/account-record/1`).
 *
 * @example
 * validateAccount({ account_id: 'a1', created_at: '2026-01-01T00:00:00.000Z' }).ok; // true
 */
export const validateAccount: Validator<AccountRecord> = compile<AccountRecord>(accountSchema);

/**
 * Validates a ground-truth label (`distillguard/label/1`).
 *
 * @example
 * validateLabel({ account_id: 'a1', label: 'attack', persona: 'hydra-worker' }).ok; // true
 */
export const validateLabel: Validator<Label> = compile<Label>(labelSchema);

/**
 * Validates a detection report (`distillguard/report/1`).
 *
 * @example
 * validateReport({ schema: 'distillguard.report/1', events: 0, decisions: [], campaigns: [] }).ok; // true
 */
export const validateReport: Validator<Report> = compile<Report>(reportSchema);
