import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionFor, defaultPolicy, loadPolicy, PolicyError, parsePolicy } from './policy.js';

describe('policy', () => {
  it('loads the default policy', () => {
    const p = defaultPolicy();
    expect(p.campaign.minAccounts).toBeGreaterThanOrEqual(2);
    expect(p.account.block).toBeGreaterThanOrEqual(p.account.degrade);
  });

  it('names the bad field', () => {
    const bad = structuredClone(defaultPolicy()) as unknown as { account: Record<string, unknown> };
    bad.account.throttle = 'high';
    expect(() => parsePolicy(bad, 'p.json')).toThrow('p.json/account/throttle: must be a number');
  });

  it('rejects thresholds that decrease up the ladder', () => {
    const bad = structuredClone(defaultPolicy());
    bad.campaign.block = 0.1;
    expect(() => parsePolicy(bad, 'p.json')).toThrow(/campaign\/block: must be >=/);
  });

  it('reports unreadable and non-JSON files with the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'p.json');
    writeFileSync(file, '{ nope');
    expect(() => loadPolicy(file)).toThrow(PolicyError);
    expect(() => loadPolicy(file)).toThrow(/p\.json: not valid JSON/);
    expect(() => loadPolicy(join(dir, 'missing.json'))).toThrow(/cannot read policy file \(ENOENT\)/);
  });

  it('maps scores to the highest action reached', () => {
    const t = { monitor: 0.5, throttle: 0.7, degrade: 0.8, block: 0.9 };
    expect(actionFor(0.2, t)).toBeUndefined();
    expect(actionFor(0.75, t)).toBe('throttle');
    expect(actionFor(0.9, t)).toBe('block');
  });
});
