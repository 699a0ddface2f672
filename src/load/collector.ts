// Collects a load-shaped run as it happens (configurations, runs, flags) and gives the data so far at any
// moment: summaries, the caller's verdicts (comparisons, goals) and the flags recomputed from the runs. The
// load suite and the experiments suite each fill one, so their results read the same way.

import { performance } from 'node:perf_hooks';
import { progress } from '../progress.js';
import type { Flag } from '../results/common.js';
import type { FdLimitInfo, LoadComparison, LoadConfiguration, LoadData, LoadGoal, LoadOptionsEcho, LoadRun } from '../results/load.js';
import { flagsFor, summarise } from './aggregate.js';
import { statedRules, type ValidityLimits } from './validity.js';

/** The comparisons and goals a run's data holds, from its runs so far (pure: called at every update). */
export type Verdicts = (runs: readonly LoadRun[]) => { comparisons: LoadComparison[]; goals: LoadGoal[] };

export interface CollectorHooks {
  signal?: AbortSignal;
  /** Called after every run with the data so far (to write partial results on interrupt). */
  onUpdate?: (data: LoadData) => void;
}

export class RunCollector {
  readonly data: LoadData;
  /** Flags raised outside the runs (skipped or failed configurations), before those the runs give. */
  private readonly flags: Flag[] = [];
  /** Configurations an interrupt left without a run, marked skipped ('interrupted') with their flags. */
  private readonly cutShort = new Map<LoadConfiguration, Flag>();

  constructor(
    head: { options: LoadOptionsEcho; limits: ValidityLimits; fdLimit: FdLimitInfo },
    private readonly verdicts: Verdicts,
    private readonly hooks: CollectorHooks,
    private readonly t0: number,
  ) {
    this.data = {
      options: head.options,
      validityRules: statedRules(head.limits),
      fdLimit: head.fdLimit,
      configurations: [],
      runs: [],
      summaries: [],
      ramps: [],
      stresses: [],
      comparisons: [],
      goals: [],
      flags: [],
      durationMs: 0,
      interrupted: false,
    };
    // The data as of the interrupt, at once: what a shutdown writes if the suite does not return in time.
    hooks.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly onAbort = (): void => this.update();

  /** A configuration, listed at once (its state is updated in place). */
  addConfiguration = (c: LoadConfiguration): LoadConfiguration => {
    this.data.configurations.push(c);
    return c;
  };

  addFlag = (f: Flag): void => {
    this.flags.push(f);
  };

  /** A finished run: into the data, a progress line, and the partial results to the caller. */
  addRun = (run: LoadRun): void => {
    this.data.runs.push(run);
    progress('load', describeRun(run));
    this.update();
  };

  /** The data so far, to the caller's onUpdate. */
  update(): void {
    this.hooks.onUpdate?.(this.derive());
  }

  /**
   * The finished data: everything derived from the runs, and a configuration that ran without one request
   * succeeding marked 'failed' (only now: the rounds skip a configuration whose state is not 'completed').
   */
  finish(): LoadData {
    const d = this.derive();
    for (const c of d.configurations) {
      const reason = c.state === 'completed' ? everyRequestFailed(d.runs.filter((r) => r.configId === c.id)) : undefined;
      if (reason === undefined) continue;
      c.state = 'failed';
      c.reason = reason;
    }
    return d;
  }

  /** The final data: the run is over, so a later interrupt (of a bench's next suite) no longer touches it. */
  done(): LoadData {
    this.hooks.signal?.removeEventListener('abort', this.onAbort);
    return this.finish();
  }

  /** The data so far, with everything derived from the runs recomputed. */
  private derive(): LoadData {
    const d = this.data;
    d.summaries = summarise(d.runs);
    const v = this.verdicts(d.runs);
    d.comparisons = v.comparisons;
    d.goals = v.goals;
    d.interrupted = this.hooks.signal?.aborted === true;
    if (d.interrupted) this.markCutShort();
    d.flags = [...this.flags, ...this.cutShort.values(), ...flagsFor(d.runs, d.summaries)];
    d.durationMs = Math.round(performance.now() - this.t0);
    return d;
  }

  /**
   * After an interrupt, a configuration that never ran is skipped ('interrupted'), never completed; one whose
   * run was under way at the interrupt (and finished early) is given back its state when that run arrives.
   */
  private markCutShort(): void {
    const ran = new Set(this.data.runs.map((r) => r.configId));
    for (const c of this.data.configurations) {
      if (c.state === 'completed' && !ran.has(c.id)) {
        c.state = 'skipped';
        c.reason = 'interrupted';
        this.cutShort.set(c, { subject: `load:${c.id}`, kind: 'skipped', message: 'interrupted before it ran' });
      } else if (this.cutShort.has(c) && ran.has(c.id)) {
        c.state = 'completed';
        delete c.reason;
        this.cutShort.delete(c);
      }
    }
  }
}

/** Why a configuration failed: it has completed runs and not one request of them succeeded (the failures named). */
function everyRequestFailed(runs: readonly LoadRun[]): string | undefined {
  const done = runs.filter((r) => r.state === 'completed');
  if (done.length === 0 || done.some((r) => r.requests.successes > 0)) return undefined;
  const failed = done.reduce((n, r) => n + r.failures.total, 0);
  if (failed === 0) return undefined;
  const codes = new Map<string, number>();
  for (const r of done) for (const [code, n] of Object.entries(r.failureCodes)) codes.set(code, (codes.get(code) ?? 0) + n);
  const named = [...codes]
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return `every request failed: ${failed} failures in ${done.length} run(s)${named === '' ? '' : ` (${named})`}, not one answer`;
}

/** One progress line per run. */
function describeRun(r: LoadRun): string {
  const head = `${r.configId} r${r.repeat} ${r.scenario} ${r.step.label}`;
  if (r.state === 'errored') return `${head}: errored: ${r.error.message}`;
  if (r.state === 'skipped') return `${head}: skipped: ${r.reason}`;
  const f = r.failures.total > 0 ? `, ${r.failures.total} failed` : '';
  const ll = r.littlesLaw !== undefined ? `, ${Math.round(r.littlesLaw.ratio * 100)}% of Little's law` : '';
  const broken = r.validity.rules.filter((x) => x.applies && !x.passed).map((x) => x.rule);
  const invalid = r.valid ? '' : ` [invalid: ${broken.join(', ')}]`;
  return `${head}: ${r.rps.toFixed(1)} rps, p50 ${fmtUs(r.latencyUs.p50)}, p99 ${fmtUs(r.latencyUs.p99)}${f}${ll}${invalid}`;
}

function fmtUs(us: number): string {
  if (us >= 1_000_000) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1000) return `${(us / 1000).toFixed(1)} ms`;
  return `${Math.round(us)} us`;
}
