// compareResults(): two results files of any kind, section by section. A bench run is compared suite by suite;
// a single suite's file against the same suite's file, or against that section of a bench run. The
// environments' differences come first, and a change of host puts its reason on every figure.

import { ServebenchError } from '../../errors.js';
import type { BenchData } from '../bench.js';
import type { CapacityData } from '../capacity.js';
import type { ResultEnvelope, ResultKind } from '../envelope.js';
import type { KernelsData } from '../kernels.js';
import type { LoadData } from '../load.js';
import type { ProfileData } from '../profile.js';
import { compareCapacity } from './capacity.js';
import type { SectionContext } from './context.js';
import { environmentDifferences, hostChangeMessage } from './environment.js';
import { countVerdicts } from './figure.js';
import { compareKernels } from './kernels.js';
import { compareLoad } from './load.js';
import { compareProfile } from './profile.js';
import { type ComparedRun, type CompareOptions, type Comparison, type ComparisonSection, DEFAULT_COMPARE_OPTIONS, type FigureComparison } from './types.js';

type AnyResults = ResultEnvelope<ResultKind, unknown>;

/** The suites a comparison covers, in the order a bench runs them. */
const COMPARED = ['kernels', 'capacity', 'load', 'experiments', 'profile'] as const;
type ComparedSuite = (typeof COMPARED)[number];

interface SuiteData {
  kernels?: KernelsData;
  capacity?: CapacityData;
  load?: LoadData;
  experiments?: LoadData;
  profile?: ProfileData;
}

/** The compared suites' data of a results file: a bench run's sections, or the one suite of a suite's file. */
function suitesOf(r: AnyResults): SuiteData {
  switch (r.kind) {
    case 'bench':
      return (r.data as BenchData).sections;
    case 'hardware':
      return {};
    default:
      return { [r.kind]: r.data } as SuiteData;
  }
}

function section(suite: ComparedSuite, a: SuiteData, b: SuiteData, ctx: SectionContext): ComparisonSection | undefined {
  switch (suite) {
    case 'kernels':
      return a.kernels && b.kernels && compareKernels(a.kernels, b.kernels, ctx);
    case 'capacity':
      return a.capacity && b.capacity && compareCapacity(a.capacity, b.capacity, ctx);
    case 'load':
      return a.load && b.load && compareLoad(a.load, b.load, ctx, 'load');
    case 'experiments':
      return a.experiments && b.experiments && compareLoad(a.experiments, b.experiments, ctx, 'experiments');
    case 'profile':
      return a.profile && b.profile && compareProfile(a.profile, b.profile, ctx);
  }
}

function describe(r: AnyResults, file: string | undefined): ComparedRun {
  const commit = (r.servebench as { gitCommit?: unknown }).gitCommit;
  return {
    ...(file === undefined ? {} : { file }),
    kind: r.kind,
    createdAt: r.createdAt,
    hostname: r.env.host.hostname,
    ...(typeof commit === 'string' ? { gitCommit: commit } : {}),
  };
}

/**
 * Compare two results files. Throws an input error (exit 2) when they share no suite (a kernels file
 * against a load file); a hardware file compares environments only.
 */
export function compareResults(
  base: AnyResults,
  next: AnyResults,
  options: Partial<CompareOptions> = {},
  files: { base?: string; new?: string } = {},
): Comparison {
  const opts: CompareOptions = { ...DEFAULT_COMPARE_OPTIONS, ...options };
  const environment = environmentDifferences(base.env, next.env);
  const host = hostChangeMessage(environment);
  const ctx: SectionContext = { options: opts, hostReasons: host === undefined ? [] : [{ kind: 'different-host', message: host }] };
  const a = suitesOf(base);
  const b = suitesOf(next);
  const sections: ComparisonSection[] = [];
  const onlyOne: string[] = [];
  for (const suite of COMPARED) {
    const s = section(suite, a, b, ctx);
    if (s !== undefined) sections.push(s);
    else if (a[suite] !== undefined || b[suite] !== undefined) onlyOne.push(`${suite} only in the ${a[suite] === undefined ? 'new run' : 'baseline'}`);
  }
  const bothHardware = base.kind === 'hardware' && next.kind === 'hardware';
  if (sections.length === 0 && !bothHardware) {
    throw new ServebenchError(
      'SB_ERR_INPUT',
      `nothing to compare: a ${base.kind} file and a ${next.kind} file share no suite (${onlyOne.join('; ') || 'no figures'})`,
    );
  }
  if (onlyOne.length > 0 && sections[0] !== undefined) sections[0].notes.push(...onlyOne);
  return {
    base: describe(base, files.base),
    new: describe(next, files.new),
    options: opts,
    environment,
    sameHost: host === undefined,
    sections,
    counts: countVerdicts(sections.flatMap((s) => s.figures)),
  };
}

/** Every figure of a comparison, section by section. */
function allFigures(c: Comparison): FigureComparison[] {
  return c.sections.flatMap((s) => s.figures);
}

/**
 * The significant regressions whose change is beyond the allowance (a fraction: 0.05 for --fail-on-regression
 * 5%): a latency or ns per call up by more, a throughput or capacity down by more.
 */
export function regressionsBeyond(c: Comparison, allowance: number): FigureComparison[] {
  return allFigures(c).filter((f) => f.regression && f.change !== null && Math.abs(f.change) > allowance);
}
