import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleAppLoader } from './app-asset.js';
import { buildConsoleApp } from './build-app.js';

describe('buildConsoleApp', () => {
  it('bundles the app into one self-contained module that the loader serves', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dg-app-')), 'app.js');
    const bytes = await buildConsoleApp(out);
    const js = readFileSync(out, 'utf8');
    expect(bytes).toBe(Buffer.byteLength(js));
    // No imports left for the browser to fetch, and no network addresses.
    expect(js).not.toMatch(/\bimport\s*[("'{*]/);
    expect(js).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(await consoleAppLoader(out)()).toBe(js);
    expect(await consoleAppLoader(join(tmpdir(), 'missing-dg-app.js'))()).toBeUndefined();
  });
});
