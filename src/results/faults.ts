// Result types of the faults experiment (`servebench load --scenario faults`, and the experiments suite): a
// sustained open-loop load on a system with restarts on, faults applied at their times (kill, pause, hang),
// and per fault what it cost (failures by kind, time to the first failure, time to recovery, restarts), with
// the per-second timeline and the system's events on the same clock. Its run is a load run (load.ts).

import type { FailureCounts } from './common.js';
import type { FaultAction, FaultTarget } from './vocab.js';

/** One fault of a schedule: `at=5s kill model-a`, `at=8s pause redis 3s`. */
export interface FaultSpec {
  /** ms from the measured window's start. */
  atMs: number;
  action: FaultAction;
  target: FaultTarget;
  /** pause and hang: how long it lasts, ms. */
  durationMs?: number;
  /** As written (or as the default schedule writes it): 'at=5s kill model-a'. */
  expression: string;
}

/** A process of the system that exited, was restarted or given up on, during the window. */
export interface FaultSystemEvent {
  /** ms from the window's start. */
  atMs: number;
  /** The part it belongs to: 'model-a', 'scoring', 'feature-store', ... */
  service: string;
  /** As the process list names it: 'model-a-primary', 'scoring-w1', 'redis-server'. */
  process: string;
  kind: 'exited' | 'restarted' | 'gave-up';
  pid: number;
  /** restarted: from the exit until the new process was ready, ms. */
  downMs?: number;
  /** Restarts of this process so far. */
  restarts: number;
  message: string;
}

/** A restart a fault caused: which process, how long it was down, its restart count. */
export interface FaultRestart {
  process: string;
  /** ms from the window's start, when the new process was ready. */
  atMs: number;
  downMs: number | null;
  restarts: number;
}

/** What one fault of the schedule did. The requests it is charged with end (or fail) between it and the next fault. */
export interface FaultOutcome extends FaultSpec {
  /** applied: it happened; errored: the system refused it (no such part); skipped: not reached (interrupted). */
  state: 'applied' | 'errored' | 'skipped';
  /** skipped: why ('interrupted'); errored: the error message. */
  reason?: string;
  /** When it was applied, ms from the window's start (null: not applied). */
  appliedAtMs: number | null;
  /** pause, hang: when it ended, ms from the window's start. */
  untilMs?: number;
  /** The processes it hit. */
  processes: { name: string; pid: number }[];
  /** How it was applied: 'SIGKILL', 'SIGSTOP of 3 process(es), SIGCONT after 3000 ms', 'CLIENT PAUSE 2000 ALL'... */
  how?: string;
  /** The span it is charged with, ms from the window's start: [appliedAtMs, the next fault or the end of the run). */
  intervalEndMs: number | null;
  /** Requests that ended in the span (answered or failed). */
  requests: number;
  failures: FailureCounts;
  /** Failures by status or error code, e.g. { '503': 12, ECONNRESET: 2 }. */
  failureCodes: Record<string, number>;
  /** From the fault to the first failure seen after it, ms (null: none failed). */
  firstFailureMs: number | null;
  /**
   * From the fault to the start of the first 1-second span (by send time, in 100 ms steps, at or after the
   * fault) whose requests failed within the error budget: requests sent from then on were served again.
   * 0 when no span after the fault went over the budget; null when none came back under it before the end.
   */
  recoveryMs: number | null;
  recovered: boolean;
  /** Restarts it caused, from the system's events: of the processes it hit (even after the next fault), else of any in its span. */
  restarts: FaultRestart[];
  /** In plain words: what happened and what it cost. */
  finding: string;
}

/** One second of the faults run: requests by send time, failures by kind, latency, and what happened then. */
export interface FaultTimelineRow {
  second: number;
  /** Requests sent (scheduled) in this second. */
  sent: number;
  successes: number;
  failures: FailureCounts;
  /** p99 of the successful requests sent in this second, microseconds (0: none succeeded). */
  p99Us: number;
  /** Faults applied in this second, as written. */
  faults: string[];
  /** System events in this second, e.g. 'model-a-primary restarted (down 412 ms)'. */
  events: string[];
}

/** The faults experiment: the system, the load, the schedule, and per fault and per second what happened. */
export interface FaultsResult {
  description: string;
  /** The configuration (and its run in LoadData.runs). */
  configId: string;
  runId: string | null;
  rateRps: number;
  /** Failures allowed in a 1-second span for it to count as recovered (the run's error budget). */
  errorBudget: number;
  /** The measured window, ms (the schedule plus the recovery after its last fault). */
  windowMs: number;
  schedule: FaultSpec[];
  faults: FaultOutcome[];
  events: FaultSystemEvent[];
  timeline: FaultTimelineRow[];
  /** One line per fault, in plain words. */
  findings: string[];
  /** Why it did not run, when it did not. */
  skipped?: string;
}
