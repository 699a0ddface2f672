// n = 0, NaN and Infinity give the documented results in every kernel (docs/kernels.md), never a crash;
// for the native kernels also on inputs long enough to take the vector and parallel paths.

import { describe, expect, it } from 'vitest';
import { kernels, referenceMean, type Kernel } from '../src/kernels/index.js';

const available = kernels.filter((k) => k.availability().available);

async function run(kernel: Kernel, values: Float64Array): Promise<number> {
  const arg = kernel.prepare(values);
  return kernel.mode === 'sync' ? kernel.mean(arg) : await kernel.mean(arg);
}

function withValues(n: number, at: Record<number, number>): Float64Array {
  const v = new Float64Array(n).fill(0.5);
  for (const [i, x] of Object.entries(at)) v[Number(i)] = x;
  return v;
}

describe('edge inputs', () => {
  it('n = 0 gives NaN', async () => {
    expect(referenceMean(new Float64Array(0))).toBeNaN();
    for (const k of available) expect(await run(k, new Float64Array(0)), k.name).toBeNaN();
  });

  for (const n of [1, 33, 1000, 200_000]) {
    it(`n = ${n}: NaN anywhere gives NaN; one infinity gives it; both give NaN`, async () => {
      const last = n - 1;
      const cases: [string, Float64Array, number][] = [
        ['NaN', withValues(n, { [last]: Number.NaN }), Number.NaN],
        ['+Infinity', withValues(n, { [Math.floor(n / 2)]: Number.POSITIVE_INFINITY }), Number.POSITIVE_INFINITY],
        ['-Infinity', withValues(n, { 0: Number.NEGATIVE_INFINITY }), Number.NEGATIVE_INFINITY],
      ];
      if (n > 1) cases.push(['+Infinity and -Infinity', withValues(n, { 0: Number.POSITIVE_INFINITY, [last]: Number.NEGATIVE_INFINITY }), Number.NaN]);
      for (const [label, values, expected] of cases) {
        expect(referenceMean(values), `reference on ${label}`).toBe(expected);
        for (const k of available) expect(await run(k, values), `${k.name} on ${label}`).toBe(expected);
      }
    });
  }
});
