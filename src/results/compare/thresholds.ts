// Thresholds, k6-style: `p99<200ms`, `rps>=500`, `errors<1%`, `gbPerSec>=20`, `nsPerCall<1000`, scoped where
// needed (`async/single/io:p99<80ms` for load, `native@1e6:gbPerSec>=20` for kernels), and `goals` (the
// built-in goal tables' unmet goals). Parsing only: a bad expression is an OptionError naming it and what is
// wrong; checking is check-thresholds.ts.

import { OptionError } from '../../errors.js';
import { isOneOf, KERNEL_NAMES, type KernelName } from '../vocab.js';

/** The metrics a threshold can bound, each with the suite it reads and its unit in the results. */
export const THRESHOLD_METRICS = ['p50', 'p90', 'p99', 'p999', 'rps', 'errors', 'nsPerCall', 'gbPerSec'] as const;
type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];

const THRESHOLD_OPS = ['<', '<=', '>', '>='] as const;
type ThresholdOp = (typeof THRESHOLD_OPS)[number];

interface MetricSpec {
  suite: 'load' | 'kernels';
  /** The unit of the stored figures the value is converted to. */
  unit: string;
  /** Allowed units and their factor to `unit` ('' is a bare number). */
  units: Record<string, number>;
  /** Shares: at most 1 (100%). */
  share?: boolean;
}

const TIME_US: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000 };

const METRICS: Record<ThresholdMetric, MetricSpec> = {
  p50: { suite: 'load', unit: 'us', units: TIME_US },
  p90: { suite: 'load', unit: 'us', units: TIME_US },
  p99: { suite: 'load', unit: 'us', units: TIME_US },
  p999: { suite: 'load', unit: 'us', units: TIME_US },
  rps: { suite: 'load', unit: 'requests/s', units: { '': 1, '/s': 1, rps: 1 } },
  errors: { suite: 'load', unit: 'fraction', units: { '': 1, '%': 0.01 }, share: true },
  nsPerCall: { suite: 'kernels', unit: 'ns', units: { '': 1, ns: 1, us: 1000, µs: 1000, ms: 1_000_000 } },
  gbPerSec: { suite: 'kernels', unit: 'GB/s', units: { '': 1, 'GB/s': 1 } },
};

/** k6's spelling of percentiles, accepted too: p(99), p(99.9). */
const ALIASES: Record<string, ThresholdMetric> = { 'p(50)': 'p50', 'p(90)': 'p90', 'p(99)': 'p99', 'p(99.9)': 'p999', req_failed: 'errors' };

/** Which figures a kernels threshold applies to: a kernel (or any: '*') at one n (or every n). */
interface KernelScope {
  kernel: KernelName | '*';
  n?: number;
}

export type Threshold =
  | {
      kind: 'metric';
      /** The expression as written. */
      expression: string;
      metric: ThresholdMetric;
      suite: 'load' | 'kernels';
      op: ThresholdOp;
      /** In the stored unit of the metric (us for latency, a fraction for errors, ns for nsPerCall). */
      value: number;
      unit: string;
      /** Load: the segments of `configId/scenario/step` the figure's id must contain, '*' for any one. */
      loadScope?: string[];
      kernelScope?: KernelScope;
    }
  | { kind: 'goals'; expression: string };

const EXAMPLES = 'e.g. p99<200ms, rps>=500, errors<1%, async/single/io:p99<80ms, native@1e6:gbPerSec>=20, or goals';

function parseKernelScope(scope: string, fail: (m: string) => OptionError): KernelScope | OptionError {
  const m = /^([\w*-]+)(?:@(.+))?$/.exec(scope);
  if (m === null) return fail(`a kernels scope is kernel@n, e.g. native@1e6 or *@1e7; got '${scope}'`);
  const kernel = m[1]!;
  if (kernel !== '*' && !isOneOf(KERNEL_NAMES, kernel)) return fail(`unknown kernel '${kernel}' in the scope; one of ${KERNEL_NAMES.join(', ')} or *`);
  if (m[2] === undefined) return { kernel };
  const n = Number(m[2]);
  if (!Number.isInteger(n) || n < 1) return fail(`n in the scope must be a positive integer such as 1e6; got '${m[2]}'`);
  return { kernel, n };
}

function parseLoadScope(scope: string, fail: (m: string) => OptionError): string[] | OptionError {
  if (scope.includes('@'))
    return fail(`a load threshold is scoped by a configuration id such as async/single/io (kernel@n scopes kernels figures); got '${scope}'`);
  const segments = scope.split('/').map((s) => s.trim());
  if (segments.some((s) => s === '')) return fail(`empty segment in the scope '${scope}'`);
  return segments;
}

/**
 * One threshold expression: `[scope:]metric op value[unit]`, or `goals`. Returns the threshold, or an
 * OptionError (of `option`) whose message quotes the expression and says what is wrong.
 */
export function parseThreshold(expression: string, option = '--threshold'): Threshold | OptionError {
  const fail = (what: string) => new OptionError(option, `'${expression}': ${what}`);
  const text = expression.trim();
  if (text === '') return fail(`empty threshold; ${EXAMPLES}`);
  if (text === 'goals') return { kind: 'goals', expression: text };
  const m = /^(?:(.*):)?\s*([A-Za-z_][\w().]*)\s*(<=|>=|==|!=|=|<|>)\s*(.*)$/.exec(text);
  if (m === null) {
    if (/(^|:)\s*goals\b/.test(text)) return fail('goals takes no scope and no comparison: write goals');
    return fail(`expected [scope:]metric<op>value with op one of ${THRESHOLD_OPS.join(' ')}; ${EXAMPLES}`);
  }
  const [, rawScope, rawMetric, op, rawValue] = m as unknown as [string, string | undefined, string, string, string];
  if (op === '==' || op === '!=' || op === '=') return fail(`'${op}' is not a threshold comparison; use one of ${THRESHOLD_OPS.join(' ')}`);
  const metric = ALIASES[rawMetric] ?? rawMetric;
  if (!isOneOf(THRESHOLD_METRICS, metric)) return fail(`unknown metric '${rawMetric}'; one of ${THRESHOLD_METRICS.join(', ')}`);
  const spec = METRICS[metric];
  const v = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(\S*)$/i.exec(rawValue.trim());
  if (v === null) return fail(`expected a number after '${op}', got '${rawValue.trim()}'`);
  const unit = v[2]!;
  const factor = spec.units[unit];
  if (factor === undefined) {
    const allowed = Object.keys(spec.units).filter((u) => u !== '');
    const bare = spec.units[''] !== undefined;
    if (unit === '') return fail(`${metric} needs a unit: ${allowed.join(', ')} (e.g. ${metric}<200ms)`);
    return fail(`unit '${unit}' does not fit ${metric}; ${bare ? 'a bare number or ' : ''}${allowed.join(', ')}`);
  }
  const value = Number(v[1]) * factor;
  if (!(value >= 0)) return fail(`${metric} cannot be bounded by a negative value`);
  if (spec.share === true && value > 1) return fail(`${metric} is a share: between 0 and 1, or 0% and 100%`);
  const out: Threshold = { kind: 'metric', expression: text, metric, suite: spec.suite, op: op as ThresholdOp, value, unit: spec.unit };
  if (rawScope === undefined) return out;
  const scope = rawScope.trim();
  if (scope === '') return fail('empty scope before the colon');
  const parsed = spec.suite === 'kernels' ? parseKernelScope(scope, fail) : parseLoadScope(scope, fail);
  if (parsed instanceof OptionError) return parsed;
  return Array.isArray(parsed) ? { ...out, loadScope: parsed } : { ...out, kernelScope: parsed };
}

/** Every expression parsed; throws the first bad one's OptionError (the CLI exits 2). */
export function parseThresholds(expressions: readonly string[], option = '--threshold'): Threshold[] {
  return expressions.map((e) => {
    const t = parseThreshold(e, option);
    if (t instanceof OptionError) throw t;
    return t;
  });
}

/** Whether a value meets a threshold's comparison. */
export function meets(value: number, op: ThresholdOp, bound: number): boolean {
  switch (op) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
  }
}
