import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../contract/types.js';
import { egressOnly, type JoinCase, joinNeed } from './join-rule.js';
import type { LinkKind } from './linker.js';

const NONE = -1;
const MONITOR = ACTIONS.indexOf('monitor');
const THROTTLE = ACTIONS.indexOf('throttle');

/** A lone suspicious account meeting a member of an established group. */
function loner(kinds: LinkKind[], campaignRank: number, over: Partial<JoinCase> = {}): JoinCase {
  return {
    kinds,
    a: { size: 1, actionRank: NONE },
    b: { size: 40, actionRank: campaignRank },
    minAccounts: 3,
    spreadSignups: false,
    sameSignupWindow: false,
    ...over,
  };
}

/** Two established groups. */
function groups(kinds: LinkKind[], ranks: [number, number], over: Partial<JoinCase> = {}): JoinCase {
  return {
    kinds,
    a: { size: 5, actionRank: ranks[0] },
    b: { size: 40, actionRank: ranks[1] },
    minAccounts: 3,
    spreadSignups: false,
    sameSignupWindow: false,
    ...over,
  };
}

describe('joinNeed', () => {
  it.each<[string, JoinCase, { a: number; b: number } | undefined]>([
    ['tooling without origin never links', loner(['client', 'template'], THROTTLE), undefined],
    [
      'co-activity is no origin against an established group',
      loner(['client', 'coactivity'], THROTTLE),
      undefined,
    ],
    [
      'a corroborated pair needs two members of an established group',
      loner(['template', 'network'], NONE),
      { a: 1, b: 2 },
    ],
    [
      'client + network with a contained campaign: its next account, if it harvests',
      loner(['client', 'network'], THROTTLE, { outsiderHarvests: true }),
      { a: 1, b: 1 },
    ],
    [
      '… never an account that converses behind the same proxy pool',
      loner(['client', 'network'], THROTTLE),
      undefined,
    ],
    [
      '… nor when the only other kind is co-activity',
      loner(['client', 'network', 'coactivity'], THROTTLE, { outsiderHarvests: false }),
      undefined,
    ],
    [
      'a template with the network is more than a pool: no harvest shape needed',
      loner(['client', 'template', 'network'], THROTTLE),
      { a: 1, b: 1 },
    ],
    [
      'client + network with a group not acted on: two members',
      loner(['client', 'network'], MONITOR, { outsiderHarvests: true }),
      { a: 1, b: 2 },
    ],
    ['three kinds of key: one member', loner(['client', 'template', 'signup'], NONE), { a: 1, b: 1 }],
    ['co-activity is not a third kind', loner(['template', 'network', 'coactivity'], NONE), { a: 1, b: 2 }],
    [
      'a sign-up window is nothing against a campaign that signs up around the calendar',
      loner(['client', 'signup'], THROTTLE, { spreadSignups: true }),
      undefined,
    ],
    [
      '… nor a third kind with a template both operations draw on',
      loner(['client', 'template', 'signup'], THROTTLE, { spreadSignups: true }),
      undefined,
    ],
    [
      'client stack and adjacent sign-up windows with a campaign: chance',
      loner(['client', 'signup'], THROTTLE),
      undefined,
    ],
    [
      'client stack and the same sign-up window: two members',
      loner(['client', 'signup'], THROTTLE, { sameSignupWindow: true }),
      { a: 1, b: 2 },
    ],
    [
      'two established groups: two accounts on each side',
      groups(['template', 'network'], [NONE, THROTTLE]),
      { a: 2, b: 2 },
    ],
    [
      'a group at monitor meeting a contained campaign: one on each side',
      groups(['template', 'network'], [MONITOR, THROTTLE]),
      { a: 1, b: 1 },
    ],
    [
      'client stack and adjacent sign-up windows between two groups: chance',
      groups(['client', 'signup'], [MONITOR, THROTTLE]),
      undefined,
    ],
    [
      '… the same sign-up window still counts',
      groups(['client', 'signup'], [NONE, NONE], { sameSignupWindow: true }),
      { a: 2, b: 2 },
    ],
  ])('%s', (_, c, expected) => {
    const need = joinNeed(c);
    expect(need === undefined ? undefined : { a: need.a, b: need.b }).toEqual(expected);
  });

  it('credits the kinds that counted: no sign-up window against a calendar-wide campaign', () => {
    const spread = { spreadSignups: true, outsiderHarvests: true };
    expect(joinNeed(loner(['client', 'network', 'signup'], THROTTLE, spread))?.kinds).toEqual([
      'client',
      'network',
    ]);
    // Left with the pool's keys only, the pair needs a harvest-shaped outsider.
    expect(
      joinNeed(loner(['client', 'network', 'signup'], THROTTLE, { spreadSignups: true })),
    ).toBeUndefined();
    expect(joinNeed(loner(['client', 'network', 'signup'], THROTTLE))?.kinds).toEqual([
      'client',
      'network',
      'signup',
    ]);
  });
});

describe('egressOnly', () => {
  it('is a client stack and a subnet and nothing more (co-activity aside)', () => {
    expect(egressOnly(['client', 'network'])).toBe(true);
    expect(egressOnly(['client', 'network', 'coactivity'])).toBe(true);
    expect(egressOnly(['client', 'template', 'network'])).toBe(false);
    expect(egressOnly(['client', 'signup'])).toBe(false);
    expect(egressOnly(['template', 'network'])).toBe(false);
  });
});
