// The vocabularies of servebench's results: every list of names written once, as a const array, with its
// type derived from it. Options, validation, loops and renderers use these instead of restating literals.

/** How a scoring request is carried out (see RequestPath in serving.ts). */
export const REQUEST_PATHS = ['sync', 'async', 'queue', 'jobs'] as const;
export type RequestPath = (typeof REQUEST_PATHS)[number];

/**
 * The paths whose model calls are jobs on a Redis list taken by model workers: queue (POST /score waits for
 * them) and jobs (POST /score answers 202 with a job id at once; GET /jobs/<id> gives the result later).
 */
export const QUEUE_PATHS = ['queue', 'jobs'] as const satisfies readonly RequestPath[];

/** Whether the path runs model workers behind the Redis queue (no model APIs). */
export function isQueuePath(path: RequestPath): path is (typeof QUEUE_PATHS)[number] {
  return path === 'queue' || path === 'jobs';
}

/** The request paths of the load matrix and the profiler: the queue path has experiments of its own. */
export const MATRIX_PATHS = ['sync', 'async'] as const satisfies readonly RequestPath[];
export type MatrixPath = (typeof MATRIX_PATHS)[number];

/** How a service's processes are laid out: one process, node:cluster with W workers, or nginx over W processes. */
export const TOPOLOGIES = ['single', 'cluster', 'nginx'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

/**
 * An io predict waits 40-50 ms (a remote model); a cpu predict runs a mean kernel over n values; an onnx
 * predict runs an ONNX model with onnxruntime-node; a module predict calls a user's JS module's `predict`.
 */
export const PREDICT_KINDS = ['io', 'cpu', 'onnx', 'module'] as const;
export type PredictKind = (typeof PREDICT_KINDS)[number];

/** The built-in predicts, the seeds' stand-ins: what the load matrix runs unless told otherwise. */
export const BUILTIN_PREDICTS = ['io', 'cpu'] as const satisfies readonly PredictKind[];

/** The predicts that run a model file the user brings (--model). */
export const FILE_PREDICTS = ['onnx', 'module'] as const satisfies readonly PredictKind[];
export type FilePredict = (typeof FILE_PREDICTS)[number];

/** The services of the system: scoring and two model APIs; on the queue path, model workers instead of model APIs. */
export const SERVICE_NAMES = ['scoring', 'model-a', 'model-b', 'model-worker'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const STORE_KINDS = ['memory', 'redis'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** The mean kernels, in the order tables list them. */
export const KERNEL_NAMES = ['naive', 'typed', 'native', 'native-parallel', 'native-async'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

/** The load generators: autocannon (closed loop), servebench's JS open loop, and the native engine (both loops, in Rust). */
export const LOAD_ENGINES = ['autocannon', 'open', 'native'] as const;
export type LoadEngineName = (typeof LOAD_ENGINES)[number];
/** The engines that apply a closed loop, and those that apply an open loop. */
export type ClosedLoopEngine = Exclude<LoadEngineName, 'open'>;
export type OpenLoopEngine = Exclude<LoadEngineName, 'autocannon'>;

/** The two loads: connections sending back to back (closed), or arrivals at a rate whatever the server does (open). */
export const LOAD_LOOPS = ['closed', 'open'] as const;
export type LoadLoop = (typeof LOAD_LOOPS)[number];

export const ARRIVAL_PROCESSES = ['poisson', 'constant'] as const;
export type ArrivalProcess = (typeof ARRIVAL_PROCESSES)[number];

/** The load scenarios run over the matrix of serving configurations (or a --target). */
export const MATRIX_SCENARIOS = ['response-time', 'ramp', 'sustained', 'stress'] as const;
/**
 * The experiments: systems of their own (a queue with model workers, an autoscaled pool, model servers swept
 * from 1 to k, a fault schedule under load, a batching model API, every topology under very high concurrency),
 * run only when named.
 */
export const EXPERIMENT_SCENARIOS = ['queue-workers', 'autoscale', 'scaling', 'faults', 'batching', 'high-concurrency'] as const;
/** Every load scenario, in the order a run lists them. */
export const SCENARIO_NAMES = [...MATRIX_SCENARIOS, 'request-paths', ...EXPERIMENT_SCENARIOS] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
export type ExperimentName = (typeof EXPERIMENT_SCENARIOS)[number];

/** What a fault does to a part of the system: SIGKILL it, SIGSTOP it for a while, or have it hold every request for a while. */
export const FAULT_ACTIONS = ['kill', 'pause', 'hang'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

/** The parts of a running system a fault can hit (what each means on each topology: src/serving/faults.ts). */
export const FAULT_TARGETS = ['model-a', 'model-b', 'redis', 'scoring', 'scoring-worker', 'nginx', 'model-worker'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

/** The profilers `servebench profile --tool` knows. */
export const PROFILE_TOOLS = ['0x', 'doctor', 'flame', 'bubbleprof', 'heap', 'cpuprof', 'perf'] as const;
export type ProfileToolName = (typeof PROFILE_TOOLS)[number];

/**
 * Which service runs under the profiler: the scoring handler (the whole system runs), one model API alone, or
 * (command) your own server, started from the command line after `--` (`profile -- node app.js`).
 */
export const PROFILE_SERVICES = ['scoring', 'model', 'command'] as const;
export type ProfileService = (typeof PROFILE_SERVICES)[number];

/**
 * The suites of the main job, in the order `bench` runs them: concurrency last, as its thousands of sockets
 * (and their TIME_WAIT aftermath) must not disturb the others.
 */
export const SUITE_NAMES = ['hardware', 'kernels', 'capacity', 'load', 'experiments', 'profile', 'concurrency'] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

/** The kinds of results file. */
export const RESULT_KINDS = ['bench', 'kernels', 'load', 'profile', 'hardware', 'capacity'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

/** Whether a value is one of a vocabulary's names (a type guard for data read from files or flags). */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
