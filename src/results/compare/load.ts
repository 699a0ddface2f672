// The load suite compared (and the experiments, whose runs are load runs): steps paired by configuration id,
// scenario and step label. Throughput from the per-repeat rps when there are enough repeats for the exact
// test, else from the per-second rps of every repeat pooled; p50 and p99 from the pooled HDR histograms of
// all valid repeats (never the median of per-run percentiles); the noise floor from the per-second spread.

import type { LoadConfiguration, LoadData, LoadRun } from '../load.js';
import { type Floor, type FigureSpec, figure, pct } from './figure.js';
import { compareSamples, comparePooledQuantile, type Evidence, measuredSpread, rankTestCanReach } from './significance.js';
import type { ComparisonSection, FigureComparison, NotComparableReason } from './types.js';
import type { SectionContext } from './context.js';

type Reason = { kind: NotComparableReason; message: string };
type CompletedRun = Extract<LoadRun, { state: 'completed' }>;

/** The runs of one step on one side, and what they allow. */
interface Side {
  label: string;
  runs: LoadRun[];
  /** The repeats the figures come from: the valid ones (none when no repeat is valid). */
  used: CompletedRun[];
  /** Why this side cannot be compared at all, if so. */
  reason?: Reason;
  notes: string[];
}

const stepKey = (r: LoadRun) => `${r.configId}\u0000${r.scenario}\u0000${r.step.label}`;
const scenarioKey = (r: LoadRun) => `${r.configId}\u0000${r.scenario}`;

function sideOf(runs: LoadRun[], label: string, where: string, configs: readonly LoadConfiguration[], configId: string): Side {
  const side: Side = { label, runs, used: [], notes: [] };
  if (runs.length === 0) {
    const c = configs.find((x) => x.id === configId);
    const why = c?.state === 'errored' ? `: ${c.error?.message ?? 'errored'}` : c?.state === 'skipped' ? `: ${c.reason ?? 'skipped'}` : '';
    side.reason = { kind: c?.state === 'errored' ? 'errored' : 'missing', message: `not measured in the ${where}${why}` };
    return side;
  }
  const completed = runs.filter((r): r is CompletedRun => r.state === 'completed');
  side.used = completed.filter((r) => r.valid);
  const invalid = completed.length - side.used.length;
  if (completed.length === 0) {
    const first = runs[0]!;
    side.reason =
      first.state === 'errored'
        ? { kind: 'errored', message: `errored in the ${where}: ${first.error.message}` }
        : { kind: 'missing', message: `not run in the ${where}${first.state === 'skipped' ? `: ${first.reason}` : ''}` };
  } else if (side.used.length === 0) {
    side.reason = { kind: 'invalid-run', message: `invalid run in the ${where}: ${completed[0]!.validity.reasons.join('; ')}` };
  } else if (invalid > 0 || completed.length < runs.length) {
    side.notes.push(`${runs.length - side.used.length} of ${runs.length} repeats left out in the ${where} (invalid or failed)`);
  }
  return side;
}

/** The load each run applied, without the seed (a seed changes arrivals, not the load). */
function shapeOf(r: CompletedRun): string {
  const shape = r.load;
  if (shape.kind === 'open') return `open ${shape.rateRps}/s ${shape.arrivals}, max in flight ${shape.maxInFlight}`;
  return `closed c=${shape.connections}, pipelining ${shape.pipelining}, workers ${shape.workers}`;
}

function settingsReasons(a: Side, b: Side): { all: Reason[]; latency: Reason[] } {
  const all: string[] = [];
  const ra = a.used[0];
  const rb = b.used[0];
  if (ra === undefined || rb === undefined) return { all: [], latency: [] };
  if (a.label !== b.label) all.push(`step ${a.label} vs ${b.label}`);
  if (shapeOf(ra) !== shapeOf(rb)) all.push(`load ${shapeOf(ra)} vs ${shapeOf(rb)}`);
  const wa = ra.windowMs;
  const wb = rb.windowMs;
  if (Math.max(wa, wb) > 1.25 * Math.min(wa, wb)) all.push(`window ${(wa / 1000).toFixed(1)} s vs ${(wb / 1000).toFixed(1)} s`);
  if (ra.warmupMs !== rb.warmupMs) all.push(`warm-up ${ra.warmupMs} ms vs ${rb.warmupMs} ms`);
  const resA = ra.latencyResolution.resolutionUs;
  const resB = rb.latencyResolution.resolutionUs;
  const latency: Reason[] = resA === resB ? [] : [{ kind: 'different-settings', message: `different latency resolution (${resA} us vs ${resB} us)` }];
  return { all: all.length === 0 ? [] : [{ kind: 'different-settings', message: `different settings (${all.join(', ')})` }], latency };
}

function throughput(a: Side, b: Side, ctx: SectionContext): { evidence: Evidence | undefined; floor: Floor; tooFew?: string } {
  const { significance: alpha, seed } = ctx.options;
  const perRepeat = rankTestCanReach(a.used.length, b.used.length, alpha) && a.used.length >= 2 && b.used.length >= 2;
  if (perRepeat) {
    const sa = a.used.map((r) => r.rps);
    const sb = b.used.map((r) => r.rps);
    const spread = Math.max(measuredSpread(sa), measuredSpread(sb));
    const evidence = compareSamples(sa, sb, alpha, seed, 'per-repeat rps');
    return { evidence, floor: { minimum: ctx.options.noiseFloor, measured: { spread, source: `per-repeat rps spread ${pct(spread)}` } } };
  }
  // Too few repeats for the rank test to ever reach the level: every second of every repeat is a sample.
  const sa = a.used.flatMap((r) => r.rpsSeries);
  const sb = b.used.flatMap((r) => r.rpsSeries);
  const spread = Math.max(measuredSpread(sa), measuredSpread(sb));
  const evidence = compareSamples(sa, sb, alpha, seed, `per-second rps (${a.used.length} vs ${b.used.length} repeats pooled)`);
  const floor: Floor = { minimum: ctx.options.noiseFloor, measured: { spread, source: `per-second rps spread ${pct(spread)}` } };
  const tooFew = evidence === undefined ? `too few repeats (${sa.length} vs ${sb.length} whole seconds measured; two a side at least)` : undefined;
  return tooFew === undefined ? { evidence, floor } : { evidence, floor, tooFew };
}

function latency(a: Side, b: Side, q: number, ctx: SectionContext): { evidence: Evidence | undefined; floor: Floor; missing?: string } {
  const bins = (s: Side) => s.used.flatMap((r) => r.latencySeries.filter((x) => x.completed > 0).map((x) => (q === 0.5 ? x.p50Us : x.p99Us)));
  const spread = Math.max(measuredSpread(bins(a)), measuredSpread(bins(b)));
  const name = q === 0.5 ? 'p50' : 'p99';
  const floor: Floor = { minimum: ctx.options.noiseFloor, measured: { spread, source: `per-second ${name} spread ${pct(spread)}` } };
  const hist = (s: Side) => s.used.map((r) => r.latencyHistogramUs);
  const ha = hist(a);
  const hb = hist(b);
  if (ha.some((h) => h === undefined) || hb.some((h) => h === undefined)) {
    return { evidence: undefined, floor, missing: 'no latency histogram in some repeats (autocannon worker mode keeps none)' };
  }
  return { evidence: comparePooledQuantile(ha as string[], hb as string[], q, ctx.options.significance), floor };
}

function stepFigures(subject: string, a: Side, b: Side, ctx: SectionContext): FigureComparison[] {
  const sideReasons = [a.reason, b.reason].filter((r): r is Reason => r !== undefined);
  const settings = settingsReasons(a, b);
  const shared = [...ctx.hostReasons, ...sideReasons, ...settings.all];
  const notes = [...a.notes, ...b.notes];
  const comparable = sideReasons.length === 0;
  const med = (s: Side, f: (r: CompletedRun) => number) => (s.used.length === 0 ? null : [...s.used.map(f)].sort((x, y) => x - y)[(s.used.length - 1) >> 1]!);
  const spec = (metric: string, unit: string, better: 'higher' | 'lower', f: (r: CompletedRun) => number): FigureSpec => ({
    subject,
    metric,
    unit,
    better,
    speed: true,
    base: med(a, f),
    new: med(b, f),
  });
  const rps = throughput(a, b, ctx);
  const rpsReasons = [...shared, ...(comparable && rps.tooFew !== undefined ? [{ kind: 'too-few-repeats' as const, message: rps.tooFew }] : [])];
  const out = [
    figure(
      spec('rps', 'requests/s', 'higher', (r) => r.rps),
      comparable ? rps.evidence : undefined,
      rps.floor,
      rpsReasons,
      notes,
    ),
  ];
  for (const [q, metric] of [
    [0.5, 'p50'],
    [0.99, 'p99'],
  ] as const) {
    const l = comparable ? latency(a, b, q, ctx) : undefined;
    const reasons = [...shared, ...settings.latency, ...(l?.missing === undefined ? [] : [{ kind: 'missing' as const, message: l.missing }])];
    const f = (r: CompletedRun) => (q === 0.5 ? r.latencyUs.p50 : r.latencyUs.p99);
    out.push(figure(spec(metric, 'us', 'lower', f), l?.evidence, l?.floor ?? { minimum: ctx.options.noiseFloor }, reasons, notes));
  }
  return out;
}

function groupBy(runs: readonly LoadRun[], key: (r: LoadRun) => string): Map<string, LoadRun[]> {
  const m = new Map<string, LoadRun[]>();
  for (const r of runs) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
}

/**
 * Steps paired by label; a scenario left with exactly one unpaired step on each side (a sustained step held
 * at each run's own breaking point) is paired too, as different settings, so the reader sees both figures.
 */
function pairSteps(base: LoadData, next: LoadData): [LoadRun[], LoadRun[]][] {
  const a = groupBy(base.runs, stepKey);
  const b = groupBy(next.runs, stepKey);
  const pairs: [LoadRun[], LoadRun[]][] = [];
  const onlyA = new Map<string, string[]>();
  const onlyB = new Map<string, string[]>();
  for (const [k, runs] of a) {
    if (b.has(k)) pairs.push([runs, b.get(k)!]);
    else onlyA.set(scenarioKey(runs[0]!), [...(onlyA.get(scenarioKey(runs[0]!)) ?? []), k]);
  }
  for (const [k, runs] of b) if (!a.has(k)) onlyB.set(scenarioKey(runs[0]!), [...(onlyB.get(scenarioKey(runs[0]!)) ?? []), k]);
  for (const [sk, ka] of onlyA) {
    const kb = onlyB.get(sk);
    if (ka.length === 1 && kb?.length === 1) {
      pairs.push([a.get(ka[0]!)!, b.get(kb[0]!)!]);
      onlyB.delete(sk);
    } else for (const k of ka) pairs.push([a.get(k)!, []]);
  }
  for (const kb of onlyB.values()) for (const k of kb) pairs.push([[], b.get(k)!]);
  return pairs;
}

/** Every step of the two runs compared: rps, p50 and p99. */
export function compareLoad(base: LoadData, next: LoadData, ctx: SectionContext, suite: 'load' | 'experiments' = 'load'): ComparisonSection {
  const figures: FigureComparison[] = [];
  for (const [ra, rb] of pairSteps(base, next)) {
    const first = (ra[0] ?? rb[0])!;
    const la = ra[0]?.step.label ?? first.step.label;
    const lb = rb[0]?.step.label ?? first.step.label;
    const subject = `${first.configId} ${first.scenario} ${la === lb ? la : `${la} / ${lb}`}`;
    const a = sideOf(ra, la, 'baseline', base.configurations, first.configId);
    const b = sideOf(rb, lb, 'new run', next.configurations, first.configId);
    figures.push(...stepFigures(subject, a, b, ctx));
  }
  const notes: string[] = [];
  const urls = (d: LoadData) => d.configurations.filter((c) => c.id === 'target' && c.url !== undefined).map((c) => c.url);
  const [ua, ub] = [urls(base)[0], urls(next)[0]];
  if (ua !== undefined && ub !== undefined && ua !== ub) notes.push(`target URL: ${ua} vs ${ub}`);
  if (base.options.engine !== next.options.engine) notes.push(`engine: ${base.options.engine} vs ${next.options.engine}`);
  if (base.options.repeats !== next.options.repeats) notes.push(`repeats: ${base.options.repeats} vs ${next.options.repeats}`);
  if (base.interrupted || next.interrupted) notes.push('an interrupted run: only what finished is compared');
  return { suite, figures, notes };
}
