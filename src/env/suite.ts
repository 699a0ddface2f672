// The hardware suite: what `servebench hw` (and the hardware section of `servebench bench`) measures on
// top of the environment block: a longer noise check, the measured CPU frequency, clock resolution and
// overhead, and memory-read bandwidth through the native probe. Returns plain data; never prints results.

import type { Flag } from '../results/common.js';
import type { EnvBlock } from '../results/env.js';
import { isUnknown } from '../results/env.js';
import type { HardwareData } from '../results/hardware.js';
import { progress } from '../progress.js';
import { captureEnv } from './capture.js';
import { measureFrequency } from './frequency.js';
import { fmtBytes, planBandwidth, runBandwidth, type BandwidthProbe } from './memory-bandwidth.js';
import { checkNoise, type NoiseThresholds } from './noise.js';
import { createHostSources, type HostSources } from './sources.js';
import { measureTimers } from './timers.js';

export interface HardwareSuiteOptions {
  /** The run's environment block (sizes the bandwidth probes); captured when absent. */
  env?: EnvBlock;
  /** Run the memory-read bandwidth probe. @default true */
  bandwidth?: boolean;
  /** Repeats per bandwidth probe. @default 5 */
  bandwidthRepeats?: number;
  /** Bytes of the past-L3 probe. @default max(256 MiB, 4x total L3), capped at a quarter of free memory */
  largeBytes?: number;
  /** Thread counts to probe. @default [1, usable cores] */
  threads?: number[];
  /** Noise window, ms. @default 1000 */
  noiseWindowMs?: number;
  noiseThresholds?: Partial<NoiseThresholds>;
  /** Frequency repeats. @default 21 */
  frequencyRepeats?: number;
  /** Where to read the host from. @default the real host */
  sources?: HostSources;
  /** The bandwidth probe (tests inject one). @default probeBandwidth from src/kernels/bandwidth.ts */
  probe?: BandwidthProbe;
}

/** Figures above this relative spread (max - min over median) are flagged noisy. */
const NOISY_SPREAD = 0.2;

export async function runHardwareSuite(options: HardwareSuiteOptions = {}): Promise<HardwareData> {
  const started = performance.now();
  const sources = options.sources ?? createHostSources();
  const env = options.env ?? (await captureEnv({ sources, warn: false, ...(options.sources === undefined ? {} : { toolVersions: false }) }));
  const flags: Flag[] = [];

  // the noise window first, while nothing of ours runs
  const noiseWindowMs = options.noiseWindowMs ?? 1000;
  progress('hw', `noise check: watching the host for ${noiseWindowMs} ms`);
  const noise = await checkNoise(sources, {
    windowMs: noiseWindowMs,
    ...(options.noiseThresholds === undefined ? {} : { thresholds: options.noiseThresholds }),
  });
  for (const w of noise.warnings) flags.push({ subject: 'host', kind: 'noisy', message: w });

  progress('hw', 'measuring the CPU frequency (calibrated loop)');
  const frequency = measureFrequency({ repeats: options.frequencyRepeats ?? 21 });
  if (isUnknown(frequency)) flags.push({ subject: 'cpu frequency', kind: 'unavailable', message: frequency.reason });
  else if (frequency.relativeSpread > NOISY_SPREAD) {
    flags.push({
      subject: 'cpu frequency',
      kind: 'noisy',
      message: `repeats spread ${(frequency.relativeSpread * 100).toFixed(0)}% (limit ${NOISY_SPREAD * 100}%)`,
    });
  }

  progress('hw', 'measuring clock resolution and overhead');
  const timers = measureTimers();

  let bandwidth: HardwareData['bandwidth'];
  if (options.bandwidth === false) {
    bandwidth = { unknown: true, reason: 'not measured (bandwidth probe turned off)' };
  } else {
    const { plan, skipped } = planBandwidth(env, {
      ...(options.largeBytes === undefined ? {} : { largeBytes: options.largeBytes }),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
    });
    for (const s of skipped) flags.push({ subject: 'bandwidth', kind: 'skipped', message: s });
    bandwidth = await runBandwidth(plan, options.bandwidthRepeats ?? 5, options.probe, (e) =>
      progress('hw', `bandwidth: ${fmtBytes(e.bytes)} with ${e.threads} thread${e.threads === 1 ? '' : 's'}`),
    );
    if (isUnknown(bandwidth)) flags.push({ subject: 'bandwidth', kind: 'unavailable', message: bandwidth.reason });
    else {
      for (const c of bandwidth) {
        const subject = `bandwidth ${fmtBytes(c.bytes)} x${c.threads}`;
        if (c.state === 'errored') flags.push({ subject, kind: 'errored', message: c.error.message });
        else if (c.state === 'skipped') flags.push({ subject, kind: 'skipped', message: c.reason });
        else if (c.spread.relativeSpread > NOISY_SPREAD) {
          flags.push({ subject, kind: 'noisy', message: `repeats spread ${(c.spread.relativeSpread * 100).toFixed(0)}% (limit ${NOISY_SPREAD * 100}%)` });
        }
      }
    }
  }
  if (!env.native.available) flags.push({ subject: 'native addon', kind: 'unavailable', message: env.native.reason });

  return { durationMs: Math.round(performance.now() - started), frequency, timers, bandwidth, noise, flags };
}
