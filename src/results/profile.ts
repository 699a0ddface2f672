// Result types of the profile suite (owned by src/profile/): which profiler ran on which request path, the
// artefacts it wrote, the load that drove it, and summaries extracted from the profile data (never written
// by hand). Fractions are 0..1; every other figure carries its unit in its name.

import type { ErrorInfo, Outcome } from './common.js';
import type { RequestDataEcho } from './request-data.js';
import type { ModelDescription } from './serving.js';
import type { MatrixPath, PredictKind, ProfileService, ProfileToolName, Topology } from './vocab.js';

export type { ProfileService, ProfileToolName } from './vocab.js';
export type ProfileRequestPath = MatrixPath;
export type ProfilePredict = PredictKind;
export type ProfileTopology = Topology;

/**
 * Where a sample's time (or a sampled allocation) is charged:
 * - app: servebench's own JavaScript (the service under test);
 * - dependencies: JavaScript under node_modules (ioredis, undici, synckit...), and the native libraries a
 *   dependency ships (onnxruntime-node's libonnxruntime.so, under perf);
 * - node: Node.js internals (node:* modules and the C++ bindings they call, libuv);
 * - v8: the engine itself: garbage collector, compiler, builtins called from app code, "(program)";
 * - native-addon: servebench's Rust addon (the native kernels);
 * - system: the kernel and system libraries (libc), from perf and tick logs;
 * - idle: the event loop waiting for work (epoll), nothing to run;
 * - blocked: the thread blocked in a synchronous wait (Atomics.wait, spawnSync) with work queued behind it;
 * - profiler: time the profiler itself adds (V8 writing its tick log, 0x's --print-opt-source output).
 */
export type FrameGroup = 'app' | 'dependencies' | 'node' | 'v8' | 'native-addon' | 'system' | 'idle' | 'blocked' | 'profiler';

/** Every frame group, in a fixed order. */
export const FRAME_GROUPS: readonly FrameGroup[] = ['app', 'dependencies', 'node', 'v8', 'native-addon', 'system', 'idle', 'blocked', 'profiler'];

/** How each group reads in a sentence or a table. */
export const FRAME_GROUP_LABELS: Record<FrameGroup, string> = {
  app: 'app code',
  dependencies: 'dependencies',
  node: 'node internals',
  v8: 'V8 / GC',
  'native-addon': 'native addon',
  system: 'kernel / libc',
  idle: 'idle',
  blocked: 'blocked waiting',
  profiler: 'profiler overhead',
};

/** What a summary was extracted from. */
export type ProfileSource =
  /** V8 CPU profile (.cpuprofile) written by `node --cpu-prof`. */
  | 'v8-cpuprofile'
  /** V8 tick log (`--prof`) as preprocessed by 0x: carries V8's VM state for every tick. */
  | 'v8-tick-log'
  /** clinic flame's samples file (0x ticks without VM states). */
  | 'clinic-flame-samples'
  /** V8 sampling heap profile written by clinic heapprofiler. */
  | 'v8-heap-profile'
  /** `perf script` output of a `perf record -g` capture (on-CPU samples only). */
  | 'perf-script';

export interface GroupShare {
  group: FrameGroup;
  /** In the summary's unit (samples or bytes). */
  weight: number;
  fraction: number;
}

export interface FunctionShare {
  name: string;
  /** file:line (JavaScript), the library (native code), or '' for engine builtins. */
  location: string;
  group: FrameGroup;
  /** Weight with this function as the leaf (self time, or bytes allocated by it), in the summary's unit. */
  self: number;
  selfFraction: number;
  /** Weight with this function anywhere on the stack (each stack counted once). */
  inclusive: number;
  inclusiveFraction: number;
}

/** A summary extracted from one profile (one process, or several merged). */
export interface ProfileSummary {
  source: ProfileSource;
  /** Which process(es), e.g. 'scoring pid 1234', 'worker pid 1240', 'all 2 workers'. */
  process: string;
  pids: number[];
  /** What one unit of weight is: a CPU sample, or a byte of sampled allocations still live at the end. */
  unit: 'samples' | 'bytes';
  total: number;
  /** Sampling interval of the profiler, when the data states it (µs). */
  sampleIntervalUs?: number;
  /** The stretch of time the summary covers: only the load window, or the process's whole life. */
  window: 'load' | 'whole-process';
  /** Length of that stretch, when the data has timestamps (ms). */
  windowMs?: number;
  /** Every group, largest first. */
  groups: GroupShare[];
  /** Top functions by self weight. */
  topFunctions: FunctionShare[];
  /**
   * How a blocked wait was told apart from running code: V8's VM state of each tick ('vm-state'), the source
   * line a sample landed on ('source-line'), or not at all ('not-possible': the data has neither).
   */
  blockedDetection: 'vm-state' | 'source-line' | 'not-possible';
}

/** The category clinic doctor detected, and the per-signal issues behind it. */
export interface DoctorVerdict {
  /** clinic doctor's issueCategory: 'event-loop', 'io', 'gc', 'none', or 'data' / 'unknown' when it could not decide. */
  category: string;
  /** Its own wording, e.g. 'a potential I/O issue'. */
  title: string;
  /** Each signal's verdict: 'performance' (an issue), 'none', or 'data' (too little data). */
  issues: {
    delay: string;
    cpu: string;
    memory: Record<string, string>;
    handles: string;
    loopUtilization: string;
  };
  /** Length of the interval doctor analysed (it trims start-up and shut-down), ms. */
  analysedMs: number;
}

/** The load that drove the service while it was profiled (a closed loop: fixed connections). */
export interface ProfileLoad {
  engine: string;
  connections: number;
  durationMs: number;
  /** Requests answered in the window. */
  requests: number;
  successes: number;
  failures: { errors: number; timeouts: number; non2xx: number; resets: number };
  requestsPerSec: number;
  latencyP50Us: number;
  latencyP99Us: number;
  /** The smallest step between two recorded latencies (1 or 1000 µs). */
  latencyResolutionUs: number;
}

export interface ProfileArtefact {
  /** flamegraph: an HTML/SVG flame graph; report: a tool's HTML report; data: raw profile data. */
  kind: 'flamegraph' | 'report' | 'data';
  /** Path relative to the run folder. */
  path: string;
  bytes: number;
  description: string;
}

/**
 * Which case: one profiler on one request path; or, for your own server (service 'command'), one profiler on
 * the command (no path, predict or topology: the server is yours).
 */
export interface ProfileCaseKey {
  /** e.g. 'sync-io-0x', 'async-cpu-naive-cpuprof-cluster', 'command-0x'. */
  id: string;
  tool: ProfileToolName;
  service: ProfileService;
  /** Absent for service 'command'. */
  path?: ProfileRequestPath;
  /** Absent for service 'command'. */
  predict?: ProfilePredict;
  kernel?: string;
  /** Absent for service 'command'. */
  topology?: ProfileTopology;
  workers?: number;
}

export interface ProfileCaseResult {
  /** The case's folder, relative to the run folder. */
  dir: string;
  artefacts: ProfileArtefact[];
  load: ProfileLoad;
  /** One per profiled process; for a cluster also one of all workers merged. Empty for tools without samples. */
  summaries: ProfileSummary[];
  doctor?: DoctorVerdict;
  /** What the system under test said about the choices it made (fallbacks, placements). */
  notes: string[];
  /** onnx and module predicts: the model the profiled service ran (file, size, sha256, inputs, runtime, threads). */
  model?: ModelDescription;
  /** Problems that did not stop the case (an artefact that could not be summarised, a slow exit...). */
  warnings: string[];
  /** Time to start the service under the profiler, to drive it, and for the profiler to finish writing (ms). */
  startMs: number;
  loadMs: number;
  finishMs: number;
}

export type ProfileCase = ProfileCaseKey & Outcome<ProfileCaseResult>;

/** A profiler found (or not) on this machine, with its version. */
export interface ProfileToolInfo {
  tool: string;
  available: boolean;
  version?: string;
  /** Why it is unavailable, or a limit worth knowing (e.g. perf without hardware counters). */
  note?: string;
}

export interface ProfileSettings {
  tools: ProfileToolName[];
  service: ProfileService;
  /** Empty for service 'command'. */
  paths: ProfileRequestPath[];
  /** Absent for service 'command'. */
  predict?: ProfilePredict;
  kernel?: string;
  n?: number;
  /** onnx and module predicts: the model file(s) given and --onnx-threads. */
  model?: { file?: string; onnxThreads?: number };
  /** Absent for service 'command'. */
  topology?: ProfileTopology;
  workers?: number;
  store: 'memory' | 'redis';
  /** Why the embedded store stood in for Redis (no redis-server could be started); absent when Redis ran or --store was given. */
  storeFallback?: string;
  durationMs: number;
  connections: number;
  /** Service 'command': your own server, started from its command, and what the load sent it. */
  command?: ProfileCommand;
}

/** Your own server under the profiler (`servebench profile [options] -- node app.js`). */
export interface ProfileCommand {
  /** The command and its arguments as given after `--`. */
  argv: string[];
  /** --port, when given; else the port was found (the first port it listened on, or the one it printed). */
  port?: number;
  /** The request: path on the server, method, headers; the bodies' count and files. */
  urlPath: string;
  method: string;
  headers: Record<string, string>;
  requestData: RequestDataEcho;
}

export interface ProfileData {
  /** The run folder (absolute). */
  outDir: string;
  settings: ProfileSettings;
  tools: ProfileToolInfo[];
  cases: ProfileCase[];
  /** Set when the run was interrupted: the cases finished before it are kept. */
  interrupted?: boolean;
  error?: ErrorInfo;
}
