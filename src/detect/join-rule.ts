/**
 * When a corroborated pair of accounts in two different groups may merge the groups: the rules
 * that keep one operation's accounts together and two operations apart, as a pure function of
 * what the pair shares and what the two groups are. The detector (detector.ts `corroborate`)
 * counts the distinct accounts seen corroborating on each side and links once both counts reach
 * what this asks. Each rule names the run that showed it was needed.
 */
import { ACTIONS } from '../contract/types.js';
import { corroboratingKinds, type LinkKind } from './linker.js';

const THROTTLE_RANK = ACTIONS.indexOf('throttle');
const MONITOR_RANK = ACTIONS.indexOf('monitor');

/** One of the two groups a pair's accounts are in. */
export interface JoinSide {
  /** Accounts in the group (1 for an account in no group yet). */
  size: number;
  /** Rank of the group's action in ACTIONS (-1: none yet). */
  actionRank: number;
}

/** A corroborated pair whose accounts are in different groups, at least one of them established. */
export interface JoinCase {
  /** Every kind of key the pair has been seen sharing. */
  kinds: readonly LinkKind[];
  a: JoinSide;
  b: JoinSide;
  /** Size from which a group is established (the policy's `campaign.minAccounts`). */
  minAccounts: number;
  /** An established side signs its members up around the calendar (many sign-up windows). */
  spreadSignups: boolean;
  /** The pair's two accounts signed up in the same window (not merely adjacent ones). */
  sameSignupWindow: boolean;
  /**
   * The pair's account on the side that is not established sends harvest-shaped traffic
   * (single-turn, dataset-style, never building on an answer); unknown counts as not. Read only
   * for an `egressOnly` pair.
   */
  outsiderHarvests?: boolean;
}

/** How many distinct accounts must corroborate on each side, and the kinds the link credits. */
export interface JoinNeed {
  a: number;
  b: number;
  kinds: LinkKind[];
}

/**
 * Whether a pair shares only what a proxy pool's customers share: a client stack and a /24 (and
 * perhaps the hours they are active). A pool's exits carry its other customers too ("hydra
 * clusters" mix both), and a person behind one who asks for worked reasoning is as suspicious on
 * content as a harvester, so such a pair links only accounts whose own traffic is harvest-shaped
 * (measured: reseller customers asking "step by step" in every turn grouped among themselves on
 * the pool's subnets and their common SDK, then merged with hydra's campaign — 107 of 400 blocked
 * on seed 1).
 *
 * @example
 * egressOnly(['client', 'network']); // true
 * egressOnly(['client', 'template', 'network']); // false: a shared template is more than a pool
 */
export function egressOnly(kinds: readonly LinkKind[]): boolean {
  // A loop, not filter + includes: the linker asks this for every corroborated pair.
  let client = false;
  let network = false;
  for (const kind of kinds) {
    if (kind === 'client') client = true;
    else if (kind === 'network') network = true;
    else if (kind !== 'coactivity') return false;
  }
  return client && network;
}

/**
 * What a cross-group pair needs before it links, or undefined when it never may.
 *
 * @example
 * joinNeed({
 *   kinds: ['client', 'network'],
 *   a: { size: 1, actionRank: -1 },
 *   b: { size: 40, actionRank: 3 },
 *   minAccounts: 3, spreadSignups: false, sameSignupWindow: false,
 * }); // { a: 1, b: 1, kinds: ['client', 'network'] }: a contained campaign's next account
 */
export function joinNeed(c: JoinCase): JoinNeed | undefined {
  const bigA = c.a.size >= c.minAccounts;
  const bigB = c.b.size >= c.minAccounts;
  // A campaign that signs accounts up around the calendar shares a sign-up window with any
  // outsider provisioned on a busy day: against it, a sign-up window is chance, not origin, and
  // not a third kind of key either (measured: a small fleet of its own joined a 90-account
  // campaign on sign-up time and SDK, seed 8; a minimax account joined hydra's on its SDK, one
  // of the tool-call templates both draw on and a sign-up window, seed 8 with 8 template slots).
  const kinds = c.spreadSignups ? c.kinds.filter((k) => k !== 'signup') : [...c.kinds];
  // Co-activity builds new groups but never brings anyone into an established one: two
  // concurrent round-the-clock fleets coincide hour by hour once both are running, so an
  // outsider on the same SDK or prompt corpus would match a whole fleet (measured: moonshot
  // accounts joined minimax's campaign this way).
  const strong = kinds.filter((k) => k !== 'coactivity');
  if (!corroboratingKinds(strong)) return undefined;
  // Two operations can share a popular client stack and a sign-up evening by chance (two fleets
  // provisioned hours apart through the same HTTP library). Against an established group such a
  // pair — client stack the only tooling, adjacent sign-up windows the only origin — is a
  // coincidence, not a link (measured: between two established groups; and a moonshot account
  // signed up 1.6 h after minimax's last, on the same SDK, joined its campaign through two
  // members and brought two more on its card, seed 16); a shared template, a network or the
  // same sign-up window still counts.
  const clientAndSignupOnly = kinds.length === 2 && kinds.includes('client') && kinds.includes('signup');
  if (clientAndSignupOnly && !c.sameSignupWindow) return undefined;
  if (bigA !== bigB && egressOnly(strong) && c.outsiderHarvests !== true) return undefined;
  // Distinct accounts seen corroborating on each side: two on an established side, so that one
  // coincidence (even one account matching a whole sign-up burst) never fuses two operations.
  let a = bigA ? 2 : 1;
  let b = bigB ? 2 : 1;
  if (bigA && bigB) {
    // A group already judged suspicious on its own (at monitor, not yet contained) that meets a
    // contained campaign on a corroborated pair is most likely more of the same operation (a new
    // card group of the fleet): one account on each side suffices. A group below monitor keeps
    // the two-per-side rule, so one coincidence never folds a benign group into a campaign.
    const lo = Math.min(c.a.actionRank, c.b.actionRank);
    const hi = Math.max(c.a.actionRank, c.b.actionRank);
    if (hi >= THROTTLE_RANK && lo >= MONITOR_RANK && lo < THROTTLE_RANK) return { a: 1, b: 1, kinds };
    return { a, b, kinds };
  }
  // An account suspicious on its own behaviour (only such a small group asks weak keys) that
  // egresses like a member of a campaign already acted on — the same client stack from the
  // same /24, in the same line of work — is the operation's next account: its fleet rotates
  // proxies, so a second such member took a median 11 and up to 177 more requests (hydra's late
  // joiners on their own cards, seed 1), all served. Only on that pair: a client stack and a
  // sign-up window alone put a deepseek account into hydra's campaign (seed 6), and a template,
  // which operations drawing on one tool-prompt corpus share, with a network put two moonshot
  // accounts into minimax's (scale 0.02, seed 3).
  const established = bigA ? c.a : c.b;
  if (established.actionRank >= THROTTLE_RANK && kinds.includes('client') && kinds.includes('network')) {
    return { a: 1, b: 1, kinds };
  }
  // Three kinds of key in common are more than a coincidence: one member on each side suffices
  // (co-activity not counted).
  if (strong.length >= 3) {
    a = 1;
    b = 1;
  }
  return { a, b, kinds };
}
