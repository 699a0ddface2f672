// The open loop's scheduler: arrivals come in on their schedule whatever the server does; each is sent at
// once, or queued while `maxInFlight` requests are outstanding (its wait counted as a late send, caused by
// the in-flight bound; a send late for any other reason is the generator's own). It also keeps the measured
// window: its start after the warm-up, its end (earlier on abort), the generator meter and the hooks
// around it, and when the window's requests have all settled.

import { performance } from 'node:perf_hooks';
import type { GeneratorFacts } from '../../results/load.js';
import type { ArrivalSchedule } from '../arrivals.js';
import { startGeneratorMeter, type GeneratorMeter } from './generator-meter.js';

/** One arrival. */
export interface Pending {
  /** Scheduled send time (performance.now() clock). */
  at: number;
  /** Scheduled inside the measured window (warm-up arrivals are sent but not measured). */
  measured: boolean;
}

export interface SchedulerOptions {
  schedule: ArrivalSchedule;
  warmupMs: number;
  /** The measured window, after the warm-up, ms. */
  durationMs: number;
  maxInFlight: number;
  /** A send later than this after its scheduled time counts as late. */
  toleranceUs: number;
  /** Send one request now; call settle(p) when it is over. */
  send(p: Pending): void;
  onWindowStart?: () => void;
  onWindowEnd?: () => void;
}

export class OpenLoopScheduler {
  readonly t0 = performance.now();
  readonly windowStart: number;
  /** Set back to the abort's time when the run is stopped early. */
  windowEnd: number;
  scheduledInWindow = 0;
  peakInFlight = 0;
  readonly late = { total: 0, inFlightBound: 0, generator: 0 };
  /** Resolves once the window has ended. */
  readonly windowDone: Promise<void>;
  /** Resolves once no request of the window is outstanding (after scheduling stopped). */
  readonly drained: Promise<void>;

  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private measuredOutstanding = 0;
  private nextAt: number;
  private scheduling = true;
  private started = false;
  private windowStarted = false;
  private windowEnded = false;
  private timer: NodeJS.Timeout | undefined;
  private meter: GeneratorMeter | undefined;
  private resolveWindow!: () => void;
  private resolveDrained!: () => void;

  constructor(private readonly o: SchedulerOptions) {
    this.windowStart = this.t0 + o.warmupMs;
    this.windowEnd = this.windowStart + o.durationMs;
    this.nextAt = this.t0 + o.schedule.next();
    this.windowDone = new Promise((resolve) => (this.resolveWindow = resolve));
    this.drained = new Promise((resolve) => (this.resolveDrained = resolve));
  }

  /** Requests of the window not yet settled. */
  get outstanding(): number {
    return this.measuredOutstanding;
  }

  start(): void {
    this.started = true;
    this.pump();
  }

  /** Stop scheduling now: the window ends here (an abort). */
  stop(): void {
    this.windowEnd = Math.min(this.windowEnd, performance.now());
    this.scheduling = false;
    if (!this.started) return;
    this.clearTimer();
    this.pump();
  }

  /** A request is over (answered, failed or timed out): the next queued arrivals go out. */
  settle(p: Pending): void {
    this.inFlight--;
    if (p.measured) this.measuredOutstanding--;
    while (this.queue.length > 0 && this.inFlight < this.o.maxInFlight) this.dispatch(this.queue.shift()!, true);
    if (!this.scheduling && this.measuredOutstanding === 0) this.resolveDrained();
  }

  /** The arrivals still queued behind the in-flight bound, taken out (the run is over). */
  takeQueued(): Pending[] {
    return this.queue.splice(0);
  }

  clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The generator's own load over the window. */
  generator(): GeneratorFacts {
    return (this.meter ?? startGeneratorMeter('open', 1)).stop();
  }

  private dispatch(p: Pending, fromQueue: boolean): void {
    if (p.measured) {
      const lateUs = (performance.now() - p.at) * 1000;
      if (lateUs > this.o.toleranceUs) {
        this.late.total++;
        if (fromQueue) this.late.inFlightBound++;
        else this.late.generator++;
      }
    }
    this.inFlight++;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
    this.o.send(p);
  }

  // Every due arrival is sent (or queued behind the in-flight bound) at once; the timer then sleeps until
  // the next one is due. A late timer makes sends late, and that lateness is part of each latency (timed
  // from the schedule), so a busy generator can only make figures worse, never better.
  private pump = (): void => {
    this.timer = undefined;
    let now = performance.now();
    // The window's start hooks (server sampling) run after this tick's sends, so they never delay one.
    const crossing = !this.windowStarted && now >= this.windowStart;
    if (this.scheduling && now >= this.windowEnd) this.scheduling = false;
    now = this.sendDue(now);
    if (crossing) this.startWindow();
    if (!this.scheduling) {
      if (now >= this.windowEnd) this.endWindow();
      else this.timer = setTimeout(this.pump, Math.max(0, Math.ceil(this.windowEnd - now)));
      if (this.measuredOutstanding === 0) this.resolveDrained();
      return;
    }
    const wake = Math.min(this.nextAt, this.windowStarted ? this.windowEnd : this.windowStart);
    this.timer = setTimeout(this.pump, Math.max(0, Math.floor(wake - now)));
  };

  /** Send (or queue) every arrival due by `now`; returns the time after. */
  private sendDue(now: number): number {
    while (this.scheduling && this.nextAt <= now) {
      if (this.nextAt >= this.windowEnd) {
        this.scheduling = false;
        break;
      }
      const measured = this.nextAt >= this.windowStart;
      if (measured) {
        this.scheduledInWindow++;
        this.measuredOutstanding++;
      }
      const p: Pending = { at: this.nextAt, measured };
      if (this.inFlight < this.o.maxInFlight && this.queue.length === 0) this.dispatch(p, false);
      else this.queue.push(p);
      this.nextAt = this.t0 + this.o.schedule.next();
      now = performance.now();
    }
    return now;
  }

  private startWindow(): void {
    if (this.windowStarted) return;
    this.windowStarted = true;
    this.meter = startGeneratorMeter('open', 1);
    this.o.onWindowStart?.();
  }

  private endWindow(): void {
    if (this.windowEnded) return;
    this.windowEnded = true;
    this.startWindow();
    this.meter?.stop();
    this.o.onWindowEnd?.();
    this.resolveWindow();
  }
}
