import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const local = join(here, 'schemas');
// The repository sits beside ../shared in development and CI.
const shared = join(here, '..', '..', '..', 'shared', 'contract');
const sharedPresent = existsSync(shared);

if (!sharedPresent) {
  process.stderr.write(`schemas.test: ${shared} is absent, so the drift check against it is skipped\n`);
}

describe.skipIf(!sharedPresent)('contract schemas', () => {
  it('has exactly the schema files of ../shared/contract', () => {
    const names = (dir: string) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort();
    expect(names(local)).toEqual(names(shared));
  });

  it.each(sharedPresent ? readdirSync(shared).filter((f) => f.endsWith('.json')) : [])(
    '%s is a byte-for-byte copy of ../shared/contract',
    (file) => {
      expect(readFileSync(join(local, file), 'utf8')).toBe(readFileSync(join(shared, file), 'utf8'));
    },
  );
});
