// What the profile suite profiles: the serving system, started with its scoring process(es) under a profiler
// (startSystem's wrapScoring hook), and the one way to stop the profiled processes so the tools write their
// output: one SIGINT to each profiled node process (0x, clinic, --cpu-prof and perf all finish when their
// workload exits), then waiting until every process of their groups, the tools included, has exited.

import { readFileSync } from 'node:fs';
import { waitUntil } from '../processes/index.js';
import type { KernelName } from '../kernels/index.js';
import type { HttpTarget } from '../load/engines/types.js';
import { startOwnServer } from '../load/own-server.js';
import { scoringTarget } from '../load/systems.js';
import { Supervisor } from '../processes/index.js';
import type { ProfileCommand, ProfilePredict, ProfileRequestPath, ProfileService, ProfileTopology } from '../results/profile.js';
import type { ModelDescription } from '../results/serving.js';
import { SERVING_DEFAULTS, startModelApi, startSystem } from '../serving/index.js';
import { createRng, randomVector } from '../stats/index.js';
import type { CommandLine } from './tools/types.js';

interface TargetOptions {
  /** scoring: the whole system, its scoring handler profiled; model: one model API alone, profiled. */
  service: Exclude<ProfileService, 'command'>;
  path: ProfileRequestPath;
  topology: ProfileTopology;
  workers?: number;
  predict: ProfilePredict;
  kernel?: KernelName;
  n?: number;
  /** onnx and module predicts: the model file and onnxruntime's intra-op threads. */
  model?: { file?: string; onnxThreads?: number };
  store: 'memory' | 'redis';
}

export interface StartedTarget {
  /** What the load sends, and where. */
  request: HttpTarget;
  /** pid -> role of the processes running under the profiler (for labels). */
  roles: Map<number, string>;
  /**
   * The profiled node processes themselves (not their wrappers): each gets the stop signal, and the suite
   * waits until their process groups (wrapper and tool included) are empty. For a cluster, the primary.
   */
  profiledPids: number[];
  notes: string[];
  /** onnx and module predicts: the model the profiled service runs. */
  model?: ModelDescription;
  /** Stop everything (safe to call twice). */
  stop(): Promise<void>;
}

/** Starts the thing to profile with its scoring process(es) wrapped; replaceable (tests use a fixture). */
export type StartTarget = (options: TargetOptions, wrap: (cmd: CommandLine) => CommandLine) => Promise<StartedTarget>;

/** Model API requests: {"features": [...]} with as many features as the model takes, a few in turn. */
function predictBodies(featureCount: number): string[] {
  const rng = createRng(SERVING_DEFAULTS.seed);
  return Array.from({ length: 8 }, () => JSON.stringify({ features: Array.from(randomVector(featureCount, Math.floor(rng() * 2 ** 31))) }));
}

/**
 * The real system: feature store, model APIs A and B, and the scoring handler under the profiler; or, for
 * service 'model', one model API alone under the profiler (where a cpu predict's kernel, or a model, runs).
 */
export const startServingTarget: StartTarget = async (options, wrap) => {
  const common = {
    path: options.path,
    topology: options.topology,
    predict: options.predict,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(options.kernel === undefined ? {} : { kernel: options.kernel }),
    ...(options.n === undefined ? {} : { n: options.n }),
    ...(options.model?.file === undefined ? {} : { modelFile: options.model.file }),
    ...(options.model?.onnxThreads === undefined ? {} : { onnxThreads: options.model.onnxThreads }),
  };
  if (options.service === 'model') {
    const api = await startModelApi({ ...common, wrap });
    const profiled = api.processes.filter((p) => p.role !== 'nginx' && p.role !== 'nginx-worker');
    return {
      request: { url: api.predictUrl, method: 'POST', headers: { 'content-type': 'application/json' }, bodies: predictBodies(api.featureCount) },
      roles: new Map(profiled.map((p) => [p.pid, p.role])),
      profiledPids: signalled(profiled),
      notes: api.notes,
      ...(api.model.file === undefined ? {} : { model: api.model }),
      stop: () => api.stop(),
    };
  }
  const sys = await startSystem({ ...common, store: options.store, wrapScoring: wrap });
  const scoring = sys.processes.filter((p) => p.service === 'scoring' && p.role !== 'nginx' && p.role !== 'nginx-worker');
  const model = sys.describe().models?.a;
  return {
    request: scoringTarget(sys.scoringUrl, sys.options.entities, sys.options.seed),
    roles: new Map(scoring.map((p) => [p.pid, p.role])),
    profiledPids: signalled(scoring),
    notes: sys.notes,
    ...(model?.file === undefined ? {} : { model }),
    stop: () => sys.stop(),
  };
};

/** Your own server: its command started under the profiler, waited for until it listens, loaded with your request. */
export function startCommandTarget(c: ProfileCommand, bodies: readonly string[]): (wrap: (cmd: CommandLine) => CommandLine) => Promise<StartedTarget> {
  return async (wrap) => {
    const server = await startOwnServer({ argv: c.argv, ...(c.port === undefined ? {} : { port: c.port }), wrap, supervisor: new Supervisor() });
    const how = server.portFrom === 'option' ? '--port' : server.portFrom === 'proc' ? 'the first port it listened on' : 'the port it printed';
    return {
      request: { url: `http://127.0.0.1:${server.port}${c.urlPath}`, method: c.method as HttpTarget['method'], headers: c.headers, bodies: [...bodies] },
      roles: new Map([[server.pid, 'server']]),
      profiledPids: [server.pid],
      notes: [`your server: \`${c.argv.join(' ')}\`, pid ${server.pid}, port ${server.port} (${how})`],
      stop: () => server.stop(),
    };
  };
}

/** The processes that get the stop signal: a cluster's primary (it stops its workers), else each process. */
function signalled(procs: readonly { pid: number; role: string }[]): number[] {
  const primaries = procs.filter((p) => p.role.endsWith('-primary'));
  return (primaries.length > 0 ? primaries : procs).map((p) => p.pid);
}

/** The process group of a pid (Linux /proc), or undefined when the process is gone or /proc is absent. */
function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    return Number.isInteger(pgrp) && pgrp > 0 ? pgrp : undefined;
  } catch {
    return undefined;
  }
}

function exists(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // gone already
  }
}

export interface StopOutcome {
  /** Time from the signal until every profiled process had exited (ms). */
  finishMs: number;
  /** True when they had to be killed: the tool's output is then likely incomplete. */
  killed: boolean;
}

/**
 * Stop the profiled processes the way their profilers expect, and wait (up to `timeoutMs`, while the tool
 * writes and renders its output) until every process of their process groups (the tool and its launcher
 * included) has exited. SIGINT goes to each profiled node process itself, once: not to the whole group,
 * because clinic relays a SIGINT it gets to its child, and a second SIGINT arriving while node tears down
 * kills it before the trace-event log is written. With `request` the tool is asked first (clinic's
 * --on-port stop file) and SIGINT follows only if the processes are still there after 30 s. After the
 * timeout the groups are killed.
 */
export async function stopProfiled(pids: readonly number[], timeoutMs: number, request?: () => void): Promise<StopOutcome> {
  const t0 = Date.now();
  // Negative numbers: a process group; a pid whose group cannot be read is watched alone.
  const groups = [
    ...new Set(
      pids.map((pid) => {
        const g = processGroupOf(pid);
        return g === undefined ? pid : -g;
      }),
    ),
  ];
  const gone = () => groups.every((t) => !exists(t));
  if (request !== undefined) {
    request();
    const asked = await waitUntil(gone, Math.min(30_000, timeoutMs / 2), 'the profiled processes to exit', 100).then(
      () => true,
      () => false,
    );
    if (asked) return { finishMs: Date.now() - t0, killed: false };
  }
  for (const pid of pids) signal(pid, 'SIGINT');
  try {
    await waitUntil(gone, Math.max(1000, timeoutMs - (Date.now() - t0)), 'the profiled processes to exit', 100);
    return { finishMs: Date.now() - t0, killed: false };
  } catch {
    for (const t of groups) signal(t, 'SIGKILL');
    await waitUntil(gone, 5000, 'the killed processes to go', 50).catch(() => undefined);
    return { finishMs: Date.now() - t0, killed: true };
  }
}
