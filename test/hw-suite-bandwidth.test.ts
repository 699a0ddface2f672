// The hardware suite's bandwidth part: probe sizes from the cache facts (one in L2, one far past L3), one
// thread and all usable cores; an unavailable probe becomes unknown with its reason, a failing case is kept
// as data beside the finished ones.

import { beforeAll, describe, expect, it } from 'vitest';
import { setQuiet } from '../src/progress.js';
import { captureEnv, runHardwareSuite } from '../src/env/index.js';
import { LARGE_PROBE_BYTES, planBandwidth, type BandwidthProbe } from '../src/env/memory-bandwidth.js';
import { probeBandwidth } from '../src/kernels/bandwidth.js';
import { isUnknown, type EnvBlock } from '../src/results/env.js';

let env: EnvBlock;
beforeAll(async () => {
  setQuiet(true);
  env = await captureEnv({ noiseWindowMs: 20, warn: false, toolVersions: false });
});

const withCaches = (base: EnvBlock, usableCores: number, availableBytes = 16 * 1024 ** 3): EnvBlock => ({
  ...base,
  cpu: {
    ...base.cpu,
    usableCores,
    caches: [
      { level: 2, type: 'unified', sizeBytes: 2 * 1024 ** 2, instances: 4, sharedByCpus: 2, lineBytes: 64 },
      { level: 3, type: 'unified', sizeBytes: 32 * 1024 ** 2, instances: 1, sharedByCpus: 8, lineBytes: 64 },
    ],
  },
  memory: { ...base.memory, availableBytes, cgroupLimitBytes: 'max' },
});

const fakeProbe: BandwidthProbe = ({ n, threads = 1, repeats = 5 }) => {
  const samples = Array.from({ length: repeats }, (_, i) => 10 * threads + i * 0.1);
  return { n, threads, gbPerSec: samples[Math.floor(repeats / 2)]!, samplesGbPerSec: samples };
};

describe('bandwidth plan and suite', () => {
  it('plans one size inside L2 and one far past L3, with 1 thread and all usable cores', () => {
    const { plan, skipped } = planBandwidth(withCaches(env, 4));
    expect(skipped).toEqual([]);
    expect(plan.map((p) => p.threads)).toEqual([1, 1, 4, 4]);
    const [small, large] = plan;
    expect(small!.bytes).toBeLessThanOrEqual(2 * 1024 ** 2);
    expect(large!.bytes).toBeGreaterThanOrEqual(Math.max(LARGE_PROBE_BYTES, 4 * 32 * 1024 ** 2));
    expect(small!.label).toMatch(/L2/);
    expect(large!.label).toMatch(/past L3/);
  });

  it('shrinks the large probe when memory is tight, and skips it (saying why) when too tight', () => {
    const tight = planBandwidth(withCaches(env, 1, 512 * 1024 ** 2));
    expect(tight.plan.find((p) => p.label.startsWith('past'))!.bytes).toBeLessThanOrEqual(128 * 1024 ** 2);
    const tooTight = planBandwidth(withCaches(env, 1, 100 * 1024 ** 2));
    expect(tooTight.plan).toHaveLength(1);
    expect(tooTight.skipped[0]).toMatch(/past-L3 probe skipped/);
  });

  it('records the probe figures with their spread', async () => {
    const data = await runHardwareSuite({ env: withCaches(env, 2), probe: fakeProbe, noiseWindowMs: 20, bandwidthRepeats: 3, largeBytes: 64 * 1024 ** 2 });
    expect(isUnknown(data.bandwidth)).toBe(false);
    if (isUnknown(data.bandwidth)) return;
    expect(data.bandwidth).toHaveLength(4);
    for (const c of data.bandwidth) {
      expect(c.state).toBe('completed');
      if (c.state !== 'completed') continue;
      expect(c.spread.unit).toBe('GB/s');
      expect(c.spread.repeats).toBe(3);
      expect(c.gbPerSec).toBeCloseTo(10 * c.threads + 0.1, 5);
    }
    expect(data.timers.map((t) => t.clock)).toEqual(['process.hrtime.bigint', 'performance.now', 'Date.now']);
    expect(isUnknown(data.frequency) || data.frequency.label === 'measured').toBe(true);
  });

  it('marks the bandwidth unknown with the reason when the probe is unavailable, and flags it', async () => {
    const unavailable: BandwidthProbe = () => ({ available: false, reason: 'native addon not built' });
    const data = await runHardwareSuite({ env: withCaches(env, 2), probe: unavailable, noiseWindowMs: 20 });
    expect(data.bandwidth).toEqual({ unknown: true, reason: 'bandwidth probe unavailable: native addon not built' });
    expect(data.flags.some((f) => f.subject === 'bandwidth' && f.kind === 'unavailable')).toBe(true);
  });

  it('keeps finished cases when one probe throws', async () => {
    let calls = 0;
    const flaky: BandwidthProbe = (o) => {
      calls++;
      if (calls === 2) throw new Error('probe crashed');
      return fakeProbe(o);
    };
    const data = await runHardwareSuite({ env: withCaches(env, 2), probe: flaky, noiseWindowMs: 20, bandwidthRepeats: 3, largeBytes: 64 * 1024 ** 2 });
    if (isUnknown(data.bandwidth)) throw new Error('expected cases');
    expect(data.bandwidth.map((c) => c.state)).toEqual(['completed', 'errored', 'completed', 'completed']);
    expect(data.flags.some((f) => f.kind === 'errored' && f.message === 'probe crashed')).toBe(true);
  });

  it('works with the real probe, whether or not the native addon is built', async () => {
    const data = await runHardwareSuite({ env, probe: probeBandwidth, noiseWindowMs: 20, bandwidthRepeats: 2, largeBytes: 32 * 1024 ** 2, threads: [1] });
    if (isUnknown(data.bandwidth)) {
      expect(data.bandwidth.reason).toMatch(/unavailable/);
    } else {
      for (const c of data.bandwidth) {
        expect(c.state).toBe('completed');
        if (c.state === 'completed') expect(c.gbPerSec).toBeGreaterThan(0);
      }
    }
  });

  it('can skip the bandwidth probe', async () => {
    const data = await runHardwareSuite({ env, bandwidth: false, noiseWindowMs: 20 });
    expect(isUnknown(data.bandwidth) && data.bandwidth.reason).toMatch(/turned off/);
  });
});
