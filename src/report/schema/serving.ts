// Result types of the serving system (owned by src/serving/).

/**
 * A sample of one server process's own view of itself, sent over IPC by every server process servebench
 * starts (cluster workers included) at a fixed interval while metrics are enabled. Cumulative counters
 * are since the process started; the sampler differences them.
 */
export interface ProcessMetrics {
  /** e.g. 'scoring', 'model-a', 'model-b', 'scoring-worker'. */
  role: string;
  pid: number;
  /** Wall-clock time of the sample, ms since the epoch. */
  atMs: number;
  /** Cumulative process.cpuUsage(), microseconds. */
  cpuUserUs: number;
  cpuSystemUs: number;
  rssBytes: number;
  /** Event-loop utilization over the interval since the previous sample, 0..1. */
  eventLoopUtilization: number;
  /** Event-loop delay p99 over the interval since the previous sample, milliseconds. */
  eventLoopDelayP99Ms: number;
  /** Requests completed, cumulative. */
  requests: number;
  /** Cumulative sums of the timing breakdown of completed requests, ms (scoring processes). */
  timingSumsMs?: { featureRead: number; modelA: number; modelB: number; total: number; queue: number };
}

export interface ServingData {
  /** Placeholder until the suite lands. */
  notes?: string[];
}
