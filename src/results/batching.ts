// Result types of the batching experiment (`load --scenario batching`): a model API alone with batching off
// and with several (max-size, max-wait) settings, under an open-loop ramp on the sync and async paths. Its
// runs are load runs (load.ts); these are its own figures: each run's batches, and the findings.

import type { BatchingSettings } from './serving.js';
import type { PredictKind, RequestPath } from './vocab.js';

/** One setting of one path at one offered rate: the load's figures beside the model API's own batch counts. */
export interface BatchingRow {
  configId: string;
  path: RequestPath;
  /** null: batching off. */
  batching: BatchingSettings | null;
  runId: string;
  offeredRps: number;
  rps: number;
  p50Us: number;
  p99Us: number;
  /** Failed requests / requests, in the window. */
  failureRate: number;
  /** Whether the setting held this rate: at least 90% of the offered rate answered, failures within the error budget. */
  held: boolean;
  /** From the model API's metrics over the window (null when batching is off or no sample covered it). */
  meanBatchSize: number | null;
  meanBatchWaitMs: number | null;
  maxBatchWaitMs: number | null;
  /** Mean time of the predict call per request (the kernel, the pool hop), ms, from the process's timing sums. */
  predictMs: number | null;
  /** CPU time the model API process spent per request, ms. */
  cpuMsPerRequest: number | null;
}

/** One setting of one path over the ramp. */
export interface BatchingSettingSummary {
  configId: string;
  path: RequestPath;
  batching: BatchingSettings | null;
  /** The highest throughput of any step, rps (past its capacity, what it answers is its capacity). */
  maxRps: number;
  /** The lowest offered rate it did not hold (null: it held every step). */
  breakRps: number | null;
  /** The highest offered rate it held below breakRps (null: none): the ramp's breaking point. */
  heldRps: number | null;
  /** maxRps / batching off's on the same path (1 for batching off). */
  speedup: number | null;
}

export interface BatchingResult {
  description: string;
  predict: PredictKind;
  /** The cpu predict's n. */
  n: number;
  paths: RequestPath[];
  settings: BatchingSettings[];
  /** The offered rates of each path's ramp: multiples of batching off's closed-loop capacity there. */
  rates: Record<string, number[]>;
  /** The goal: a setting with this throughput multiple of batching off on the same path. */
  speedupGoal: number;
  rows: BatchingRow[];
  summaries: BatchingSettingSummary[];
  /** The host's 1-minute load average before and after the experiment, beside its cores: other work skews the figures. */
  hostLoad?: { before: number; after: number; cores: number };
  /** The best setting per path and what it costs in latency; whether the goal was met and, if not, why. */
  findings: string[];
  skipped?: string;
}
