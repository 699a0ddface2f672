// The scaling experiment's figures and finding, from its runs (pure): per server count, the median rps, p99
// and failure rate over the valid repeats, the CPU of every role's processes, the cores busy; the efficiency
// of each step against linear scaling (rps(k) / ((k / k0) x rps(k0))); whether each step paid (it added at
// least a set share of the linear gain); and a finding naming where adding servers stops paying on this host
// and what the limit is: the cores (system and generator together near the host's cores), one process (a
// process near a whole core), or not the CPU at all.

import { spreadOf } from '../load/aggregate.js';
import type { LoadRun } from '../results/load.js';
import type { ScalingLimit, ScalingResult, ScalingRoleCpu, ScalingStep, ScalingSweep, ScalingSweepKind } from '../results/scaling.js';
import { median, round1, round3 } from '../stats/index.js';
import type { ScalingScenario } from './scaling-types.js';

/** One sweep to run: its kind and server counts, ascending. */
export interface SweepPlan {
  kind: ScalingSweepKind;
  counts: number[];
}

type Completed = Extract<LoadRun, { state: 'completed' }>;

/** e.g. 'scaling/queue/w2/cpu', 'scaling/nginx/r4/cpu'. */
export function scalingConfigId(kind: ScalingSweepKind, servers: number, predict: string): string {
  return kind === 'queue' ? `scaling/queue/w${servers}/${predict}` : `scaling/nginx/r${servers}/${predict}`;
}

const UNITS: Record<ScalingSweepKind, { unit: string; units: string; description: string }> = {
  queue: { unit: 'model worker', units: 'model workers', description: 'queue path: model workers behind the Redis list' },
  replicas: {
    unit: 'replica',
    units: 'replicas of each model service',
    description: 'model-server replicas of each model service behind nginx (the scoring handler stays one process)',
  },
};

/** The CPU of each role in one run: its processes, mean per process and total, % of one core. */
function runRoles(r: Completed): Map<string, number[]> {
  const roles = new Map<string, number[]>();
  for (const p of r.servers) {
    if (p.cpuPercent === null) continue;
    const list = roles.get(p.role) ?? [];
    list.push(p.cpuPercent.mean);
    roles.set(p.role, list);
  }
  return roles;
}

/** Each role's CPU over the repeats (medians), busiest roles first. */
function roleCpu(runs: readonly Completed[]): ScalingRoleCpu[] {
  const byRole = new Map<string, { processes: number[]; per: number[]; total: number[] }>();
  for (const r of runs) {
    for (const [role, cpus] of runRoles(r)) {
      const g = byRole.get(role) ?? { processes: [], per: [], total: [] };
      const total = cpus.reduce((a, b) => a + b, 0);
      g.processes.push(cpus.length);
      g.per.push(total / cpus.length);
      g.total.push(total);
      byRole.set(role, g);
    }
  }
  return [...byRole.entries()]
    .map(([role, g]) => ({ role, processes: Math.round(median(g.processes)), perProcessPercent: round1(median(g.per)), totalPercent: round1(median(g.total)) }))
    .sort((a, b) => b.totalPercent - a.totalPercent);
}

/** The runs a result is made of, with each run's whole-host busy cores (by run id) where they were read. */
interface MeasuredRuns {
  runs: readonly LoadRun[];
  hostBusy: ReadonlyMap<string, number>;
}

/** One step's figures over its repeats (the valid ones; all completed ones when none is valid). */
function stepFigures(kind: ScalingSweepKind, servers: number, predict: string, m: MeasuredRuns): Omit<ScalingStep, 'efficiency' | 'marginalGain' | 'paid'> {
  const { runs, hostBusy } = m;
  const configId = scalingConfigId(kind, servers, predict);
  const completed = runs.filter((r): r is Completed => r.configId === configId && r.state === 'completed');
  const valid = completed.filter((r) => r.valid);
  const basis = valid.length > 0 ? valid : completed;
  const system = basis.map((r) => r.servers.reduce((a, p) => a + (p.cpuPercent?.mean ?? 0), 0) / 100);
  const host = basis.flatMap((r) => {
    const cores = hostBusy.get(r.id);
    return cores === undefined ? [] : [cores];
  });
  return {
    configId,
    servers,
    validRepeats: valid.length,
    rps: spreadOf(
      basis.map((r) => r.rps),
      'requests/s',
    ),
    latencyP99Us: spreadOf(
      basis.map((r) => r.latencyUs.p99),
      'us',
    ),
    failureRate: spreadOf(
      basis.map((r) => (r.requests.successes + r.failures.total === 0 ? 0 : r.failures.total / (r.requests.successes + r.failures.total))),
      'fraction',
    ),
    cpu: roleCpu(basis),
    systemCores: basis.length === 0 ? null : round3(median(system)),
    generatorCores: basis.length === 0 ? null : round3(median(basis.map((r) => r.generator.cpuCores))),
    hostBusyCores: host.length === 0 ? null : round3(median(host)),
  };
}

/** Efficiency against linear, and the gain over the step before as a share of the linear gain. */
function withEfficiency(steps: Omit<ScalingStep, 'efficiency' | 'marginalGain' | 'paid'>[], paysAbove: number): ScalingStep[] {
  const first = steps[0];
  const rpsOf = (s: { rps: { median: number } }) => (Number.isFinite(s.rps.median) && s.rps.median > 0 ? s.rps.median : undefined);
  return steps.map((s, i) => {
    const base = first === undefined ? undefined : rpsOf(first);
    const rps = rpsOf(s);
    const efficiency = base === undefined || rps === undefined ? null : round3(rps / ((s.servers / first!.servers) * base));
    const prev = i === 0 ? undefined : steps[i - 1]!;
    const prevRps = prev === undefined ? undefined : rpsOf(prev);
    const marginalGain = prev === undefined || prevRps === undefined || rps === undefined ? null : round3((rps / prevRps - 1) / (s.servers / prev.servers - 1));
    return { ...s, efficiency, marginalGain, paid: marginalGain === null ? null : marginalGain >= paysAbove };
  });
}

const x = (v: number) => `${v.toFixed(2)}x`;

/** The CPU per process of a step, e.g. 'model-worker 2 x 61%, scoring 1 x 38%'. */
function cpuLine(s: ScalingStep): string {
  return s.cpu.map((c) => `${c.role} ${c.processes} x ${Math.round(c.perProcessPercent)}%`).join(', ');
}

/** The cores busy in a step, in words: the whole host's when read, split into ours and the other processes'. */
function coresLine(s: ScalingStep, hostCores: number): { busy: number; text: string } {
  const ours = s.systemCores! + s.generatorCores!;
  const split = `${s.systemCores!.toFixed(2)} by the system's processes, ${s.generatorCores!.toFixed(2)} by the load generator`;
  if (s.hostBusyCores === null) return { busy: ours, text: `${ours.toFixed(2)} of the host's ${hostCores} cores were busy (${split})` };
  const others = Math.max(0, s.hostBusyCores - ours);
  return {
    busy: Math.max(ours, s.hostBusyCores),
    text: `${s.hostBusyCores.toFixed(2)} of the host's ${hostCores} cores were busy (${split}, ${others.toFixed(2)} by other processes on the host)`,
  };
}

/** What limited the step: the cores, one process, or not the CPU; and the sentence that says so. */
function limitAt(s: ScalingStep, def: ScalingScenario, hostCores: number, connections: number): { limit: ScalingLimit; text: string } {
  if (s.systemCores === null || s.generatorCores === null) return { limit: 'unknown', text: 'No CPU figures were sampled, so the limit is not known.' };
  const { busy, text: cores } = coresLine(s, hostCores);
  const perProcess = s.cpu.length === 0 ? '' : `; CPU per process (% of one core): ${cpuLine(s)}`;
  if (busy >= def.coresBusyAbove * hostCores) {
    const more = `more ${s.servers > 1 ? 'servers' : 'of them'} only share the same ${hostCores} cores`;
    return { limit: 'cores', text: `Cores are the limit: at ${s.servers}, ${cores}; ${more}${perProcess}.` };
  }
  const busiest = [...s.cpu].sort((a, b) => b.perProcessPercent - a.perProcessPercent)[0];
  if (busiest !== undefined && busiest.perProcessPercent >= def.processBusyAbove * 100) {
    const one = `${busiest.role} at ${Math.round(busiest.perProcessPercent)}% of a core`;
    return { limit: 'one-process', text: `One process is the limit, not the cores: ${one} at ${s.servers}, while ${cores}${perProcess}.` };
  }
  return {
    limit: 'not-cpu',
    text:
      `Not the CPU: at ${s.servers}, ${cores} and no process is near a whole core${perProcess}; ` +
      `the requests wait elsewhere (the predict's own wait, the queue, or the ${connections} connections bounding the load).`,
  };
}

/** Above this efficiency, with other processes busy on the host, the gain is read as CPU taken from them. */
const ABOVE_LINEAR = 1.15;
/** Other processes' busy cores from which the host counts as shared. */
const OTHERS_BUSY = 0.25;

/**
 * Above-linear steps on a host others use: the scheduler shares the cores between runnable threads, so more
 * server processes take a larger share from the other tenants; that gain is taken, not made.
 */
function sharedHostNote(steps: readonly ScalingStep[]): string {
  const taken = steps.filter((s) => {
    if (s.efficiency === null || s.efficiency < ABOVE_LINEAR || s.hostBusyCores === null || s.systemCores === null || s.generatorCores === null) return false;
    return s.hostBusyCores - s.systemCores - s.generatorCores >= OTHERS_BUSY;
  });
  if (taken.length === 0) return '';
  const at = taken.map((s) => `${s.servers} (${s.efficiency!.toFixed(2)})`).join(', ');
  return (
    `Above linear at ${at} while other processes kept the host busy: the cores are shared between runnable processes, so more ` +
    'servers take a larger share of them from the other tenants; that gain is taken from them, not made, and would not hold on a quiet host.'
  );
}

/** Where adding servers stops paying (the first step that did not), or that every step paid. */
function sweepFinding(steps: readonly ScalingStep[], kind: ScalingSweepKind, def: ScalingScenario, hostCores: number, connections: number) {
  const { units } = UNITS[kind];
  const measured = steps.filter((s) => Number.isFinite(s.rps.median) && s.rps.median > 0);
  if (measured.length < 2) {
    return { stopsPayingAt: null, limit: 'unknown' as const, finding: `Fewer than two server counts were measured, so there is no scaling to judge.` };
  }
  const stop = steps.find((s) => s.paid === false);
  const at = stop ?? measured[measured.length - 1]!;
  const prev = steps[steps.indexOf(at) - 1];
  const { limit, text } = limitAt(at, def, hostCores, connections);
  const ratio = prev === undefined ? 1 : at.rps.median / prev.rps.median;
  const linear = prev === undefined ? 1 : at.servers / prev.servers;
  const efficiency = at.efficiency === null ? '' : `; efficiency against linear ${at.efficiency.toFixed(2)}`;
  const step = prev === undefined ? '' : `from ${prev.servers} to ${at.servers} ${units}, throughput went ${x(ratio)} (linear: ${x(linear)})${efficiency}`;
  const head =
    stop !== undefined
      ? `Adding ${units} stops paying at ${at.servers} on this host: ${step}, under ${Math.round(def.paysAbove * 100)}% of the linear gain.`
      : `Adding ${units} still paid up to ${at.servers} (${step}): no ceiling within ${steps.map((s) => s.servers).join(', ')} on this host.`;
  return { stopsPayingAt: stop?.servers ?? null, limit, finding: [head, text, sharedHostNote(steps)].filter((t) => t !== '').join(' ') };
}

function sweepResult(plan: SweepPlan, def: ScalingScenario, runs: MeasuredRuns, hostCores: number, connections: number, skipped?: string): ScalingSweep {
  const { unit, description } = UNITS[plan.kind];
  const base = { kind: plan.kind, description, serverUnit: unit, counts: plan.counts };
  if (skipped !== undefined) return { ...base, steps: [], stopsPayingAt: null, limit: 'unknown', finding: `Not run: ${skipped}.`, skipped };
  const steps = withEfficiency(
    plan.counts.map((k) => stepFigures(plan.kind, k, def.predict, runs)),
    def.paysAbove,
  );
  return { ...base, steps, ...sweepFinding(steps, plan.kind, def, hostCores, connections) };
}

/** The experiment's result from its runs. */
export function scalingResult(
  def: ScalingScenario,
  o: MeasuredRuns & { sweeps: readonly SweepPlan[]; connections: number; hostCores: number; skipped: ReadonlyMap<ScalingSweepKind, string> },
): ScalingResult {
  return {
    description: def.description,
    predict: def.predict,
    ...(def.predict === 'cpu' ? { n: def.n } : {}),
    connections: o.connections,
    paysAbove: def.paysAbove,
    coresBusyAbove: def.coresBusyAbove,
    hostCores: o.hostCores,
    sweeps: o.sweeps.map((p) => sweepResult(p, def, o, o.hostCores, o.connections, o.skipped.get(p.kind))),
  };
}
