import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveServerSecret } from './server-secret.js';

describe('server secret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dg-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers DG_SERVER_SECRET', () => {
    const s = resolveServerSecret({ dbPath: join(dir, 'db'), env: { DG_SERVER_SECRET: 'e'.repeat(40) } });
    expect(s.toString()).toBe('e'.repeat(40));
  });

  it('creates a private file beside the database once and reuses it', () => {
    const dbPath = join(dir, 'db');
    const a = resolveServerSecret({ dbPath, env: {} });
    const b = resolveServerSecret({ dbPath, env: {} });
    expect(a.equals(b)).toBe(true);
    expect(statSync(`${dbPath}.secret`).mode & 0o777).toBe(0o600);
  });

  it('explains a short or missing secret', () => {
    expect(() => resolveServerSecret({ dbPath: 'x', env: { DG_SERVER_SECRET: 'short' } })).toThrow(
      /DG_SERVER_SECRET: server secret must be at least 32 characters, got 5/,
    );
    const file = join(dir, 'weak');
    writeFileSync(file, 'abc');
    expect(() => resolveServerSecret({ dbPath: 'x', secretFile: file, env: {} })).toThrow(
      /weak: server secret/,
    );
    expect(() => resolveServerSecret({ dbPath: 'x', secretFile: join(dir, 'none'), env: {} })).toThrow(
      /cannot read/,
    );
    expect(() => resolveServerSecret({ dbPath: ':memory:', env: {} })).toThrow(/in-memory database needs/);
  });
});
