import { describe, expect, it } from 'vitest';
import { factsOf, scoreAccount } from './account-score.js';
import { reasonsOf } from './evidence.js';
import type { ProfileSnapshot } from './profile.js';

function profile(over: Partial<ProfileSnapshot>): ProfileSnapshot {
  return {
    events: 200,
    firstTs: Date.parse('2026-01-02T00:00:00Z'),
    lastTs: Date.parse('2026-01-04T00:00:00Z'),
    gapCv: 1.5,
    gapMeanSec: 800,
    activeHours: 10,
    activeDays: 2,
    singleTurn: 200,
    buildsOnAnswer: 0,
    multiTurn: 0,
    cotHits: 0,
    rubricHits: 0,
    datasetHits: 0,
    meanHunger: 0.3,
    toolUse: 0,
    newModelHits: 0,
    hostingHits: 0,
    residentialHits: 200,
    subnetChanges: 0,
    meanPromptChars: 300,
    templateHits: 0,
    freshToolCalls: 0,
    topSkeletonCount: 1,
    runnerUpSkeletonCount: 0,
    runnerUpSkeleton: 0,
    topSkeleton: 1,
    distinctPrompts: 200,
    capabilities: { coding: 50, math: 50, agentic: 0, security: 0, writing: 50, chat: 50, other: 0 },
    ...over,
  };
}

const fresh = factsOf({ account_id: 'a', created_at: '2026-01-01T12:00:00Z', signup_channel: 'self-serve' });

describe('scoreAccount', () => {
  it('scores extraction-shaped traffic above ordinary traffic, with reasons that carry numbers', () => {
    const plain = scoreAccount(profile({}), fresh);
    const distiller = scoreAccount(profile({ cotHits: 180, rubricHits: 60, datasetHits: 190 }), fresh);
    expect(distiller.score).toBeGreaterThan(plain.score);
    expect(reasonsOf(distiller.evidence)[0]).toMatch(
      /^90% of 200 prompts ask for the full reasoning trace \(\+\d\.\d\)$/,
    );
  });

  it('lets verification, organisation and a vetted channel pull a score down', () => {
    const shape = profile({ cotHits: 180, datasetHits: 190 });
    const vouched = factsOf({
      account_id: 'b',
      created_at: '2024-01-01T00:00:00Z',
      verified: true,
      org_id: 'org_1',
      signup_channel: 'research-program',
    });
    expect(scoreAccount(shape, vouched).logit).toBeLessThan(scoreAccount(shape, fresh).logit - 4);
  });

  it('treats re-sent prompts and conversational continuity as benign', () => {
    const base = profile({ datasetHits: 190, cotHits: 100 });
    expect(
      scoreAccount(profile({ datasetHits: 190, cotHits: 100, distinctPrompts: 60 }), fresh).logit,
    ).toBeLessThan(scoreAccount(base, fresh).logit);
    expect(
      scoreAccount(profile({ cotHits: 100, buildsOnAnswer: 120, multiTurn: 150 }), fresh).logit,
    ).toBeLessThan(scoreAccount(profile({ cotHits: 100 }), fresh).logit);
  });

  it('keeps an evaluation-harness-shaped account (step-by-step benchmark, around the clock) below throttle', () => {
    const harness = profile({
      events: 3000,
      cotHits: 2900,
      datasetHits: 3000,
      singleTurn: 3000,
      activeHours: 24,
      activeDays: 5,
      gapCv: 0.2,
      hostingHits: 3000,
      distinctPrompts: 1400,
      capabilities: { coding: 0, math: 3000, agentic: 0, security: 0, writing: 0, chat: 0, other: 0 },
    });
    // Collateral counts throttle (0.985 in the default policy): alone, such an account may be
    // flagged for review but not slowed down, even unverified.
    expect(scoreAccount(harness, fresh).score).toBeLessThan(0.985);
  });
});
