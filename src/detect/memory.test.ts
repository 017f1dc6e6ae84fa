/**
 * Memory budget of the engine: one million active accounts, each with an account record and
 * traffic, must cost at most BUDGET_BYTES of heap per account (profile slabs, registry, keys).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { createDetector } from './detector.js';
import type { ExchangeFeatures } from './features/types.js';

/** The stated budget: 2 KB per tracked account. */
const BUDGET_BYTES = 2048;
const ACCOUNTS = 1_000_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers; // typed-array slabs live outside the JS heap
}

describe('detector memory', () => {
  it(`stays under ${BUDGET_BYTES} bytes per tracked account at ${ACCOUNTS.toLocaleString('en')} accounts`, () => {
    const features: ExchangeFeatures = {
      promptChars: 900,
      skeleton: 1,
      simhashHi: 0,
      simhashLo: 0,
      capability: 'chat',
      cotElicitation: 0,
      rubricGrading: 0,
      datasetStyle: 0,
      userTurns: 2,
      buildsOnAnswer: true,
      outputHunger: 0.1,
      toolCount: 0,
      asnKind: 'residential',
      uaFamily: 'chrome',
      subnet: '203.0.113.0/24',
    };
    const event: ExchangeEvent = {
      id: 'e',
      ts: '2026-01-01T00:00:00.000Z',
      account_id: '',
      client: { ip: '203.0.113.9', user_agent: 'Mozilla/5.0' },
      api: 'openai.chat',
      model: 'm',
      request: { messages: [] },
    };
    const before = heapAfterGc();
    const detector = createDetector({
      extract: () => {
        features.simhashLo = (features.simhashLo + 1) | 0;
        return features;
      },
    });
    for (let i = 0; i < ACCOUNTS; i++) {
      const id = `acct_${i.toString(36).padStart(8, '0')}`;
      detector.addAccount({
        account_id: id,
        created_at: '2025-06-01T00:00:00.000Z',
        payment_fingerprint: `pf_${i.toString(16)}`,
        email_domain: 'example.com',
      });
      event.id = `e${i}`;
      event.account_id = id;
      detector.process(event);
    }
    const perAccount = (heapAfterGc() - before) / ACCOUNTS;
    expect(detector.campaigns()).toEqual([]);
    console.log(`detector heap per tracked account: ${perAccount.toFixed(0)} bytes (budget ${BUDGET_BYTES})`);
    expect(perAccount).toBeLessThan(BUDGET_BYTES);
  }, 120_000);
});
