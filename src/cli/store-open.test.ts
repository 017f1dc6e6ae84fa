import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { openPostgresForCli, openSqliteForCli } from './store-open.js';

describe('opening the store from the CLI', () => {
  it('names the flag when SQLite cannot open the file', () => {
    const dir = mkdtempSync(`${tmpdir()}/dg-store-open-`);
    expect(() => openSqliteForCli(dir, '--store')).toThrow(UsageError);
    expect(() => openSqliteForCli(dir, '--store')).toThrow(
      new RegExp(`^--store: cannot open database ${dir}: `),
    );
  });

  it('turns an unreachable PostgreSQL server into a usage error with exit code 1', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const error = await openPostgresForCli('postgres://postgres@127.0.0.1:1/test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(1);
    expect((error as UsageError).message).toMatch(/^--store: /);
  }, 30_000);
});
