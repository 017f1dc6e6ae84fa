/**
 * The catalogue of what a run can contain: benign personas with their share of benign accounts,
 * and attack campaigns by name. Sizes at scale 1.0 follow the public record (hydra's 25,000
 * accounts and 28.8M exchanges; benign accounts far more numerous).
 */
import { adaptive } from './campaigns/adaptive.js';
import { deepseek } from './campaigns/deepseek.js';
import { hydra } from './campaigns/hydra.js';
import { lowAndSlow } from './campaigns/low-and-slow.js';
import { minimax } from './campaigns/minimax.js';
import { moonshot } from './campaigns/moonshot.js';
import { agentBuilder } from './personas/agent-builder.js';
import { casualChat } from './personas/casual-chat.js';
import { enterpriseApp } from './personas/enterprise-app.js';
import { evalHarness } from './personas/eval-harness.js';
import { powerDeveloper } from './personas/power-developer.js';
import { resellerCustomer } from './personas/reseller-customer.js';
import { sharedNat } from './personas/shared-nat.js';
import type { Rng } from './rng.js';
import { type Population, scaled, type World } from './world.js';

/** Benign accounts at scale 1.0 (a large API's active customer base over the window). */
export const BENIGN_ACCOUNTS_AT_SCALE_ONE = 1_000_000;

type PersonaFn = (world: World, rng: Rng, count: number) => Population;

/** Benign personas: generator, share of benign accounts, floor at small scales. */
export const PERSONAS: ReadonlyArray<{ name: string; make: PersonaFn; share: number; floor: number }> = [
  { name: 'casual-chat', make: casualChat, share: 0.52, floor: 20 },
  { name: 'power-developer', make: powerDeveloper, share: 0.15, floor: 10 },
  { name: 'enterprise-app', make: enterpriseApp, share: 0.003, floor: 6 },
  { name: 'eval-harness', make: evalHarness, share: 0.006, floor: 6 },
  { name: 'agent-builder', make: agentBuilder, share: 0.08, floor: 10 },
  { name: 'shared-nat', make: sharedNat, share: 0.12, floor: 30 },
  { name: 'reseller-customer', make: resellerCustomer, share: 0.08, floor: 10 },
];

/** Attack campaigns by name, in the order they are generated. */
export const CAMPAIGNS: Readonly<Record<string, (world: World, rng: Rng) => Population>> = {
  deepseek,
  moonshot,
  minimax,
  hydra,
  'low-and-slow': lowAndSlow,
  adaptive,
};

export const CAMPAIGN_NAMES: readonly string[] = Object.keys(CAMPAIGNS);

/**
 * Every benign persona at the world's scale.
 *
 * @example
 * const pops = benignPopulations(world, rng); // seven populations
 */
export function benignPopulations(world: World, rng: Rng): Population[] {
  return PERSONAS.map((p) =>
    p.make(world, rng.fork(p.name), scaled(world, BENIGN_ACCOUNTS_AT_SCALE_ONE * p.share, p.floor)),
  );
}

/**
 * The named campaigns at the world's scale (names must be in CAMPAIGN_NAMES).
 *
 * @example
 * campaignPopulations(world, rng, ['hydra', 'adaptive']).map((p) => p.name); // ['hydra', 'adaptive']
 */
export function campaignPopulations(world: World, rng: Rng, names: readonly string[]): Population[] {
  return names.map((name) => {
    const make = CAMPAIGNS[name];
    if (make === undefined) throw new Error(`unknown campaign ${name}`);
    return make(world, rng.fork(name));
  });
}
