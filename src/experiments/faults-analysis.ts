// The faults experiment's figures from what the run saw: every request (send time, end, outcome), the faults
// as they were applied and the system's events, all on the window's clock. Pure: per fault its failures by
// kind, time to the first failure, time to recovery and restarts; the per-second timeline; the findings in
// plain words (faults-findings.ts).

import type { FailureCounts } from '../results/load.js';
import type { FaultOutcome, FaultRestart, FaultSpec, FaultSystemEvent, FaultTimelineRow } from '../results/faults.js';
import { quantile } from '../stats/index.js';
import { describeFault } from './faults-findings.js';

/** One request of the window, as the open loop saw it; times in ms from the window's start. */
export interface FaultRunSample {
  sentAtMs: number;
  endAtMs: number;
  latencyUs: number;
  outcome: 'success' | keyof FailureCounts['byKind'];
  /** A failure's status or error code. */
  code?: string;
}

/** A fault of the schedule as it went: applied (when, to what), refused by the system, or never reached. */
export interface FaultAttempt {
  spec: FaultSpec;
  state: FaultOutcome['state'];
  reason?: string;
  appliedAtMs: number | null;
  untilMs?: number;
  processes: { name: string; pid: number }[];
  how?: string;
}

export interface FaultAnalysisInput {
  samples: readonly FaultRunSample[];
  attempts: readonly FaultAttempt[];
  events: readonly FaultSystemEvent[];
  windowMs: number;
  errorBudget: number;
}

/** The span a recovery is judged on, and the step between two spans tried. */
const SPAN_MS = 1000;
const STEP_MS = 100;

function emptyFailures(): FailureCounts {
  return { total: 0, byKind: { errors: 0, timeouts: 0, non2xx: 0, resets: 0 } };
}

function countFailure(f: FailureCounts, s: FaultRunSample): void {
  if (s.outcome === 'success') return;
  f.total++;
  f.byKind[s.outcome]++;
}

/** Per second of the window, by send time: sent, successes, failures by kind, p99; the faults and events in it. */
export function faultTimeline(input: FaultAnalysisInput): FaultTimelineRow[] {
  // A window a few ms past a whole second (timers) does not get a last row of its own.
  const seconds = Math.max(1, Math.ceil(input.windowMs / 1000 - 0.05));
  const rows: FaultTimelineRow[] = [];
  const latencies: number[][] = [];
  for (let i = 0; i < seconds; i++) {
    rows.push({ second: i, sent: 0, successes: 0, failures: emptyFailures(), p99Us: 0, faults: [], events: [] });
    latencies.push([]);
  }
  for (const s of input.samples) {
    const row = rows[Math.floor(s.sentAtMs / 1000)];
    if (row === undefined) continue;
    row.sent++;
    if (s.outcome === 'success') {
      row.successes++;
      latencies[row.second]!.push(s.latencyUs);
    } else countFailure(row.failures, s);
  }
  for (const row of rows) {
    const l = latencies[row.second]!;
    row.p99Us = l.length === 0 ? 0 : Math.round(quantile(l, 0.99));
  }
  const rowAt = (ms: number) => rows[Math.min(rows.length - 1, Math.max(0, Math.floor(ms / 1000)))]!;
  for (const a of input.attempts) if (a.appliedAtMs !== null) rowAt(a.appliedAtMs).faults.push(a.spec.expression);
  for (const e of input.events) rowAt(e.atMs).events.push(eventLabel(e));
  return rows;
}

/** 'model-a-primary restarted (down 412 ms)', 'redis-server exited (SIGKILL)'. */
function eventLabel(e: FaultSystemEvent): string {
  if (e.kind === 'restarted') return `${e.process} restarted${e.downMs === undefined ? '' : ` (down ${Math.round(e.downMs)} ms)`}`;
  if (e.kind === 'gave-up') return `${e.process} gave up (stays down)`;
  return `${e.process} exited`;
}

/** Whether the requests sent in [t, t + SPAN_MS) failed within the budget; undefined when none was sent then. */
function spanWithinBudget(samples: readonly FaultRunSample[], t: number, budget: number): boolean | undefined {
  let sent = 0;
  let failed = 0;
  for (const s of samples) {
    if (s.sentAtMs < t || s.sentAtMs >= t + SPAN_MS) continue;
    sent++;
    if (s.outcome !== 'success') failed++;
  }
  return sent === 0 ? undefined : failed <= budget * sent;
}

/**
 * From `from` to the start of the first span within the budget after the first one over it, searching spans
 * that start before `until` (and end in the window): 0 when none went over, null when none came back.
 */
export function recoveryAfter(samples: readonly FaultRunSample[], from: number, until: number, windowMs: number, budget: number): number | null {
  let overSeen = false;
  for (let t = from; t < until && t + SPAN_MS <= windowMs + 1e-9; t += STEP_MS) {
    const ok = spanWithinBudget(samples, t, budget);
    if (ok === undefined) continue;
    if (!ok) overSeen = true;
    else if (overSeen) return Math.round(t - from);
  }
  return overSeen ? null : 0;
}

/** The span a fault is charged with: from when it was applied to the next fault's time (or the end of the run). */
function intervalEnd(attempts: readonly FaultAttempt[], i: number): number {
  for (const next of attempts.slice(i + 1)) {
    const at = next.appliedAtMs ?? (next.state === 'errored' ? null : next.spec.atMs);
    if (at !== null) return at;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * The fault each restart (or give-up) is charged to: the latest fault applied before it that hit its process
 * (a part slow to come back is still the kill's, even after the next fault), else the fault whose span holds it.
 */
function eventOwners(events: readonly FaultSystemEvent[], attempts: readonly FaultAttempt[]): Map<FaultSystemEvent, number> {
  const owners = new Map<FaultSystemEvent, number>();
  for (const e of events) {
    if (e.kind === 'exited') continue;
    let byProcess = -1;
    let bySpan = -1;
    attempts.forEach((a, i) => {
      if (a.appliedAtMs === null || a.appliedAtMs > e.atMs) return;
      if (a.processes.some((p) => p.name === e.process)) byProcess = i;
      if (e.atMs < intervalEnd(attempts, i)) bySpan = i;
    });
    const owner = byProcess >= 0 ? byProcess : bySpan;
    if (owner >= 0) owners.set(e, owner);
  }
  return owners;
}

/** What each fault did: failures ending in its span, first failure, recovery, restarts, and the finding. */
export function faultOutcomes(input: FaultAnalysisInput): FaultOutcome[] {
  const attempts = [...input.attempts].sort((a, b) => (a.appliedAtMs ?? a.spec.atMs) - (b.appliedAtMs ?? b.spec.atMs));
  const owners = eventOwners(input.events, attempts);
  return attempts.map((a, i) => {
    const base: FaultOutcome = {
      ...a.spec,
      state: a.state,
      ...(a.reason === undefined ? {} : { reason: a.reason }),
      appliedAtMs: a.appliedAtMs,
      ...(a.untilMs === undefined ? {} : { untilMs: a.untilMs }),
      processes: a.processes,
      ...(a.how === undefined ? {} : { how: a.how }),
      intervalEndMs: null,
      requests: 0,
      failures: emptyFailures(),
      failureCodes: {},
      firstFailureMs: null,
      recoveryMs: null,
      recovered: false,
      restarts: [],
      finding: '',
    };
    if (a.appliedAtMs === null) return { ...base, finding: describeFault(base, input.windowMs) };
    const from = a.appliedAtMs;
    const end = intervalEnd(attempts, i);
    const charged = input.samples.filter((s) => s.endAtMs >= from && s.endAtMs < end);
    let first: number | null = null;
    for (const s of charged) {
      if (s.outcome === 'success') continue;
      countFailure(base.failures, s);
      const code = s.code ?? s.outcome;
      base.failureCodes[code] = (base.failureCodes[code] ?? 0) + 1;
      if (first === null || s.endAtMs < first) first = s.endAtMs;
    }
    const recoveryMs = recoveryAfter(input.samples, from, Math.min(end, input.windowMs), input.windowMs, input.errorBudget);
    const mine = input.events.filter((e) => owners.get(e) === i);
    const restarts: FaultRestart[] = mine
      .filter((e) => e.kind === 'restarted')
      .map((e) => ({ process: e.process, atMs: e.atMs, downMs: e.downMs ?? null, restarts: e.restarts }));
    const outcome: FaultOutcome = {
      ...base,
      intervalEndMs: Number.isFinite(end) ? end : null,
      requests: charged.length,
      firstFailureMs: first === null ? null : Math.round(first - from),
      recoveryMs,
      recovered: recoveryMs !== null,
      restarts,
    };
    const gaveUp = mine.filter((e) => e.kind === 'gave-up').map((e) => e.process);
    return { ...outcome, finding: describeFault(outcome, input.windowMs, gaveUp) };
  });
}
