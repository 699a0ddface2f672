// The Kubernetes HorizontalPodAutoscaler's replica rule, as pure functions (an emulation of its algorithm,
// not Kubernetes): the replica calculator (desired = ceil(current x currentUtilization / target), with the
// tolerance band and its treatment of replicas without a metric or not ready yet), then the controller's
// normalisation (stabilization windows, the scale-up rate limit, min/max). Followed from the Kubernetes
// sources (pkg/controller/podautoscaler/replica_calculator.go and horizontal.go) and the HPA documentation.

/** The HPA's settings; Kubernetes' defaults in brackets (servebench's scenario compresses the time ones). */
export interface HpaSpec {
  /** Target average utilization, a fraction of each replica's request (0.6 = 60%). */
  targetUtilization: number;
  /** No scaling while |currentUtilization / target - 1| <= tolerance. [0.1] */
  tolerance: number;
  minReplicas: number;
  maxReplicas: number;
  /** Scale down only to the highest recommendation of this window. [300 s] */
  scaleDownStabilizationMs: number;
  /** Scale up only to the lowest recommendation of this window. [0] */
  scaleUpStabilizationMs: number;
  /** At most this much growth per sync period: the larger of +percent% and +pods. [100%, 4 pods per 15 s] */
  scaleUpLimit: { percent: number; pods: number };
}

export const HPA_DEFAULTS: HpaSpec = {
  targetUtilization: 0.8,
  tolerance: 0.1,
  minReplicas: 1,
  maxReplicas: 10,
  scaleDownStabilizationMs: 300_000,
  scaleUpStabilizationMs: 0,
  scaleUpLimit: { percent: 100, pods: 4 },
};

/** What the calculator sees at one sync. */
export interface HpaMetrics {
  /** The replica count asked for now (the scale's spec.replicas), starting replicas included. */
  currentReplicas: number;
  /** Utilization of each ready replica with a fresh metric (1 = 100% of its request). */
  utilizations: readonly number[];
  /** Ready replicas without a fresh metric: counted as 100% of their request on a scale down, 0% on a scale up. */
  missing: number;
  /** Replicas not ready yet: left out on a scale down, counted as 0% on a scale up. */
  unready: number;
}

export interface Recommendation {
  replicas: number;
  /** Mean utilization of the ready replicas with a metric / target; null without any metric. */
  usageRatio: number | null;
  reason: string;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The replica calculator: the replicas the metrics ask for (before min/max, stabilization and rate limits). */
export function recommendReplicas(m: HpaMetrics, targetUtilization: number, tolerance: number): Recommendation {
  const current = m.currentReplicas;
  if (m.utilizations.length === 0) return { replicas: current, usageRatio: null, reason: 'no metrics from any ready replica: replica count kept' };
  const usageRatio = mean(m.utilizations) / targetUtilization;
  const within = (r: number) => Math.abs(1 - r) <= tolerance;
  const rebalanceUnready = m.unready > 0 && usageRatio > 1;
  if (!rebalanceUnready && m.missing === 0) {
    if (within(usageRatio)) return { replicas: current, usageRatio, reason: `utilization within the tolerance band (${fmt(usageRatio)} of target)` };
    const replicas = Math.ceil(usageRatio * m.utilizations.length);
    return { replicas, usageRatio, reason: `ceil(${m.utilizations.length} x ${fmt(usageRatio)}) = ${replicas}` };
  }
  // Fill in the replicas without a metric conservatively, then decide again.
  const values = [...m.utilizations];
  if (m.missing > 0) {
    if (usageRatio < 1) for (let i = 0; i < m.missing; i++) values.push(Math.max(1, targetUtilization));
    else if (usageRatio > 1) for (let i = 0; i < m.missing; i++) values.push(0);
  }
  if (rebalanceUnready) for (let i = 0; i < m.unready; i++) values.push(0);
  const newRatio = mean(values) / targetUtilization;
  if (within(newRatio) || (usageRatio < 1 && newRatio > 1) || (usageRatio > 1 && newRatio < 1)) {
    return {
      replicas: current,
      usageRatio,
      reason: `with replicas lacking a metric counted conservatively the change is too small or reverses (${fmt(newRatio)} of target)`,
    };
  }
  const replicas = Math.ceil(newRatio * values.length);
  if ((newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current))
    return { replicas: current, usageRatio, reason: 'the conservative estimate points the other way: replica count kept' };
  return { replicas, usageRatio, reason: `ceil(${values.length} x ${fmt(newRatio)}) = ${replicas} (replicas lacking a metric counted conservatively)` };
}

/** A recommendation remembered for the stabilization windows. */
export interface PastRecommendation {
  atMs: number;
  replicas: number;
}

export interface Decision {
  /** The replica count to set. */
  replicas: number;
  /** The calculator's recommendation before normalisation. */
  recommended: number;
  reason: string;
}

/**
 * The controller's normalisation of a recommendation: stabilization (scale up no further than the lowest,
 * and down no further than the highest, recommendation of their windows), the scale-up limit, min/max.
 * `history` holds the earlier recommendations; the caller appends this one afterwards (see `remember`).
 */
export function normalize(recommended: number, currentReplicas: number, nowMs: number, history: readonly PastRecommendation[], spec: HpaSpec): Decision {
  let up = recommended;
  let down = recommended;
  for (const r of history) {
    if (r.atMs > nowMs - spec.scaleUpStabilizationMs) up = Math.min(up, r.replicas);
    if (r.atMs > nowMs - spec.scaleDownStabilizationMs) down = Math.max(down, r.replicas);
  }
  let replicas = currentReplicas;
  const reasons: string[] = [];
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  if (replicas !== recommended) {
    const windowS = Math.round(spec.scaleDownStabilizationMs / 1000);
    reasons.push(
      recommended < currentReplicas
        ? `scale down held at ${replicas} by the stabilization window (highest recommendation of the last ${windowS} s)`
        : `scale up held at ${replicas} by the scale-up stabilization window`,
    );
  }
  const upLimit = Math.max(Math.ceil(currentReplicas * (1 + spec.scaleUpLimit.percent / 100)), currentReplicas + spec.scaleUpLimit.pods);
  if (replicas > upLimit) {
    replicas = upLimit;
    reasons.push(`scale-up limited to ${upLimit} this period (+${spec.scaleUpLimit.percent}% or +${spec.scaleUpLimit.pods} replicas)`);
  }
  if (replicas > spec.maxReplicas) {
    replicas = spec.maxReplicas;
    reasons.push(`capped at maxReplicas ${spec.maxReplicas}`);
  }
  if (replicas < spec.minReplicas) {
    replicas = spec.minReplicas;
    reasons.push(`raised to minReplicas ${spec.minReplicas}`);
  }
  return { replicas, recommended, reason: reasons.join('; ') };
}

/** Append a recommendation and drop those older than both windows. */
export function remember(history: PastRecommendation[], rec: PastRecommendation, spec: HpaSpec): PastRecommendation[] {
  const keep = Math.max(spec.scaleDownStabilizationMs, spec.scaleUpStabilizationMs);
  return [...history.filter((r) => r.atMs > rec.atMs - keep), rec];
}

/** One sync: calculator, then normalisation. */
export function hpaSync(
  m: HpaMetrics,
  nowMs: number,
  history: readonly PastRecommendation[],
  spec: HpaSpec,
): Decision & { usageRatio: number | null; calculator: string } {
  const rec = recommendReplicas(m, spec.targetUtilization, spec.tolerance);
  const d = normalize(rec.replicas, m.currentReplicas, nowMs, history, spec);
  return { ...d, usageRatio: rec.usageRatio, calculator: rec.reason };
}

function fmt(x: number): string {
  return x.toFixed(2);
}

/** Checks the spec once, at the edge: messages name the field and the allowed range. */
export function validateHpaSpec(spec: HpaSpec): string[] {
  const errs: string[] = [];
  if (!(spec.targetUtilization > 0 && spec.targetUtilization <= 10))
    errs.push(`targetUtilization: must be above 0 and at most 10 (a fraction of the request), got ${spec.targetUtilization}`);
  if (!(spec.tolerance >= 0 && spec.tolerance < 1)) errs.push(`tolerance: must be in [0, 1), got ${spec.tolerance}`);
  if (!Number.isInteger(spec.minReplicas) || spec.minReplicas < 1) errs.push(`minReplicas: must be an integer >= 1, got ${spec.minReplicas}`);
  if (!Number.isInteger(spec.maxReplicas) || spec.maxReplicas < spec.minReplicas || spec.maxReplicas > 64)
    errs.push(`maxReplicas: must be an integer between minReplicas and 64, got ${spec.maxReplicas}`);
  if (!(spec.scaleDownStabilizationMs >= 0) || !(spec.scaleUpStabilizationMs >= 0)) errs.push('stabilization windows: must be >= 0 ms');
  return errs;
}
