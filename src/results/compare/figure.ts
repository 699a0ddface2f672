// One compared figure, put together: the evidence of a test, the noise floor, the verdict that follows and
// every reason the two figures cannot be compared (a changed host, other settings, too few repeats...).

import type { Evidence } from './significance.js';
import type { Better, FigureComparison, NotComparableReason, Verdict } from './types.js';

/** What a comparer knows about a figure before (or without) its evidence. */
export interface FigureSpec {
  subject: string;
  metric: string;
  unit: string;
  better: Better;
  /** Speed figures say faster / slower; the others larger / smaller. */
  speed: boolean;
  /** The figure on each side when known, shown even when there is no test. */
  base?: number | null;
  new?: number | null;
}

export interface Floor {
  /** --noise-floor, a fraction. */
  minimum: number;
  /** The measured spread (a fraction) and what it was measured on; undefined when nothing was. */
  measured?: { spread: number; source: string };
}

type Reason = { kind: NotComparableReason; message: string };

/**
 * How far a change goes, the same either way: a relative change as the ratio of the larger figure over the
 * smaller, minus 1 (2x slower and 2x faster are both 1, so a halving is not held to a stricter floor than a
 * doubling); a difference of shares as it is.
 */
export function changeSize(change: number, kind: 'relative' | 'points' = 'relative'): number {
  if (kind === 'points' || change >= 0) return Math.abs(change);
  return change <= -1 ? Number.POSITIVE_INFINITY : 1 / (1 + change) - 1;
}

/** The verdict of a change that the test found significant or not, against the floor. */
export function verdictOf(
  change: number,
  significant: boolean,
  floor: number,
  better: Better,
  speed: boolean,
  kind: 'relative' | 'points' = 'relative',
): Verdict {
  if (!significant || !(changeSize(change, kind) > floor)) return 'no-significant-change';
  const up = change > 0;
  if (!speed) return up ? 'larger' : 'smaller';
  // For a speed figure, "better" tells which way is faster: higher rps, lower latency.
  return (better === 'higher') === up ? 'faster' : 'slower';
}

function isRegression(verdict: Verdict, change: number, better: Better): boolean {
  if (verdict === 'no-significant-change' || verdict === 'not-comparable' || better === 'neither') return false;
  return better === 'higher' ? change < 0 : change > 0;
}

/** A figure with its evidence (or none: then not comparable for the reasons given). */
export function figure(
  spec: FigureSpec,
  evidence: Evidence | undefined,
  floor: Floor,
  reasons: Reason[],
  notes: string[] = [],
  kind: 'relative' | 'points' = 'relative',
): FigureComparison {
  const base: FigureComparison = {
    subject: spec.subject,
    metric: spec.metric,
    unit: spec.unit,
    better: spec.better,
    base: evidence?.base ?? spec.base ?? null,
    new: evidence?.new ?? spec.new ?? null,
    change: null,
    changeKind: kind,
    interval: null,
    test: null,
    noiseFloor: null,
    noiseSource: null,
    verdict: 'not-comparable',
    regression: false,
    reasons,
    notes,
  };
  if (base.base !== null && base.new !== null && (kind === 'points' || base.base !== 0))
    base.change = kind === 'points' ? base.new - base.base : base.new / base.base - 1;
  if (evidence === undefined) return base;
  const noiseFloor = Math.max(floor.minimum, floor.measured?.spread ?? 0);
  const says = verdictOf(evidence.change, evidence.test.significant, noiseFloor, spec.better, spec.speed, kind);
  const out: FigureComparison = {
    ...base,
    change: evidence.change,
    interval: evidence.interval,
    test: evidence.test,
    noiseFloor,
    noiseSource: floor.measured === undefined ? '--noise-floor' : floor.measured.source,
    verdict: reasons.length === 0 ? says : 'not-comparable',
    regression: reasons.length === 0 && isRegression(says, evidence.change, spec.better),
  };
  if (reasons.length > 0) out.figuresSay = says;
  return out;
}

/** Counts of figures by verdict (every verdict present, zeros included). */
export function countVerdicts(figures: readonly FigureComparison[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { faster: 0, slower: 0, larger: 0, smaller: 0, 'no-significant-change': 0, 'not-comparable': 0 };
  for (const f of figures) counts[f.verdict]++;
  return counts;
}

/** A fraction as a whole percentage for messages ('8%'). */
export function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
