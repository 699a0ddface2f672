// runKernelsSuite starts fresh processes through the supervisor, rotates the kernel order from process
// to process, measures every kernel in each, and returns plain data with figures for every (kernel, n).

import { describe, expect, it } from 'vitest';
import { runKernelsSuite } from '../src/kernels/suite.js';
import { Supervisor } from '../src/processes/index.js';
import { setQuiet } from '../src/progress.js';

describe('the kernels suite', () => {
  it('measures every kernel at every n in several interleaved processes', async () => {
    setQuiet(true);
    const supervisor = new Supervisor();
    const data = await runKernelsSuite({ sizes: [2000], smallSizes: [1], processes: 2, timePerKernelMs: 15 }, { supervisor });
    setQuiet(false);
    expect(supervisor.list()).toEqual([]);
    expect(data.processes).toHaveLength(4);
    expect(data.processes.every((p) => p.state === 'completed' && p.pid !== null)).toBe(true);
    // the order rotates: no kernel goes first in every process of one n
    const firsts = data.processes.filter((p) => p.n === 2000).map((p) => p.order[0]);
    expect(new Set(firsts).size).toBe(2);

    expect(data.entries).toHaveLength(10);
    for (const e of data.entries) {
      expect(e.state, `${e.kernel}@${e.n}`).toBe('completed');
      if (e.state !== 'completed') continue;
      expect(e.nsPerCall).toBeGreaterThan(0);
      expect(e.minNsPerCall).toBeLessThanOrEqual(e.nsPerCall);
      expect(e.gbPerSec).toBeCloseTo((8 * e.n) / e.nsPerCall, 10);
      expect(e.perProcess).toHaveLength(2);
      expect(e.samples).toBeGreaterThan(0);
      // the roofline is probed from n = 1000 up
      if (e.n >= 1000) expect(e.bandwidthFraction).toBeGreaterThan(0);
      else expect(e.bandwidthFraction).toBeNull();
    }
    // the vectorized native kernel beats the naive loop by a wide margin at n = 2000 (relation, not time)
    const at = (k: string) => data.entries.find((e) => e.kernel === k && e.n === 2000);
    const naive = at('naive');
    const native = at('native');
    if (naive?.state === 'completed' && native?.state === 'completed') expect(native.nsPerCall).toBeLessThan(naive.nsPerCall);
    expect(data.callOverhead.nativeNsPerCall).toBeGreaterThan(0);
    expect(data.probes.some((p) => p.state === 'completed')).toBe(true);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });
});
