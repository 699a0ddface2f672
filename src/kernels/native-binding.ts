// The hand-written wrapper around the loader that `napi build` generates in native/ (index.cjs, never
// edited). Loads the addon once and records why when it cannot: the addon is optional at run time, every
// output says "native: available (...)" or "native: unavailable (<reason>)", and nothing silently
// substitutes a JS kernel.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { LoadRun } from '../../native/index.cjs';
import type { NativeStatus } from '../results/common.js';
import { packageRoot } from '../paths.js';
import { errorMessage } from '../errors.js';

/** What one call of the addon's bandwidth probe returns (see native/src/lib.rs). */
export interface NativeBandwidthProbe {
  /** Words (8 bytes each) read per pass. */
  n: number;
  threads: number;
  /** Read bandwidth of each repeat, bytes per second / 1e9. */
  gbPerSec: number[];
  passesPerRepeat: number;
  /** Code path of the read loop: 'avx512', 'avx2' or 'baseline'. */
  isa: string;
}

/** The functions the addon exports (see native/src/lib.rs; checked one by one when it loads). */
export interface NativeBinding {
  /** Build facts: crate version, rustc version, target triple, CPU features compiled in and detected. */
  buildInfo(): Record<string, string>;
  /** Vectorized mean on the calling thread; TypeError unless given a Float64Array. */
  mean(values: Float64Array): number;
  /** Mean split across rayon's threads (inputs under 2 x parallelMinChunk stay on one thread). */
  meanParallel(values: Float64Array): number;
  /** The vectorized mean as an AsyncTask on the libuv pool. */
  meanAsync(values: Float64Array): Promise<number>;
  /** Read bandwidth over n words with `threads` threads, `repeats` figures. Blocks the caller. */
  bandwidthProbe(n: number, threads: number, repeats: number): NativeBandwidthProbe;
  /**
   * The native load engine (native/index.d.cts, whose generated types are used as they are). Optional: a
   * build without it still serves the kernels; nativeLoadRun() says why it is missing.
   */
  LoadRun?: typeof LoadRun;
}

/** Every function the wrapper needs; a build that lacks one is treated as not loaded. */
export const NATIVE_FUNCTIONS = ['buildInfo', 'mean', 'meanParallel', 'meanAsync', 'bandwidthProbe'] as const satisfies readonly (keyof NativeBinding)[];

export type NativeLoad = { status: NativeStatus & { available: true }; binding: NativeBinding } | { status: NativeStatus & { available: false } };

/** The folder of the crate and its generated loader. */
const nativeDir: string = join(packageRoot, 'native');
/** The generated CommonJS loader (the package is ESM, hence .cjs). */
export const nativeLoaderPath: string = join(nativeDir, 'index.cjs');
/** Written by scripts/build-native.mjs: what the last build did, and why it did not build. */
const nativeBuildStatusPath: string = join(nativeDir, 'build-status.json');

/** The environment switch that disables the addon (for comparisons and for tests of the fallback). */
export const NATIVE_ENV_SWITCH = 'SERVEBENCH_NATIVE';

interface BuildStatusFile {
  state?: string;
  reason?: string | null;
}

function readBuildStatus(dir: string): BuildStatusFile | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, basename(nativeBuildStatusPath)), 'utf8')) as BuildStatusFile;
  } catch {
    // No status file: the build script never ran here (e.g. a checkout without `npm install`).
    return undefined;
  }
}

function unavailable(reason: string): NativeLoad {
  return { status: { available: false, reason } };
}

/** Load the addon from `loaderPath` and check it; never throws. Exported for tests. */
export function loadNativeFrom(loaderPath: string, env: NodeJS.ProcessEnv = process.env): NativeLoad {
  const switchValue = env[NATIVE_ENV_SWITCH]?.trim().toLowerCase();
  if (switchValue === 'off' || switchValue === '0' || switchValue === 'false') {
    return unavailable(`disabled by ${NATIVE_ENV_SWITCH}=${env[NATIVE_ENV_SWITCH]?.trim()}`);
  }
  // The status file the build script wrote next to this loader.
  const build = readBuildStatus(dirname(loaderPath));
  if (!existsSync(loaderPath)) {
    if (build !== undefined && build.state !== 'built' && typeof build.reason === 'string') return unavailable(build.reason);
    return unavailable(`${basename(loaderPath)} not found in ${dirname(loaderPath)}; run \`npm run build:native\` (needs cargo)`);
  }
  const require = createRequire(import.meta.url);
  let loaded: unknown;
  try {
    loaded = require(loaderPath);
  } catch (err) {
    const first = errorMessage(err).split('\n')[0] ?? '';
    return unavailable(`failed to load ${basename(loaderPath)}: ${first}`);
  }
  if (typeof loaded !== 'object' || loaded === null) return unavailable(`${basename(loaderPath)} exported ${typeof loaded}, not the addon`);
  const exports = loaded as Record<string, unknown>;
  const missing = NATIVE_FUNCTIONS.filter((name) => typeof exports[name] !== 'function');
  if (missing.length > 0) {
    return unavailable(`the addon lacks ${missing.join(', ')} (a stale build? run \`npm run build:native\`)`);
  }
  const binding = loaded as unknown as NativeBinding;
  let buildFacts: Record<string, string>;
  try {
    buildFacts = { ...binding.buildInfo() };
  } catch (err) {
    return unavailable(`buildInfo() failed: ${errorMessage(err)}`);
  }
  if (build !== undefined && build.state !== 'built' && typeof build.reason === 'string') {
    // An older binary is still here although the last build did not produce one: say so.
    buildFacts.lastBuild = `failed, this binary is older: ${build.reason}`;
  }
  return { status: { available: true, file: loadedAddonFile(require, loaderPath), build: buildFacts }, binding };
}

/** The .node file the loader loaded (found in require's cache), for the status line. */
function loadedAddonFile(require: NodeJS.Require, loaderPath: string): string {
  const dir = dirname(loaderPath);
  const hit = Object.keys(require.cache).find((k) => k.endsWith('.node') && dirname(k) === dir);
  return hit ?? loaderPath;
}

let cached: NativeLoad | undefined;

/** Load the addon (once per process) and return it with its status. Never throws. */
export function loadNative(): NativeLoad {
  cached ??= loadNativeFrom(nativeLoaderPath);
  return cached;
}

/** Whether the addon loaded, and if not, why: for every output's "native: ..." line. */
export function nativeStatus(): NativeStatus {
  return loadNative().status;
}

/** The native load engine's class, or why it cannot be used: the addon did not load, or lacks it. */
export type NativeLoadRun = { available: true; LoadRun: typeof LoadRun } | { available: false; reason: string };

/** The LoadRun class of the addon (loaded once per process), or why not. Never throws. */
export function nativeLoadRun(): NativeLoadRun {
  const loaded = loadNative();
  if (!('binding' in loaded)) return { available: false, reason: loaded.status.reason };
  const run = loaded.binding.LoadRun;
  if (typeof run !== 'function') return { available: false, reason: 'the addon lacks LoadRun (a stale build? run `npm run build:native`)' };
  return { available: true, LoadRun: run };
}
