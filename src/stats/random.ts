// Seeded pseudo-random numbers: every random choice servebench makes (inputs, waits, arrivals) is reproducible.

/** A seeded generator of uniform numbers in [0, 1) (mulberry32: small, fast, good enough for benchmarks). */
export type Rng = () => number;

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in [min, max). */
export function uniform(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng();
}

/** Exponentially distributed with the given mean (inter-arrival times of a Poisson process). */
export function exponential(rng: Rng, mean: number): number {
  // 1 - u is in (0, 1], so the log is finite.
  return -mean * Math.log(1 - rng());
}

/** A Float64Array of n values uniform in [min, max), from a seed. */
export function randomVector(n: number, seed: number, min = -1, max = 1): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = min + (max - min) * rng();
  return out;
}
