// GPU facts in the environment block and the hardware report: the controllers systeminformation lists
// (model, driver, memory), "none found" when it lists none, unknown with the reason when it cannot tell.

import { afterAll, describe, expect, it } from 'vitest';
import { captureEnv } from '../src/env/index.js';
import type { HostSources, SystemInfoApi } from '../src/env/sources.js';
import { renderHardwareMarkdown, renderHardwareSummary } from '../src/report/hardware/render.js';
import type { HardwareData } from '../src/results/index.js';
import { fakeHost } from './hw-fixtures.js';

const host = fakeHost({ 'proc/cpuinfo': 'processor\t: 0\nmodel name\t: Test CPU\n\n', 'proc/meminfo': 'MemTotal: 1024 kB\nMemAvailable: 512 kB\n' });
afterAll(() => host.remove());

function withGraphics(controllers: unknown[] | Error): HostSources {
  const graphics = async () => {
    if (controllers instanceof Error) throw controllers;
    return { controllers, displays: [] };
  };
  return { ...host.sources, si: async () => ({ graphics }) as unknown as SystemInfoApi };
}

const data: HardwareData = {
  durationMs: 1,
  frequency: { unknown: true, reason: 'not measured in this test' },
  timers: [],
  bandwidth: { unknown: true, reason: 'not measured in this test' },
  flags: [],
} as unknown as HardwareData;

const report = async (sources: HostSources) => {
  const env = await captureEnv({ sources, warn: false, toolVersions: false, measureFrequency: 'never', noiseWindowMs: 10 });
  const input = { env, data: { ...data, noise: env.noise }, createdAt: new Date().toISOString(), servebench: { version: 'test' } };
  return { env, summary: renderHardwareSummary(input), markdown: renderHardwareMarkdown(input) };
};

describe('GPU facts', () => {
  it('lists a GPU with its model, driver and memory', async () => {
    const r = await report(
      withGraphics([{ vendor: 'NVIDIA', model: 'A100-SXM4-80GB', driverVersion: '535.104.05', memoryTotal: 81920, pciBus: '00000000:07:00.0' }]),
    );
    expect(r.env.gpus).toEqual([
      { vendor: 'NVIDIA', model: 'A100-SXM4-80GB', driver: '535.104.05', memoryBytes: 81920 * 1024 * 1024, bus: '00000000:07:00.0' },
    ]);
    expect(r.summary).toMatch(/^gpu\s+NVIDIA A100-SXM4-80GB \(driver 535\.104\.05\), 80 GiB$/m);
    expect(r.markdown).toContain('A100-SXM4-80GB');
  });

  it('says "none found" when no controller is listed', async () => {
    const r = await report(withGraphics([]));
    expect(r.env.gpus).toEqual([]);
    expect(r.summary).toMatch(/^gpu\s+none found$/m);
    expect(r.markdown).toMatch(/None found: no graphics or compute controller is listed/);
  });

  it('marks the GPUs unknown, with the reason, when the query fails', async () => {
    const r = await report(withGraphics(new Error('no lspci')));
    expect(r.env.gpus).toMatchObject({ unknown: true });
    expect(r.summary).toMatch(/^gpu\s+unknown \(.*no lspci.*\)$/m);
  });
});
