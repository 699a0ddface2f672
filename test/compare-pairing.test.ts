// compare pairs figures by identity (kernels: kernel and n; load: configuration, scenario and step; capacity:
// kernel; profile: case and frame group) and says why a pair is not comparable: another host, other
// settings, too few repeats, an invalid run, an errored one, or a figure missing on one side.

import { describe, expect, it } from 'vitest';
import { ServebenchError } from '../src/errors.js';
import { compareResults, type FigureComparison } from '../src/results/compare/index.js';
import { NOT_COMPARABLE_REASONS, type NotComparableReason } from '../src/results/compare/types.js';
import type { BenchData, CapacityData, KernelEntry, LoadRun, ProfileData } from '../src/results/index.js';
import { kernelEntry, kernelsData, loadData, loadRun, realBench, realEnv, stepRuns, wrap } from './compare-fixtures.js';

const find = (figures: FigureComparison[], subject: string, metric?: string) =>
  figures.find((f) => f.subject === subject && (metric === undefined || f.metric === metric))!;
/** Every reason kind the tests below saw: each of the vocabulary must be among them. */
const seen = new Set<NotComparableReason>();
const kinds = (f: FigureComparison) => {
  for (const r of f.reasons) seen.add(r.kind);
  return f.reasons.map((r) => r.kind);
};

describe('kernels pairing', () => {
  it('pairs by kernel and n whatever the order, and says what only one side has', () => {
    const base = kernelsData([kernelEntry('typed', 1e6, [800, 810, 820, 830]), kernelEntry('native', 1e6, [170, 171, 172, 173])]);
    const next = kernelsData([
      kernelEntry('native', 1e6, [170, 171, 172, 174]),
      kernelEntry('typed', 1e6, [800, 811, 820, 830]),
      kernelEntry('naive', 1000, [1200, 1210]),
    ]);
    const c = compareResults(wrap('kernels', base), wrap('kernels', next));
    const figures = c.sections[0]!.figures;
    expect(figures.map((f) => f.subject)).toEqual(['typed@1e6', 'native@1e6', 'naive@1e3']);
    expect(find(figures, 'typed@1e6').base).toBe(815);
    expect(find(figures, 'typed@1e6').verdict).toBe('no-significant-change');
    const naive = find(figures, 'naive@1e3');
    expect(naive.verdict).toBe('not-comparable');
    expect(kinds(naive)).toEqual(['missing']);
    expect(naive.reasons[0]!.message).toBe('not measured in the baseline');
  });

  it('errored, other settings and too few processes', () => {
    const errored: KernelEntry = { kernel: 'native', n: 1000, state: 'errored', error: { code: 'SB_ERR_NATIVE', message: 'addon missing' } };
    const base = kernelsData([kernelEntry('typed', 1000, [700]), errored]);
    const next = kernelsData([kernelEntry('typed', 1000, [700, 710]), kernelEntry('native', 1000, [400, 410])], { timePerKernelMs: 120 });
    const figures = compareResults(wrap('kernels', base), wrap('kernels', next)).sections[0]!.figures;
    expect(kinds(find(figures, 'typed@1e3'))).toEqual(['different-settings', 'too-few-repeats']);
    expect(find(figures, 'typed@1e3').reasons[0]!.message).toBe('different settings (timePerKernelMs 250 vs 120)');
    expect(kinds(find(figures, 'native@1e3'))).toEqual(['different-settings', 'errored']);
    expect(find(figures, 'native@1e3').reasons[1]!.message).toBe('errored in the baseline: addon missing');
  });
});

describe('load pairing', () => {
  const base = [
    ...stepRuns(3, 1000, 2000, 0.05, 1),
    ...stepRuns(3, 500, 1500, 0.05, 2, { configId: 'async/single/io', scenario: 'response-time', step: 'c=1' }),
    ...stepRuns(1, 100, 1000, 0.05, 3, { configId: 'sync/single/io', step: 'held c=32' }),
    ...stepRuns(1, 100, 1000, 0.05, 4, { configId: 'sync/cluster/io' }),
  ];
  const next = [
    ...stepRuns(3, 1010, 2000, 0.05, 5),
    ...stepRuns(3, 500, 1500, 0.05, 6, { configId: 'async/single/io', scenario: 'response-time', step: 'c=1', valid: false }),
    ...stepRuns(1, 100, 1000, 0.05, 7, { configId: 'sync/single/io', step: 'held c=64' }),
    ...stepRuns(1, 100, 1000, 0.05, 8, { configId: 'async/cluster/io' }),
  ];
  const figures = compareResults(wrap('load', loadData(base)), wrap('load', loadData(next))).sections[0]!.figures;

  it('pairs by configuration, scenario and step, three figures each', () => {
    const target = figures.filter((f) => f.subject === 'target sustained held c=10');
    expect(target.map((f) => f.metric)).toEqual(['rps', 'p50', 'p99']);
    expect(target.every((f) => f.verdict === 'no-significant-change')).toBe(true);
  });

  it('an invalid run on one side', () => {
    const f = find(figures, 'async/single/io response-time c=1', 'rps');
    expect(f.verdict).toBe('not-comparable');
    expect(kinds(f)).toEqual(['invalid-run']);
    expect(f.reasons[0]!.message).toMatch(/^invalid run in the new run: fewer than 20 requests/);
  });

  it('a single step left on each side of a scenario is paired as other settings', () => {
    const f = find(figures, 'sync/single/io sustained held c=32 / held c=64', 'rps');
    expect(kinds(f)).toEqual(['different-settings']);
    expect(f.reasons[0]!.message).toMatch(/step held c=32 vs held c=64/);
    expect(f.figuresSay).toBeDefined();
  });

  it('missing on one side, with the side named', () => {
    expect(find(figures, 'sync/cluster/io sustained held c=10', 'rps').reasons[0]!.message).toBe('not measured in the new run');
    expect(find(figures, 'async/cluster/io sustained held c=10', 'p99').reasons[0]!.message).toBe('not measured in the baseline');
  });

  it('too few repeats: one second of one repeat a side', () => {
    const one = (rps: number, repeat = 1) => loadRun({ rpsSeries: [rps], latenciesUs: [1000, 1100, 1200], repeat });
    const f = compareResults(wrap('load', loadData([one(100)])), wrap('load', loadData([one(50)]))).sections[0]!.figures;
    expect(kinds(find(f, 'target sustained held c=10', 'rps'))).toEqual(['too-few-repeats']);
  });

  it('other windows and an errored run', () => {
    const erroredRun: LoadRun = {
      ...loadRun({ rpsSeries: [1], latenciesUs: [1] }),
      state: 'errored',
      error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
      valid: false,
    } as LoadRun;
    const a = loadData([loadRun({ rpsSeries: [100, 100], latenciesUs: [1000, 1001], windowMs: 2000 })]);
    const b = loadData([loadRun({ rpsSeries: [100, 100, 100, 100, 100], latenciesUs: [1000, 1001] })]);
    const w = compareResults(wrap('load', a), wrap('load', b)).sections[0]!.figures[0]!;
    expect(w.reasons[0]!.message).toBe('different settings (window 2.0 s vs 5.0 s)');
    const e = compareResults(wrap('load', a), wrap('load', loadData([erroredRun]))).sections[0]!.figures[0]!;
    expect(kinds(e)).toEqual(['errored']);
    expect(e.reasons[0]!.message).toBe('errored in the new run: connect ECONNREFUSED');
  });
});

describe('host, capacity, profile and bench', () => {
  it('a change of host: listed first, and every figure says so beside what the figures say', () => {
    const env = realEnv();
    env.cpu.model = 'Other CPU 9000';
    env.host.hostname = 'elsewhere';
    const base = wrap('kernels', kernelsData([kernelEntry('typed', 1e6, [800, 810, 820, 830])]));
    const next = wrap('kernels', kernelsData([kernelEntry('typed', 1e6, [1600, 1610, 1620, 1630])]), env);
    const c = compareResults(base, next);
    expect(c.sameHost).toBe(false);
    expect(c.environment.find((d) => d.fact === 'CPU model')).toMatchObject({ new: 'Other CPU 9000', hostChange: true });
    expect(c.environment.find((d) => d.fact === 'hostname')).toMatchObject({ hostChange: false });
    const f = c.sections[0]!.figures[0]!;
    expect(f.verdict).toBe('not-comparable');
    expect(kinds(f)).toEqual(['different-host']);
    expect(f.figuresSay).toBe('slower');
    expect(f.regression).toBe(false);
    expect(f.reasons[0]!.message).toMatch(/^different host \(CPU model: .* vs Other CPU 9000\)/);
  });

  it('a new hostname alone is listed but is not another host', () => {
    const env = realEnv();
    env.host.hostname = 'ci-runner-7';
    const data = kernelsData([kernelEntry('typed', 1e6, [800, 810, 820, 830])]);
    const c = compareResults(wrap('kernels', data), wrap('kernels', data, env));
    expect(c.sameHost).toBe(true);
    expect(c.sections[0]!.figures[0]!.verdict).toBe('no-significant-change');
  });

  it('capacity: paired by kernel; brackets that do not overlap are a change', () => {
    const bench = realBench().data as BenchData;
    const base = bench.sections.capacity!;
    const next = structuredClone(base) as CapacityData;
    const typed = next.kernels.find((k) => k.kernel === 'typed')!;
    const baseTyped = base.kernels.find((k) => k.kernel === 'typed')!;
    if (typed.state !== 'completed' || baseTyped.state !== 'completed') throw new Error('fixture');
    typed.firstFailN = baseTyped.maxN;
    typed.maxN = Math.round(baseTyped.maxN! * 0.8);
    const c = compareResults(wrap('capacity', base), wrap('capacity', next));
    const f = find(c.sections[0]!.figures, 'typed');
    expect(f.verdict).toBe('smaller');
    expect(f.regression).toBe(true);
    expect(f.test?.method).toBe('bracket');
    expect(find(c.sections[0]!.figures, 'naive').verdict).toBe('no-significant-change');
    next.settings.budgetBytes *= 2;
    expect(kinds(find(compareResults(wrap('capacity', base), wrap('capacity', next)).sections[0]!.figures, 'naive'))).toEqual(['different-settings']);
  });

  it('profile: paired by case and frame group, whatever the pids', () => {
    const base = (realBench().data as BenchData).sections.profile!;
    const next = structuredClone(base) as ProfileData;
    for (const c of next.cases) if (c.state === 'completed') for (const s of c.summaries) s.process = s.process.replace(/\d+/, '99999');
    const c = compareResults(wrap('profile', base), wrap('profile', next));
    const shares = c.sections[0]!.figures.filter((f) => f.metric.startsWith('share:'));
    expect(shares.length).toBeGreaterThan(0);
    expect(shares.every((f) => f.verdict === 'no-significant-change' && f.change === 0 && f.changeKind === 'points')).toBe(true);
    expect(kinds(find(c.sections[0]!.figures, base.cases[0]!.id, 'rps'))).toEqual(['too-few-repeats']);
  });

  it('a bench run against a load file compares its load section; kernels against load is an input error', () => {
    const bench = realBench();
    const load = wrap('load', (bench.data as BenchData).sections.load!);
    const c = compareResults(bench, load);
    expect(c.sections.map((s) => s.suite)).toEqual(['load']);
    expect(c.sections[0]!.notes.some((n) => n.includes('kernels only in the baseline'))).toBe(true);
    const kernels = wrap('kernels', kernelsData([kernelEntry('typed', 1e6, [800])]));
    expect(() => compareResults(kernels, load)).toThrow(ServebenchError);
    expect(() => compareResults(kernels, load)).toThrow(/nothing to compare: a kernels file and a load file share no suite/);
  });
});

describe('every reason', () => {
  it('each not-comparable reason of the vocabulary was produced above', () => {
    expect([...seen].sort()).toEqual([...NOT_COMPARABLE_REASONS].sort());
  });
});
