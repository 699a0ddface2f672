// Profile summaries compared: cases paired by id, summaries by source and process role (pids differ from run
// to run), and within each the share of every frame group, as a difference in fraction points tested as two
// proportions of the CPU samples. The profiled load's throughput is shown beside, with no test: one run a side.

import { normalCdf } from '../../stats/index.js';
import type { ProfileCase, ProfileData, ProfileSummary } from '../profile.js';
import { FRAME_GROUPS } from '../profile.js';
import { figure } from './figure.js';
import { type Evidence, zFor } from './significance.js';
import type { ComparisonSection, FigureComparison, NotComparableReason } from './types.js';
import type { SectionContext } from './context.js';

type Reason = { kind: NotComparableReason; message: string };
type Completed = Extract<ProfileCase, { state: 'completed' }>;

/** 'scoring pid 1234' -> 'scoring': the process's role, the same from run to run. */
function roleOf(s: ProfileSummary): string {
  return `${s.source} ${s.process.replace(/\s*pids?\s+[\d, ]+/g, '').trim()}`;
}

/** Two proportions (a share of CPU samples on each side): the difference in points, its interval and z test. */
function shareEvidence(a: ProfileSummary, b: ProfileSummary, weightA: number, weightB: number, alpha: number): Evidence {
  const p1 = weightA / a.total;
  const p2 = weightB / b.total;
  const pooled = (weightA + weightB) / (a.total + b.total);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / a.total + 1 / b.total));
  const p = se0 === 0 ? (p1 === p2 ? 1 : 0) : 2 * (1 - normalCdf(Math.abs(p2 - p1) / se0));
  const half = zFor(alpha) * Math.sqrt((p1 * (1 - p1)) / a.total + (p2 * (1 - p2)) / b.total);
  return {
    base: p1,
    new: p2,
    change: p2 - p1,
    interval: { low: p2 - p1 - half, high: p2 - p1 + half, confidence: 1 - alpha },
    test: { method: 'two-proportions', samples: `${a.total} vs ${b.total} samples`, sampleCounts: [a.total, b.total], p, significant: p <= alpha },
  };
}

function summaryFigures(subject: string, a: ProfileSummary, b: ProfileSummary, reasons: Reason[], ctx: SectionContext): FigureComparison[] {
  const out: FigureComparison[] = [];
  const weights = (s: ProfileSummary) => new Map(s.groups.map((g) => [g.group, g.weight]));
  const wa = weights(a);
  const wb = weights(b);
  for (const group of FRAME_GROUPS) {
    const ga = wa.get(group) ?? 0;
    const gb = wb.get(group) ?? 0;
    if (ga === 0 && gb === 0) continue;
    const counted = a.unit === 'samples' && b.unit === 'samples' && a.total > 0 && b.total > 0;
    const own: Reason[] = counted ? [] : [{ kind: 'too-few-repeats', message: 'shares of sampled bytes: no sample count to test them on' }];
    const evidence = counted ? shareEvidence(a, b, ga, gb, ctx.options.significance) : undefined;
    const spec = { subject, metric: `share:${group}`, unit: 'fraction', better: 'neither' as const, speed: false, base: ga / a.total, new: gb / b.total };
    out.push(figure(spec, evidence, { minimum: ctx.options.noiseFloor }, [...reasons, ...own], [], 'points'));
  }
  return out;
}

function caseFigures(id: string, a: ProfileCase | undefined, b: ProfileCase | undefined, shared: Reason[], ctx: SectionContext): FigureComparison[] {
  const reasons = [...shared];
  for (const [c, where] of [
    [a, 'baseline'],
    [b, 'new run'],
  ] as const) {
    if (c === undefined) reasons.push({ kind: 'missing', message: `not profiled in the ${where}` });
    else if (c.state === 'errored') reasons.push({ kind: 'errored', message: `errored in the ${where}: ${c.error.message}` });
    else if (c.state === 'skipped') reasons.push({ kind: 'missing', message: `skipped in the ${where}: ${c.reason}` });
  }
  const ca = a?.state === 'completed' ? (a as Completed) : undefined;
  const cb = b?.state === 'completed' ? (b as Completed) : undefined;
  const rps = figure(
    {
      subject: id,
      metric: 'rps',
      unit: 'requests/s',
      better: 'higher',
      speed: true,
      base: ca?.load.requestsPerSec ?? null,
      new: cb?.load.requestsPerSec ?? null,
    },
    undefined,
    { minimum: ctx.options.noiseFloor },
    [...reasons, ...(ca !== undefined && cb !== undefined ? [{ kind: 'too-few-repeats' as const, message: 'one profiled run a side: no test' }] : [])],
  );
  if (ca === undefined || cb === undefined) return [rps];
  const out = [rps];
  const sb = new Map(cb.summaries.map((s) => [roleOf(s), s]));
  for (const sa of ca.summaries) {
    const match = sb.get(roleOf(sa));
    if (match !== undefined) out.push(...summaryFigures(`${id} ${roleOf(sa)}`, sa, match, reasons, ctx));
  }
  return out;
}

/** Every profiled case of the two runs: its load's throughput and its frame-group shares. */
export function compareProfile(base: ProfileData, next: ProfileData, ctx: SectionContext): ComparisonSection {
  const a = new Map(base.cases.map((c) => [c.id, c]));
  const b = new Map(next.cases.map((c) => [c.id, c]));
  const diffs: string[] = [];
  const sa = base.settings;
  const sb = next.settings;
  if (sa.durationMs !== sb.durationMs) diffs.push(`duration ${sa.durationMs} vs ${sb.durationMs} ms`);
  if (sa.connections !== sb.connections) diffs.push(`connections ${sa.connections} vs ${sb.connections}`);
  if (sa.store !== sb.store) diffs.push(`store ${sa.store} vs ${sb.store}`);
  const shared: Reason[] = [
    ...ctx.hostReasons,
    ...(diffs.length === 0 ? [] : [{ kind: 'different-settings' as const, message: `different settings (${diffs.join(', ')})` }]),
  ];
  const figures = [...new Set([...a.keys(), ...b.keys()])].flatMap((id) => caseFigures(id, a.get(id), b.get(id), shared, ctx));
  return { suite: 'profile', figures, notes: ['frame-group shares change in fraction points; the noise floor applies to them as points'] };
}
