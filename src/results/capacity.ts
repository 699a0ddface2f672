// Results of the capacity suite (`servebench capacity`): for each mean kernel, the largest n whose cpu
// predict succeeds in a fresh process under a stated memory budget, how it fails past that n, the bytes per
// value it needed, every probe's outcome, and a check against a real model API under the same budget.

import type { KernelName, PredictKind } from './vocab.js';
import type { ErrorInfo, Flag, NativeStatus } from './common.js';
import type { ModelFileDescription, ModelTensorDescription } from './serving.js';

/**
 * How one probe (one fresh process predicting once at one n) ended.
 * - ok: the input was built, the kernel ran and its result agreed with the reference mean;
 * - js-heap-exhausted: V8 aborted with "JavaScript heap out of memory" (its heap limit was reached, or the
 *   OS refused it more pages after a last-resort GC);
 * - allocation-failed: a RangeError was thrown and caught (Array buffer allocation failed, Invalid array
 *   length, Invalid typed array length): the process survives it;
 * - array-length-limit: V8 aborted because an Array's backing store would pass its maximum length
 *   ("Fatal JavaScript invalid size error"), whatever the memory;
 * - killed: ended by a signal it did not raise itself (SIGKILL from the kernel's OOM killer, SIGSEGV...);
 * - timeout: still running at the probe's time limit (then killed);
 * - crashed: any other abnormal end (another abort, a non-zero exit without a report);
 * - errored: the probe could not say anything about memory (it did not start, a wrong result, a protocol
 *   error); the search stops there.
 */
export type ProbeOutcomeKind = 'ok' | 'js-heap-exhausted' | 'allocation-failed' | 'array-length-limit' | 'killed' | 'timeout' | 'crashed' | 'errored';

/** Outcomes that end a search step as "does not fit" (everything but ok and errored). */
export const FAILURE_KINDS: readonly ProbeOutcomeKind[] = ['js-heap-exhausted', 'allocation-failed', 'array-length-limit', 'killed', 'timeout', 'crashed'];

/** Where the child process had got to when it ended. */
export type ProbeStage = 'started' | 'warmed' | 'built' | 'computed' | 'checked';

/** Memory figures the child reports itself (probes that ended in ok or allocation-failed). */
export interface ProbeMemory {
  /** RSS after start-up and the kernel's warm-up, just before the input was built. */
  baselineRssBytes: number;
  /** VmData at the same moment: what the budget (RLIMIT_DATA) already counts before the request. */
  baselineDataBytes: number | null;
  /** Peak RSS of the whole process life (getrusage ru_maxrss). */
  peakRssBytes: number;
  /** Peak RSS minus the baseline: what building the input and running the kernel added. */
  growthRssBytes: number;
  /** V8 heap and off-heap figures while the input was alive (after building it; at the failure otherwise). */
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** V8's heap size limit (old space plus young generation). */
  heapLimitBytes: number;
  /** Memory of ArrayBuffers (typed arrays' data), outside the V8 heap. */
  arrayBuffersBytes: number;
  externalBytes: number;
  /** The process's data segment (VmData: private writable mappings, what RLIMIT_DATA bounds). */
  vmDataBytes: number | null;
}

/** One probe: one fresh process that builds the input at n, runs the kernel once and checks the result. */
export interface CapacityProbe {
  kernel: KernelName;
  n: number;
  /** The search step that chose n ('concurrent': a check of the derived capacity at C requests). */
  step: 'grow' | 'shrink' | 'bisect' | 'concurrent';
  /** Requests whose inputs were alive at once in the process (each its own values). */
  concurrency: number;
  outcome: ProbeOutcomeKind;
  /** One line: the error, the fatal line V8 printed, or what was checked. */
  detail: string;
  stage: ProbeStage;
  exit: { code: number | null; signal: string | null } | null;
  pid: number | null;
  durationMs: number;
  /** Time to build the input (random values, then the kernel's prepare), ms; null when it never finished. */
  buildMs: number | null;
  /** The one kernel call, ms. */
  kernelMs: number | null;
  memory: ProbeMemory | null;
  /**
   * The highest VmHWM the parent read from /proc/<pid>/status while the probe ran (every 100 ms): a lower
   * bound of the peak for probes that died before they could report.
   */
  sampledPeakRssBytes: number | null;
  /** The kernel's mean and the reference (Neumaier) mean, on ok probes. */
  mean?: number;
  reference?: number;
}

/** Max n at C concurrent requests each holding its own values, derived (not measured) from bytes per value. */
export interface DerivedCapacity {
  concurrency: number;
  /** floor((budget - baseline data) / (C x budget bytes per value)) values; null without the figures. */
  maxN: number | null;
  /** 8 x maxN: the bytes of one request's values as doubles. */
  inputBytes: number | null;
  derived: true;
}

/**
 * A measured check of the derived capacity at C requests: one probe just below it and one just above, each
 * building C inputs that are alive at once and running the kernel on each (C requests in flight in one
 * process, each with its own values).
 */
export interface DerivedCheck {
  concurrency: number;
  derivedMaxN: number;
  below: { n: number; outcome: ProbeOutcomeKind };
  above: { n: number; outcome: ProbeOutcomeKind };
  /** below fitted and above failed: the derived figure holds within the margin. */
  agrees: boolean;
}

export type CapacityKernelResult = {
  kernel: KernelName;
  description: string;
  /** Every probe, in the order run (kept also when the search stopped early). */
  probes: CapacityProbe[];
} & (
  | {
      state: 'completed';
      /** The largest n that succeeded (null: not even the smallest n tried). */
      maxN: number | null;
      /** The smallest n that failed (null: nothing failed up to the search's ceiling). */
      firstFailN: number | null;
      /** How the predict failed at firstFailN. */
      failure: ProbeOutcomeKind | null;
      failureDetail: string | null;
      /** (firstFailN - maxN) / maxN: how tightly the capacity is known. */
      precision: number | null;
      /** Whether precision reached the tolerance within the probe limit. */
      converged: boolean;
      /** Peak RSS growth / n at maxN: resident bytes per value a request touched, all copies included. */
      bytesPerValue: number | null;
      /**
       * (budget - baseline data) / maxN: what one value cost against the budget, which counts address space
       * (memory reserved but not touched, and the transient peak while an Array grows, included).
       */
      budgetBytesPerValue: number | null;
      /** The child's baseline RSS at maxN (runtime, code, the kernel warmed up). */
      baselineRssBytes: number | null;
      /** The child's baseline VmData at maxN (what the limit counted before the request). */
      baselineDataBytes: number | null;
      /** Peak RSS at maxN. */
      peakRssBytes: number | null;
      derived: DerivedCapacity[];
      /** The derived capacity at the largest C, checked by two probes (null when C is 1 or it could not run). */
      derivedCheck: DerivedCheck | null;
    }
  | { state: 'unavailable'; reason: string }
  | { state: 'errored'; error: ErrorInfo }
);

/** How the budget is enforced on every probe (and on the model API of the server check). */
export interface MemoryLimitMechanism {
  /** setrlimit(RLIMIT_DATA) through util-linux's prlimit: malloc/mmap of private memory fail past it. */
  kind: 'rlimit-data';
  /** e.g. 'prlimit from util-linux 2.38.1' */
  tool: string;
  /** RLIMIT_DATA: bounds every private writable mapping of the process (JS heap, ArrayBuffers, threads). */
  dataLimitBytes: number;
  /** V8's --max-old-space-size, MiB: the JS heap's share of the budget, so the heap's own limit is hit first. */
  v8MaxOldSpaceMiB: number;
  /** Whether a child under the limit was refused an ArrayBuffer just over the budget (checked each run). */
  verified: boolean;
  verification: string;
}

/** One request's answer in the server check. */
export interface ServerCheckResponse {
  /** The n the request asked for. */
  n: number;
  /** HTTP status; null when no answer came (connection reset, timeout). */
  status: number | null;
  /** The error code of a JSON error answer (e.g. 'internal', 'n_out_of_range'), or the socket error's code. */
  code?: string;
  message?: string;
  latencyMs: number;
}

export type ServerCheckPointLabel = 'fits-derived' | 'over-derived' | 'distinct-n' | 'past-capacity' | 'guarded';

/**
 * Requests against a fresh model API under the budget: C concurrent ones at one n, or (distinct-n) a few
 * single requests one after another at the n in `sequence`.
 */
export interface ServerCheckPoint {
  kernel: KernelName;
  label: ServerCheckPointLabel;
  /** What this point tests, in words. */
  purpose: string;
  path: 'sync' | 'async';
  /** Requests in flight at once (1 for a sequence). */
  concurrency: number;
  /** The n of the point (the last of a sequence). */
  n: number;
  /** For a sequence: every n, sent one after the other; each answered before the next was sent. */
  sequence?: number[];
  /** The --n-max the model API was started with. */
  nMax: number;
  state: 'completed' | 'errored';
  error?: ErrorInfo;
  responses: ServerCheckResponse[];
  counts: { ok: number; clientErrors: number; serverErrors: number; noAnswer: number };
  /** Whether GET /health answered after the requests. */
  serverAliveAfter: boolean | null;
  /** The model API's exit, when it ended during the point ('... was killed by SIGABRT'). */
  serverExit: string | null;
  /** The highest VmHWM read from the model API's /proc status during the point. */
  serverPeakRssBytes: number | null;
  durationMs: number;
}

export type ServerCheck =
  | { state: 'completed'; concurrency: number; points: ServerCheckPoint[]; notes: string[] }
  | { state: 'skipped'; reason: string }
  | { state: 'errored'; error: ErrorInfo; points: ServerCheckPoint[] };

export interface CapacitySettings {
  kernels: KernelName[];
  budgetBytes: number;
  /** Relative width (firstFailN - maxN) / maxN at which the search stops. */
  tolerance: number;
  maxProbesPerKernel: number;
  /** The first n tried for every kernel. */
  startN: number;
  /** Concurrent requests for the derived capacities (the largest is checked by probes and on the model API). */
  concurrency: number[];
  /** The derived check's probes sit this far below and above the derived n (a fraction); null: not run (--quick). */
  derivedCheckMargin: number | null;
  /** A probe's time limit: baseMs plus perValueNs for every value. */
  probeTimeout: { baseMs: number; perValueNs: number };
  seed: number;
  serverCheck: boolean;
  /** The predict whose capacity is searched: the kernels' (cpu) unless a model's was asked for. @default 'cpu' */
  predict?: PredictKind;
  /** onnx and module: the model file. */
  modelFile?: string;
}

/**
 * One probe of a model's capacity: a fresh process under the budget that opens the model, builds one input
 * batch of `n` rows (n x F features), runs one inference and checks the output. Fields as CapacityProbe's.
 */
export type ModelCapacityProbe = Omit<CapacityProbe, 'kernel' | 'mean' | 'reference'>;

/**
 * The capacity question for a model (`capacity --predict onnx|module|io`): for an ONNX model whose batch is
 * dynamic, the largest input batch (rows of features in one inference) that fits under the budget, found by
 * the kernels' search in fresh probe processes. Where the question does not apply (io waits, a module takes
 * one vector a call, a model with a fixed batch), it says so.
 */
export type CapacityModelResult = {
  predict: PredictKind;
  /** The question, in words. */
  question: string;
  /** The model file and what it takes (onnx and module). */
  name?: string;
  file?: ModelFileDescription;
  inputs?: ModelTensorDescription[];
  runtime?: { name: string; version: string };
} & (
  | {
      state: 'completed';
      probes: ModelCapacityProbe[];
      /** Features per row, and the input's element type. */
      featureCount: number;
      inputType: string;
      /** onnxruntime's intra-op threads in each probe. */
      threads: number;
      /** The largest batch (rows) that fitted; null: not even one row. */
      maxRows: number | null;
      /** The smallest batch that failed; null: nothing failed up to the search's ceiling. */
      firstFailRows: number | null;
      failure: ProbeOutcomeKind | null;
      failureDetail: string | null;
      precision: number | null;
      converged: boolean;
      /** Peak RSS growth / rows at maxRows: resident bytes one row of a batch took, the model's intermediates included. */
      bytesPerRow: number | null;
      /** (budget - baseline data) / maxRows: what one row cost against the budget. */
      budgetBytesPerRow: number | null;
      baselineRssBytes: number | null;
      peakRssBytes: number | null;
    }
  | { state: 'not-applicable'; reason: string }
  | { state: 'unavailable'; reason: string }
  | { state: 'errored'; error: ErrorInfo; probes: ModelCapacityProbe[] }
);

export interface CapacityData {
  quick: boolean;
  settings: CapacitySettings;
  /** `--predict onnx|module|io`: the model's capacity (kernels is then empty); absent for the cpu predict's kernels. */
  model?: CapacityModelResult;
  mechanism: MemoryLimitMechanism | null;
  native: NativeStatus;
  kernels: CapacityKernelResult[];
  serverCheck: ServerCheck;
  flags: Flag[];
  startedAt: string;
  durationMs: number;
  interrupted: boolean;
}
