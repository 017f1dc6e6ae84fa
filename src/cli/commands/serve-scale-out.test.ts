import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../main.js';

describe('distillguard serve --store / --redis', () => {
  let err: string[];
  beforeEach(() => {
    err = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    vi.stubEnv('DG_SERVER_SECRET', '');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });
  const run = (...args: string[]) =>
    main(['node', 'distillguard', 'serve', '--mock-upstream', '--port', '0', ...args]);

  it('rejects a --redis that is not a redis URL', async () => {
    expect(await run('--redis', 'localhost:6379')).toBe(2);
    expect(err.join('')).toContain('--redis must be a redis:// or rediss:// URL (got "localhost:6379")');
  });

  it('rejects an unusable --redis-prefix', async () => {
    expect(await run('--redis', 'redis://127.0.0.1:6379', '--redis-prefix', 'a b')).toBe(2);
    expect(err.join('')).toContain('--redis-prefix must be');
  });

  it('needs a shared DG_SERVER_SECRET with a PostgreSQL store', async () => {
    expect(await run('--store', 'postgres://postgres@127.0.0.1:5432/test')).toBe(1);
    expect(err.join('')).toContain('a PostgreSQL store is shared by every replica: set DG_SERVER_SECRET');
  });

  it('says which PostgreSQL server it cannot reach', async () => {
    vi.stubEnv('DG_SERVER_SECRET', 'ef'.repeat(32));
    expect(await run('--store', 'postgres://postgres@127.0.0.1:1/test')).toBe(1);
    expect(err.join('')).toMatch(/PostgreSQL at 127\.0\.0\.1:1\/test is unavailable/);
    expect(err.join('')).not.toMatch(/\n\s+at /);
  });
});
