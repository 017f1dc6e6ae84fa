import { describe, expect, it } from 'vitest';
import { createSessionStore, csrfMatches, readCookie, sessionCookie } from './session.js';

describe('createSessionStore', () => {
  it('creates distinct sessions and expires them', () => {
    let t = 1000;
    const store = createSessionStore({ ttlMs: 100, now: () => t });
    const a = store.create();
    const b = store.create();
    expect(a.id).not.toBe(b.id);
    expect(a.csrf).not.toBe(a.id);
    expect(store.get(a.id)).toBe(a);
    t = 1100;
    expect(store.get(a.id)).toBeUndefined();
    expect(store.get(undefined)).toBeUndefined();
  });
  it('forgets deleted sessions', () => {
    const store = createSessionStore();
    const s = store.create();
    store.delete(s.id);
    expect(store.get(s.id)).toBeUndefined();
  });
});

describe('cookies and CSRF', () => {
  it('reads a named cookie among others', () => {
    expect(readCookie('a=1; dg_console=xyz ; b=2', 'dg_console')).toBe('xyz');
    expect(readCookie('a=1', 'dg_console')).toBeUndefined();
    expect(readCookie(undefined, 'dg_console')).toBeUndefined();
  });
  it('marks the cookie HttpOnly and SameSite=Strict, Secure only over TLS', () => {
    expect(sessionCookie('id', false, 60)).toBe(
      'dg_console=id; Path=/console; HttpOnly; SameSite=Strict; Max-Age=60',
    );
    expect(sessionCookie('id', true, 60)).toMatch(/; Secure$/);
  });
  it('accepts only the exact CSRF token', () => {
    expect(csrfMatches('abc', 'abc')).toBe(true);
    expect(csrfMatches('abd', 'abc')).toBe(false);
    expect(csrfMatches('ab', 'abc')).toBe(false);
    expect(csrfMatches(undefined, 'abc')).toBe(false);
    expect(csrfMatches(['abc'], 'abc')).toBe(false);
  });
});
