// Which engine applies each load of a run, and why. The native engine (Rust, its own threads) is the default
// for both loops wherever the addon loads; without it the JS engines run (autocannon for the closed loop,
// servebench's open loop for a rate) and the reason is kept for every output. Also the checks of the load
// options against the engines, and the native engine's default threads. Pure apart from loading the addon.

import { availableParallelism } from 'node:os';
import { OptionError } from '../errors.js';
import type { NativeLoadRun } from '../kernels/native-binding.js';
import type { ClosedLoopEngine, LoadEngineName, LoadLoop, OpenLoopEngine } from '../results/load.js';
import { SERVICE_NAMES, type Topology } from '../results/vocab.js';

/** The options that decide the engines (a subset of LoadSettingsOptions). */
export interface EngineOptions {
  engine?: LoadEngineName;
  loop?: LoadLoop;
  rateRps?: number;
  connections?: number;
  generatorWorkers?: number;
  generatorThreads?: number;
}

/** The engines of a run's steps, and why. */
export interface EngineChoice {
  /** The loop of ramp, sustained and stress. */
  loop: LoadLoop;
  /** Engine of the closed-loop steps (response-time always; the chain when the loop is closed). */
  closed: ClosedLoopEngine;
  /** Engine of the open-loop steps. */
  open: OpenLoopEngine;
  /** The engine of the loop, as the options echo names it. */
  engine: LoadEngineName;
  /** 'default', '--engine', or 'fallback: <why the native engine cannot run>'. */
  reason: string;
  /** Named with --engine: a scenario definition that names an engine of its own yields to it. */
  explicit: boolean;
  /** The native engine's load threads. */
  generatorThreads: number;
}

/** What the choice depends on beyond the options: the addon, the host, the system under test. */
export interface EngineHost {
  native: NativeLoadRun;
  /** Cores the system under test is expected to keep busy on this host (see expectedServerCores). */
  serverCores: number;
  /** A --target URL (the native engine speaks plain HTTP/1.1 only). */
  targetUrl?: string;
  /** @default os.availableParallelism() */
  cores?: number;
}

/** The loop the options ask for: --loop, else open with --rate or --engine open, else closed. */
export function resolveLoop(o: EngineOptions): LoadLoop {
  return o.loop ?? (o.rateRps !== undefined || o.engine === 'open' ? 'open' : 'closed');
}

/** Refuse options that do not fit together, naming the option. */
export function checkEngineOptions(o: EngineOptions, loop: LoadLoop = resolveLoop(o)): void {
  if (o.rateRps !== undefined && o.engine === 'autocannon') {
    throw new OptionError(
      '--rate',
      "needs --engine open or native: autocannon's rate is a per-connection budget per second, not an open loop, and its latency under it is not trustworthy",
    );
  }
  if (o.rateRps !== undefined && loop === 'closed') throw new OptionError('--loop', 'closed contradicts --rate (an arrival rate is an open loop)');
  if (o.connections !== undefined && loop === 'open')
    throw new OptionError('--connections', 'applies to the closed-loop engines (autocannon, native) in a closed loop; an open loop takes --rate');
  if (loop === 'open' && o.engine === 'autocannon') throw new OptionError('--loop', 'open needs --engine open or native: autocannon applies a closed loop');
  if (loop === 'closed' && o.engine === 'open')
    throw new OptionError('--loop', 'closed needs --engine autocannon or native: the open engine applies an arrival rate');
}

/** The engines of a run from its options, the addon's availability and the host. Throws an OptionError for options that conflict. */
export function chooseEngines(o: EngineOptions, host: EngineHost): EngineChoice {
  const loop = resolveLoop(o);
  checkEngineOptions(o, loop);
  const unusable = nativeUnusable(host);
  if (o.engine === 'native' && unusable !== undefined) throw new OptionError('--engine', `native: ${unusable}`);
  const native = o.engine === 'native' || (o.engine === undefined && unusable === undefined);
  if (native && (o.generatorWorkers ?? 0) > 0) {
    throw new OptionError('--generator-workers', 'applies to autocannon (--engine autocannon); the native engine takes --generator-threads');
  }
  if (!native && o.generatorThreads !== undefined) {
    const why = o.engine === undefined ? `, which cannot run here (${unusable})` : ` (not --engine ${o.engine})`;
    throw new OptionError('--generator-threads', `applies to the native engine${why}`);
  }
  const closed: ClosedLoopEngine = native ? 'native' : 'autocannon';
  const open: OpenLoopEngine = native ? 'native' : 'open';
  const reason = o.engine !== undefined ? '--engine' : native ? 'default' : `fallback: ${unusable}`;
  return {
    loop,
    closed,
    open,
    engine: loop === 'open' ? open : closed,
    reason,
    explicit: o.engine !== undefined,
    generatorThreads: o.generatorThreads ?? defaultGeneratorThreads(host.serverCores, host.cores),
  };
}

/** Why the native engine cannot load this target here, or undefined when it can. */
function nativeUnusable(host: EngineHost): string | undefined {
  if (!host.native.available) return `native addon unavailable: ${host.native.reason}`;
  if (host.targetUrl !== undefined && new URL(host.targetUrl).protocol !== 'http:') return 'the native engine speaks plain HTTP/1.1 (http:// URLs only)';
  return undefined;
}

/** One thread per core left after the system under test's, at least one. */
export function defaultGeneratorThreads(serverCores: number, cores: number = availableParallelism()): number {
  return Math.max(1, cores - Math.max(0, serverCores));
}

/** The services of servebench's own system that answer a scoring request (scoring, model A, model B). */
const SERVING_SERVICES = SERVICE_NAMES.filter((s) => s !== 'model-worker').length;

/**
 * Cores the system under test is expected to keep busy on this host. servebench's own system: one process
 * per service, times the workers of a cluster or nginx topology (the most of the run's configurations, so
 * every configuration of a comparison gets the same generator). A --target: the processes named by --pid
 * (at least one) when it is on this host (a loopback address), none when it is elsewhere.
 */
export function expectedServerCores(systems: readonly { topology?: Topology; workers?: number }[], target?: { url: string; pids?: readonly number[] }): number {
  if (target !== undefined) return isLoopback(target.url) ? Math.max(1, target.pids?.length ?? 0) : 0;
  return Math.max(0, ...systems.map((s) => SERVING_SERVICES * (s.topology === undefined || s.topology === 'single' ? 1 : (s.workers ?? 1))));
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
}
