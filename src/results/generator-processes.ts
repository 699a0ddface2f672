// Result type of `servebench load --generator-processes N`: each generator process's part in a step's run.
// The run's own figures are the processes' merged exactly (histograms added, counts summed); these parts keep
// what each process applied and measured, and its own validity (a saturated process makes the whole invalid).

import type { ErrorInfo } from './common.js';

/** One generator process's part in a run measured by several at once. */
export interface GeneratorProcessPart {
  /** 0-based, as its shard index: its seed is the step's seed + index. */
  index: number;
  pid: number | null;
  state: 'completed' | 'errored';
  /** Its share of the step's load: connections (closed loop) or requests/s (open loop). */
  load: number;
  /** Open loop: its arrival schedule's seed. */
  seed?: number;
  /** Its own run passed every validity rule (its own generator CPU, on-time sends, requests, errors). */
  valid: boolean;
  /** Why it is not valid: its failed rules, or its error. */
  reasons: string[];
  /** Its measured window's start after the earliest process's, ms. */
  offsetMs?: number;
  rps?: number;
  successes?: number;
  failures?: number;
  /** Its own generator load over its window: CPU in cores, threads, main event-loop utilization. */
  cpuCores?: number;
  threads?: number;
  eventLoopUtilization?: number;
  error?: ErrorInfo;
}
