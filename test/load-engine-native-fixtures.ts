// Shared by the native engine's tests: whether the addon has the engine, a describe that skips without it
// (and, under CI=true, fails naming it instead: CI always builds the addon), and the run options they share.

import { describe, it } from 'vitest';
import { nativeLoadRun } from '../src/kernels/native-binding.js';
import type { EngineRunOptions, HttpTarget } from '../src/load/engines/types.js';
import type { LoadShape } from '../src/results/load.js';

const native = nativeLoadRun();

/** `describe` when the native engine loads; else skipped, or under CI=true one failing test that names why. */
export function describeNative(name: string, body: () => void): void {
  if (native.available) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs the native load engine', () => {
        throw new Error(`the native addon's load engine is unavailable: ${native.reason} (run \`npm run build:native\`)`);
      });
    });
  } else describe.skip(`${name} (native addon unavailable: ${native.reason})`, body);
}

export const getTarget = (url: string): HttpTarget => ({ url, method: 'GET', headers: {}, bodies: [] });

export const closedNative = (connections: number, threads = 1): LoadShape => ({
  kind: 'closed',
  engine: 'native',
  connections,
  pipelining: 1,
  workers: 0,
  threads,
});

export const openNative = (rateRps: number, o: { arrivals?: 'poisson' | 'constant'; maxInFlight?: number; threads?: number } = {}): LoadShape => ({
  kind: 'open',
  engine: 'native',
  rateRps,
  arrivals: o.arrivals ?? 'constant',
  maxInFlight: o.maxInFlight ?? 256,
  seed: 1,
  threads: o.threads ?? 1,
});

/** Run options with short defaults. */
export function runOptions(url: string, load: LoadShape, o: Partial<EngineRunOptions> = {}): EngineRunOptions {
  return { target: getTarget(url), load, warmupMs: 0, durationMs: 1000, timeoutMs: 5000, ...o };
}
