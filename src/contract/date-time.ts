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
  return isCanonicalUtc(s) || fullDateTime(s);
}
