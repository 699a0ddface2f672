// The fault schedule carried out on the window's clock: started when the measured window opens, each fault
// applied at its time through the system's fault hooks (a fault the system refuses is recorded, never
// thrown), and every time (fault, event) turned into ms from the window's start.

import { performance } from 'node:perf_hooks';
import { errorMessage } from '../errors.js';
import { progress } from '../progress.js';
import type { FaultSpec, FaultSystemEvent } from '../results/faults.js';
import type { FaultApplied, ServiceEvent, SystemFaults } from '../serving/index.js';
import { round1 } from '../stats/index.js';
import type { FaultAttempt } from './faults-analysis.js';

export class FaultClock {
  /** One per fault of the schedule, in its order; 'skipped' until applied. */
  readonly attempts: FaultAttempt[];
  /** Date.now() when the window opened: the events' and the hooks' epoch times are made relative to it. */
  private startEpochMs = 0;
  private startPerfMs = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly faults: SystemFaults,
    schedule: readonly FaultSpec[],
    private readonly windowMs: number,
  ) {
    this.attempts = schedule.map((spec) => ({ spec, state: 'skipped', reason: 'not reached', appliedAtMs: null, processes: [] }));
  }

  /** The window opened: every fault is timed from now. */
  start(): void {
    this.startEpochMs = Date.now();
    this.startPerfMs = performance.now();
    for (const a of this.attempts) {
      if (a.spec.atMs > this.windowMs) continue;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const p = this.apply(a).finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
      }, a.spec.atMs);
      this.timers.add(timer);
    }
  }

  private async apply(a: FaultAttempt): Promise<void> {
    const { action, target, durationMs = 0 } = a.spec;
    const askedAt = performance.now() - this.startPerfMs;
    let applied: FaultApplied;
    try {
      applied = await (action === 'kill'
        ? this.faults.kill(target)
        : action === 'pause'
          ? this.faults.pause(target, durationMs)
          : this.faults.hang(target, durationMs));
    } catch (err) {
      Object.assign(a, { state: 'errored', reason: errorMessage(err), appliedAtMs: null });
      return;
    }
    a.state = 'applied';
    delete a.reason;
    // The hook's own time (after the signal or the IPC went out), on the window's clock; never before it was asked for.
    a.appliedAtMs = round1(Math.max(askedAt, applied.atMs - this.startEpochMs));
    if (applied.untilMs !== undefined) a.untilMs = round1(applied.untilMs - this.startEpochMs);
    a.processes = applied.processes;
    a.how = applied.how;
    progress('load', `faults: ${a.spec.expression}: ${applied.how} (${applied.processes.map((p) => `${p.name} pid ${p.pid}`).join(', ')})`);
  }

  /** The run is over: faults not applied yet stay skipped, with why; those being applied are waited for. */
  async stop(interrupted: boolean): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.inFlight]);
    for (const a of this.attempts) {
      if (a.state !== 'skipped') continue;
      if (interrupted) a.reason = 'interrupted';
      else if (a.spec.atMs > this.windowMs) a.reason = 'after the end of the window (--duration)';
      else a.reason = this.startEpochMs === 0 ? 'the run ended before its window opened' : 'the run ended before its time';
    }
  }

  /** A system event on the window's clock. */
  event(e: ServiceEvent): FaultSystemEvent {
    return {
      atMs: round1(e.atMs - this.startEpochMs),
      service: e.service,
      process: e.process,
      kind: e.kind,
      pid: e.pid,
      ...(e.downMs === undefined ? {} : { downMs: Math.round(e.downMs) }),
      restarts: e.restarts,
      message: e.message,
    };
  }
}
