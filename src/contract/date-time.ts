/**
 * The `date-time` format check used by schema validation, with a fast path for the one shape the
 * contract's writers produce (`Date#toISOString`: `YYYY-MM-DDTHH:MM:SS.sssZ`, or without the
 * fraction). The reader validates the `ts` of every event, and ajv-formats' check (a split, two
 * regular expressions and their captures) was the largest cost of validation after JSON.parse.
 * The fast path only ever accepts; whatever it does not recognise goes to ajv-formats' own check,
 * so the two accept exactly the same strings (see date-time.test.ts).
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';

type StringCheck = (value: string) => boolean;

const fullDateTime = (fullFormats['date-time'] as { validate: StringCheck }).validate;

/** Days per month (index 1–12) in a common year. */
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Value of the two ASCII digits at s[at], s[at+1], or -1 when either is not a digit. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** True when `s` is `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with every field in range (no leap second). */
function isCanonicalUtc(s: string): boolean {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90) return false; // 'Z'
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return false; // - - T
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false; // : :
  if (n > 20) {
    // A fraction: '.' then at least one digit, up to the 'Z'.
    if (s.charCodeAt(19) !== 46 || n === 21) return false;
    for (let i = 20; i < n - 1; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return false;
    }
  }
  const hi = twoDigits(s, 0);
  const lo = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const year = hi * 100 + lo;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS[month]!);
}

/**
 * RFC 3339 date-time check, identical in what it accepts to ajv-formats' full `date-time`.
 *
 * @example
 * isDateTime('2026-05-01T12:00:00.000Z'); // true (fast path)
 * isDateTime('2026-05-01 12:00:00+02:00'); // true (ajv-formats' check)
 * isDateTime('2026-02-30T00:00:00Z'); // false
 */
export function isDateTime(s: string): boolean {
  // Through the memo: the reader's ts-order check and the engine parse this same string next.
  return !Number.isNaN(canonicalMs(s)) || isCanonicalUtc(s) || fullDateTime(s);
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`): integer
 * arithmetic only, exact for every year 0000–9999 the canonical shape can hold.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Milliseconds of `YYYY-MM-DDTHH:MM:SS.sssZ` or `YYYY-MM-DDTHH:MM:SSZ` (fields in range), else NaN. */
function canonicalUtcMs(s: string): number {
  const n = s.length;
  let millis = 0;
  if (n === 24) {
    if (s.charCodeAt(19) !== 46) return Number.NaN; // '.'
    const a = s.charCodeAt(20) - 48;
    const b = s.charCodeAt(21) - 48;
    const c = s.charCodeAt(22) - 48;
    if (a < 0 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return Number.NaN;
    millis = a * 100 + b * 10 + c;
  } else if (n !== 20) {
    return Number.NaN;
  }
  if (!isCanonicalUtc(s)) return Number.NaN;
  const year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const days = daysFromCivil(year, twoDigits(s, 5), twoDigits(s, 8));
  const seconds = twoDigits(s, 11) * 3600 + twoDigits(s, 14) * 60 + twoDigits(s, 17);
  return (days * 86_400 + seconds) * 1000 + millis;
}

/**
 * `Date.parse(s)`, exactly, with a fast path for the canonical UTC shape every contract writer
 * produces. Both the reader's ts-order check and the engine parse every event's `ts`, and
 * `Date.parse` (~0.3 µs here) was a visible part of the per-event cost; anything else — other
 * fraction lengths, offsets, out-of-range fields, junk — goes to `Date.parse` itself.
 *
 * @example
 * parseTimestamp('2026-05-01T12:00:00.250Z'); // 1777636800250 (fast path)
 * parseTimestamp('2026-05-01T14:00:00+02:00'); // 1777636800000 (Date.parse)
 * parseTimestamp('not a date'); // NaN
 */
export function parseTimestamp(s: string): number {
  const ms = canonicalMs(s);
  return Number.isNaN(ms) ? Date.parse(s) : ms;
}

/** The last string canonicalMs was asked about, and its answer. */
let lastText = '';
let lastMs = Number.NaN;

/**
 * `canonicalUtcMs`, remembering its last answer: schema validation, the reader's ts-order check
 * and the engine each ask about the same `ts` string in turn.
 */
function canonicalMs(s: string): number {
  if (s !== lastText) {
    lastMs = canonicalUtcMs(s);
    lastText = s;
  }
  return lastMs;
}
