// The native kernels are correct on a CPU without AVX2 or AVX-512: SERVEBENCH_NATIVE_ISA=baseline (and
// avx2) force the narrower code paths in a child process, which must agree with the reference mean.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';

const script = `
import { loadNative, referenceMean, parityTolerance, agreesWithReference } from ${JSON.stringify(join(packageRoot, 'dist/src/kernels/index.js'))};
import { randomVector } from ${JSON.stringify(join(packageRoot, 'dist/src/stats/index.js'))};
const load = loadNative();
const out = { isa: load.status.available ? load.status.build.kernelIsa : null, ok: true, probeIsa: null };
const buffer = randomVector(300_000, 11, -1e6, 1e6);
for (const n of [0, 1, 5, 31, 64, 1000, 4101, 300_000 - 9]) {
  for (let offset = 0; offset < 9; offset++) {
    const v = buffer.subarray(offset, offset + n);
    const ref = referenceMean(v);
    const tol = parityTolerance(v);
    for (const got of [load.binding.mean(v), load.binding.meanParallel(v), await load.binding.meanAsync(v)]) {
      if (!agreesWithReference(got, ref, tol)) { out.ok = false; out.bad = { n, offset, got, ref }; }
    }
  }
}
out.probeIsa = load.binding.bandwidthProbe(10_000, 1, 1).isa;
console.log(JSON.stringify(out));
`;

async function runWith(isa: string): Promise<{ isa: string | null; ok: boolean; probeIsa: string; bad?: unknown }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, SERVEBENCH_NATIVE_ISA: isa },
  });
  return JSON.parse(stdout) as { isa: string | null; ok: boolean; probeIsa: string };
}

describe('narrower code paths', () => {
  it('baseline (SSE2 on x86_64) agrees with the reference', async () => {
    const r = await runWith('baseline');
    expect(r).toMatchObject({ isa: 'baseline', ok: true, probeIsa: 'baseline' });
  });

  it('avx2 (or the best below it) agrees with the reference', async () => {
    const r = await runWith('avx2');
    expect(['avx2', 'baseline']).toContain(r.isa);
    expect(r.ok, JSON.stringify(r.bad)).toBe(true);
  });
});
