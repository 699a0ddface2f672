// Every kernel (JS and native) agrees with the compensated-summation reference within the documented
// tolerance, on random, constant, huge-magnitude and cancelling inputs, at sizes around every block and
// alignment boundary of the vector code.

import { describe, expect, it } from 'vitest';
import { agreesWithReference, kernels, native, nativeAsync, parityTolerance, referenceMean, type Kernel } from '../src/kernels/index.js';
import { createRng, randomVector } from '../src/stats/index.js';

async function run(kernel: Kernel, values: Float64Array): Promise<number> {
  const arg = kernel.prepare(values);
  return kernel.mode === 'sync' ? kernel.mean(arg) : await kernel.mean(arg);
}

function inputs(n: number): Record<string, Float64Array> {
  const rng = createRng(n + 17);
  const cancelling = new Float64Array(n);
  // Large values that cancel in pairs, with small ones between: the mean is tiny, the terms are not.
  for (let i = 0; i < n; i++) cancelling[i] = i % 3 === 2 ? rng() : (i % 3 === 0 ? 1 : -1) * 1e16 * (1 + Math.floor(i / 3));
  return {
    random: randomVector(n, n + 1),
    constant: new Float64Array(n).fill(0.1),
    huge: randomVector(n, n + 2, -1e300, 1e300),
    tiny: randomVector(n, n + 3, -1e-300, 1e-300),
    cancelling,
  };
}

const available = kernels.filter((k) => k.availability().available);

describe('kernel parity with the reference mean', () => {
  it('has the native kernels available on this machine (npm install built the addon)', () => {
    expect(native.availability()).toEqual({ available: true });
  });

  const sizes = [1, 2, 7, 15, 16, 17, 63, 64, 65, 127, 1000, 4099, 65_537, 300_001];
  for (const n of sizes) {
    it(`agrees at n = ${n}`, async () => {
      for (const [label, values] of Object.entries(inputs(n))) {
        const reference = referenceMean(values);
        const tolerance = parityTolerance(values);
        for (const kernel of available) {
          const got = await run(kernel, values);
          expect(agreesWithReference(got, reference, tolerance), `${kernel.name} on ${label}: ${got} vs ${reference} (tol ${tolerance})`).toBe(true);
        }
      }
    });
  }

  it('agrees on every start offset into a shared buffer (unaligned views)', async () => {
    const buffer = randomVector(5000, 9);
    for (let offset = 0; offset < 9; offset++) {
      const view = buffer.subarray(offset, offset + 4000 + offset);
      const reference = referenceMean(view);
      for (const kernel of available) {
        expect(agreesWithReference(await run(kernel, view), reference, parityTolerance(view)), `${kernel.name} at offset ${offset}`).toBe(true);
      }
    }
  });

  it('native-async resolves with exactly the value native returns (large input, off the event loop)', async () => {
    const values = randomVector(2_000_000, 5);
    const sync = native.mean(values);
    expect(await nativeAsync.mean(values)).toBe(sync);
  });

  it('keeps the reference exact where a plain loop is not', () => {
    // 1 + 1e16 - 1e16 = 0 in a plain left-to-right sum; the compensated sum gets 1.
    expect(referenceMean(new Float64Array([1, 1e16, -1e16]))).toBeCloseTo(1 / 3, 15);
  });
});
