// The one interface of the load engines (closed loop: autocannon; open loop: servebench's own scheduler).
// An engine applies one constant load for a warm-up plus a measured window and returns plain figures;
// validity, server sampling and Little's law are added around it by the runner.

import type { LoadEngineName, LoadMeasurement, LoadShape } from '../../results/load.js';

/** What to send: one URL, a method, headers, and bodies sent in turn (none for a bodyless request). */
export interface HttpTarget {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';
  headers: Record<string, string>;
  /** Sent in rotation; empty for no body. */
  bodies: string[];
}

/** One request as the engine saw it (for tests and debugging; not stored in results). */
export interface RequestSample {
  /** Scheduled (open loop) or actual (closed loop) send time, ms from the window's start (negative in warm-up). */
  sentAtMs: number;
  latencyUs: number;
  outcome: 'success' | 'non2xx' | 'errors' | 'timeouts' | 'resets';
  /** A failure's status or error code as failureCodes counts it ('503', 'ECONNREFUSED', 'timeout'); open loop only. */
  code?: string;
}

export interface EngineRunOptions {
  target: HttpTarget;
  load: LoadShape;
  /** Load applied before the measured window and excluded from every figure. */
  warmupMs: number;
  durationMs: number;
  /** A request without a complete response after this long is a timeout. */
  timeoutMs: number;
  /**
   * Extend the window until this many responses have completed (the validity rule's minimum), up to
   * `maxWindowMs`: a slow system at one connection needs longer than a fast one for the same confidence.
   * Closed loop: checked as the window runs; open loop: the window is lengthened up front from the rate.
   * @default 0
   */
  minRequests?: number;
  /** Longest the window may be extended to, ms. @default 4 x durationMs (the runner passes 6 x) */
  maxWindowMs?: number;
  /**
   * End the window once this many requests have completed or failed in it, instead of after durationMs
   * (autocannon's "amount"; open loop: the window is amount / rate long). Capped at 10 minutes.
   */
  amount?: number;
  /** Width of the latency time-series bins. @default 1000 */
  binMs?: number;
  /** Open loop: a send later than this after its scheduled time counts as late. @default 5000 */
  lateToleranceUs?: number;
  /** Called when the measured window starts and ends (server sampling hooks). */
  onWindowStart?: () => void;
  onWindowEnd?: () => void;
  /** Every request of the measured window, as it completes. */
  onSample?: (sample: RequestSample) => void;
  /** Stop early (the figures cover what ran). */
  signal?: AbortSignal;
}

/** The engine's own figures of a run: the part of a LoadMeasurement it measures (see there). */
export type EngineResult = Pick<
  LoadMeasurement,
  | 'windowMs'
  | 'requests'
  | 'failures'
  | 'failureCodes'
  | 'rps'
  | 'rpsSeries'
  | 'latencyUs'
  | 'latencyHistogramUs'
  | 'latencyResolution'
  | 'latencySeries'
  | 'bytesReceived'
  | 'open'
  | 'generator'
>;

export interface LoadEngine {
  readonly name: LoadEngineName;
  run(options: EngineRunOptions): Promise<EngineResult>;
}
