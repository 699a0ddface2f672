// Memory-read bandwidth through the native probe of the kernels suite (src/kernels/bandwidth.ts): one size
// that fits in L2 and one far past L3, with one thread and with every usable core. Sizes come from the
// cache facts of the environment block, and shrink when memory is tight.

import { probeBandwidth, type BandwidthResult } from '../kernels/bandwidth.js';
import type { Availability } from '../kernels/types.js';
import { toErrorInfo } from '../errors.js';
import type { BandwidthCase } from '../results/hardware.js';
import type { EnvBlock, MaybeKnown } from '../results/env.js';
import { isUnknown } from '../results/env.js';
import { median, relativeSpread } from '../stats/index.js';
import { unknown } from './parse.js';

export type BandwidthProbe = (options: {
  n: number;
  threads?: number;
  repeats?: number;
}) => BandwidthResult | (Availability & { available: false }) | Promise<BandwidthResult | (Availability & { available: false })>;

export interface BandwidthPlanEntry {
  label: string;
  bytes: number;
  threads: number;
}

const MiB = 1024 * 1024;
/** The large probe: at least this, and at least 4x the total L3, so caches hold a negligible share. */
export const LARGE_PROBE_BYTES = 256 * MiB;

/** Which sizes and thread counts to probe on this host (or why none can be). */
export function planBandwidth(env: EnvBlock, options: { largeBytes?: number; threads?: number[] } = {}): { plan: BandwidthPlanEntry[]; skipped: string[] } {
  const caches = isUnknown(env.cpu.caches) ? [] : env.cpu.caches;
  const l2 = caches.find((c) => c.level === 2 && c.type !== 'instruction');
  const l3 = caches.filter((c) => c.level === 3 && c.type !== 'instruction');
  const l3Total = l3.reduce((s, c) => s + c.sizeBytes * c.instances, 0);
  const skipped: string[] = [];

  // Half of one L2 leaves room for the rest of the process; 64 KiB multiples keep n round.
  const smallBytes = l2 !== undefined ? Math.max(64 * 1024, Math.floor(l2.sizeBytes / 2 / (64 * 1024)) * 64 * 1024) : 256 * 1024;
  const smallLabel = l2 !== undefined ? `in L2 (half of a ${fmtBytes(l2.sizeBytes)} L2)` : 'small (L2 size unknown: 256 KiB)';

  let largeBytes = options.largeBytes ?? Math.max(LARGE_PROBE_BYTES, 4 * l3Total);
  const limit = env.memory.cgroupLimitBytes;
  const room = Math.min(env.memory.availableBytes, typeof limit === 'number' ? limit : Number.POSITIVE_INFINITY);
  // never take more than a quarter of the memory left (the probe may hold one buffer per thread)
  if (largeBytes > room / 4) largeBytes = Math.floor(room / 4 / MiB) * MiB;
  const largeOk = largeBytes >= Math.max(2 * l3Total, 16 * MiB);
  if (!largeOk) skipped.push(`past-L3 probe skipped: only ${fmtBytes(room)} of memory available`);
  const largeLabel = l3Total > 0 ? `past L3 (${(largeBytes / l3Total).toFixed(0)}x the ${fmtBytes(l3Total)} L3)` : 'large (L3 size unknown)';

  const threads = options.threads ?? [...new Set([1, env.cpu.usableCores])];
  const plan: BandwidthPlanEntry[] = [];
  for (const t of threads) {
    plan.push({ label: smallLabel, bytes: smallBytes, threads: t });
    if (largeOk) plan.push({ label: largeLabel, bytes: largeBytes, threads: t });
  }
  return { plan, skipped };
}

/** Run the plan; the whole probe is unknown (with the probe's reason) when the addon is unavailable. */
export async function runBandwidth(
  plan: BandwidthPlanEntry[],
  repeats: number,
  probe: BandwidthProbe = probeBandwidth,
  onCase?: (entry: BandwidthPlanEntry) => void,
): Promise<MaybeKnown<BandwidthCase[]>> {
  const cases: BandwidthCase[] = [];
  for (const entry of plan) {
    onCase?.(entry);
    const n = Math.floor(entry.bytes / 8);
    try {
      const r = await probe({ n, threads: entry.threads, repeats });
      if ('available' in r && r.available === false) {
        if (cases.length === 0) return unknown(`bandwidth probe unavailable: ${r.reason}`);
        cases.push({ state: 'skipped', reason: r.reason, label: entry.label, bytes: entry.bytes, threads: entry.threads });
        continue;
      }
      // isa and passesPerRepeat are optional in the probe's contract (older builds lack them)
      const result = r as BandwidthResult & { isa?: string; passesPerRepeat?: number };
      const samples = result.samplesGbPerSec.length > 0 ? result.samplesGbPerSec : [result.gbPerSec];
      cases.push({
        state: 'completed',
        label: entry.label,
        bytes: result.n * 8,
        n: result.n,
        threads: result.threads,
        gbPerSec: result.gbPerSec,
        samplesGbPerSec: samples,
        spread: {
          unit: 'GB/s',
          median: median(samples),
          min: Math.min(...samples),
          max: Math.max(...samples),
          relativeSpread: relativeSpread(samples),
          repeats: samples.length,
        },
        isa: result.isa !== undefined && result.isa !== '' ? result.isa : unknown('the probe did not say which read loop it used'),
        passesPerRepeat:
          result.passesPerRepeat !== undefined && result.passesPerRepeat > 0
            ? result.passesPerRepeat
            : unknown('the probe did not say how many passes it made'),
      });
    } catch (err) {
      cases.push({ state: 'errored', error: toErrorInfo(err), label: entry.label, bytes: entry.bytes, threads: entry.threads });
    }
  }
  return cases;
}

export function fmtBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}
