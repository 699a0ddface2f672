// The seeded loader: entity `e<i>` (i in 0..N-1) has a fixed vector of features drawn from the seed, so
// every store (each process's embedded copy, or Redis) holds exactly the same data.

import { createRng } from '../../stats/random.js';

/** The name of entity i. */
export function entityId(i: number): string {
  return `e${i}`;
}

/** The features of entity i: `featureCount` values in [-1, 1), rounded to 6 digits (they travel as JSON). */
export function entityFeatures(seed: number, i: number, featureCount: number): number[] {
  // A separate stream per entity, so an entity's features do not depend on how many were loaded before it.
  const rng = createRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0);
  const out = new Array<number>(featureCount);
  for (let k = 0; k < featureCount; k++) out[k] = Math.round((rng() * 2 - 1) * 1e6) / 1e6;
  return out;
}

/** The Redis key of an entity's features. */
export function redisKey(prefix: string, entity: string): string {
  return `${prefix}${entity}`;
}
