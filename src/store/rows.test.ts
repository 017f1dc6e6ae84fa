import { describe, expect, it } from 'vitest';
import { toAccount, toEnforcement } from './rows.js';

describe('row mapping', () => {
  it('reads booleans as SQLite (1/0) and PostgreSQL (true/false) return them', () => {
    const account = {
      id: 'a1',
      org_id: null,
      created_at: '2026-01-01T00:00:00Z',
      signup_channel: 'self-serve',
      payment_fingerprint: null,
      email_domain: null,
      signup_ip: null,
      limits: '{}',
    };
    expect(toAccount({ ...account, verified: 1 }).verified).toBe(true);
    expect(toAccount({ ...account, verified: true }).verified).toBe(true);
    expect(toAccount({ ...account, verified: 0 }).verified).toBe(false);
    expect(toAccount({ ...account, verified: false }).verified).toBe(false);
    const entry = toEnforcement({
      account_id: 'a1',
      action: 'block',
      reasons: '["r"]',
      case_ref: 'c1',
      campaign_id: null,
      allowlisted: 0,
      source: 'detector',
      updated_at: '2026-01-01T00:00:00Z',
    });
    expect(entry).toMatchObject({ action: 'block', reasons: ['r'], allowlisted: false, campaign_id: null });
  });
});
