// The stated validity rules: every run is marked valid or not, with the failed rules named. A run that
// fails a rule keeps its figures (nothing is hidden); summaries use the valid repeats.

import type { RunValidity, ValidityRuleName, ValidityRuleResult } from '../results/load.js';

export interface ValidityLimits {
  /** Shortest measured window, ms. @default 1000 */
  minDurationMs: number;
  /** Fewest completed requests (successes + non-2xx) in the window. @default 20 */
  minRequests: number;
  /** Shortest warm-up run before the window and excluded from it, ms. @default 200 */
  minWarmupMs: number;
  /** Highest generator CPU use, as a fraction of the cores it can use (its threads). @default 0.9 */
  maxGeneratorCpuFraction: number;
  /** Open loop: highest share of sends made late by the generator itself (not by the in-flight bound). @default 0.01 */
  maxGeneratorLateFraction: number;
  /** Highest share of failed requests. @default 0.01 */
  errorBudget: number;
}

export const DEFAULT_VALIDITY_LIMITS: ValidityLimits = {
  minDurationMs: 1000,
  minRequests: 20,
  minWarmupMs: 200,
  maxGeneratorCpuFraction: 0.9,
  maxGeneratorLateFraction: 0.01,
  errorBudget: 0.01,
};

/** The facts of one run the rules read. */
export interface ValidityFacts {
  windowMs: number;
  warmupMs: number;
  /** Complete responses (2xx or not). */
  completed: number;
  successes: number;
  /** Failed requests of every kind (non-2xx responses included). */
  failures: number;
  generatorCpuCores: number;
  generatorThreads: number;
  /**
   * Event-loop utilization of the generator's main thread: a single-threaded generator can be saturated
   * (reconnect storms, thousands of sockets) while its CPU time stays under one core. @default 0
   */
  generatorEventLoopUtilization?: number;
  /** Open loop only. */
  open?: { scheduled: number; lateByGenerator: number };
}

const RULE_DESCRIPTIONS: Record<ValidityRuleName, (l: ValidityLimits) => { limit: number; description: string }> = {
  'min-duration': (l) => ({ limit: l.minDurationMs, description: `the measured window lasts at least ${l.minDurationMs} ms` }),
  'min-requests': (l) => ({ limit: l.minRequests, description: `at least ${l.minRequests} requests complete in the window` }),
  'warm-up-excluded': (l) => ({ limit: l.minWarmupMs, description: `a warm-up of at least ${l.minWarmupMs} ms ran first and is excluded from every figure` }),
  'generator-cpu': (l) => ({
    limit: l.maxGeneratorCpuFraction,
    description:
      `the load generator used under ${Math.round(l.maxGeneratorCpuFraction * 100)}% of the CPU it can use, ` +
      `and its main thread's event loop was busy under ${Math.round(l.maxGeneratorCpuFraction * 100)}% of the time ` +
      '(else it, not the server, may be the bottleneck)',
  }),
  'generator-on-time': (l) => ({
    limit: l.maxGeneratorLateFraction,
    description: `open loop: at most ${pct(l.maxGeneratorLateFraction)} of sends (or 2) were late because the generator itself was busy`,
  }),
  'error-budget': (l) => ({ limit: l.errorBudget, description: `at most ${pct(l.errorBudget)} of requests failed` }),
};

/** The rules with their limits, for the results file. */
export function statedRules(limits: ValidityLimits): { rule: ValidityRuleName; limit: number; description: string }[] {
  return (Object.keys(RULE_DESCRIPTIONS) as ValidityRuleName[]).map((rule) => ({ rule, ...RULE_DESCRIPTIONS[rule](limits) }));
}

/**
 * Check one run against the rules. `skip` names rules that do not apply to it (e.g. the error budget in the
 * overload step of a stress test, where failures are what is being measured); they are listed, not applied.
 */
export function checkValidity(facts: ValidityFacts, limits: ValidityLimits = DEFAULT_VALIDITY_LIMITS, skip: readonly ValidityRuleName[] = []): RunValidity {
  const rules: ValidityRuleResult[] = [];
  const add = (rule: ValidityRuleName, applies: boolean, passed: boolean, measured: number, limit: number, message: string) => {
    const skipped = skip.includes(rule);
    rules.push({ rule, applies: applies && !skipped, passed: !applies || skipped || passed, measured, limit, message });
  };
  add(
    'min-duration',
    true,
    facts.windowMs >= limits.minDurationMs,
    round(facts.windowMs),
    limits.minDurationMs,
    `window ${Math.round(facts.windowMs)} ms < ${limits.minDurationMs} ms`,
  );
  add(
    'min-requests',
    true,
    facts.completed >= limits.minRequests,
    facts.completed,
    limits.minRequests,
    `${facts.completed} requests completed < ${limits.minRequests}`,
  );
  add(
    'warm-up-excluded',
    true,
    facts.warmupMs >= limits.minWarmupMs,
    facts.warmupMs,
    limits.minWarmupMs,
    `warm-up ${facts.warmupMs} ms < ${limits.minWarmupMs} ms`,
  );
  const threads = Math.max(1, facts.generatorThreads);
  const cpuFraction = facts.generatorCpuCores / threads;
  const elu = facts.generatorEventLoopUtilization ?? 0;
  const busiest = Math.max(cpuFraction, elu);
  add(
    'generator-cpu',
    true,
    busiest < limits.maxGeneratorCpuFraction,
    round(busiest),
    limits.maxGeneratorCpuFraction,
    `load generator saturated: ${facts.generatorCpuCores.toFixed(2)} cores busy of ${threads}, ` +
      `main event loop busy ${Math.round(elu * 100)}% of the time (limit ${Math.round(limits.maxGeneratorCpuFraction * 100)}%)`,
  );
  const lateFraction = facts.open === undefined || facts.open.scheduled === 0 ? 0 : facts.open.lateByGenerator / facts.open.scheduled;
  add(
    'generator-on-time',
    facts.open !== undefined,
    // A couple of late sends (a GC pause) do not condemn a short, slow run.
    lateFraction <= limits.maxGeneratorLateFraction || (facts.open?.lateByGenerator ?? 0) <= 2,
    round(lateFraction),
    limits.maxGeneratorLateFraction,
    `${pct(lateFraction)} of sends late because the generator was busy (> ${pct(limits.maxGeneratorLateFraction)})`,
  );
  const attempted = facts.successes + facts.failures;
  const failureRate = attempted === 0 ? 0 : facts.failures / attempted;
  add(
    'error-budget',
    true,
    failureRate <= limits.errorBudget,
    round(failureRate),
    limits.errorBudget,
    `${pct(failureRate)} of requests failed (> ${pct(limits.errorBudget)})`,
  );
  const failed = rules.filter((r) => r.applies && !r.passed);
  return { valid: failed.length === 0, reasons: failed.map((r) => `${r.rule}: ${r.message}`), rules };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}
function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
