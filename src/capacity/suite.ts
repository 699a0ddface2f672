// The capacity suite: for each mean kernel, the largest n whose cpu predict succeeds in a fresh process under
// a hard memory budget, how it fails past that n, and the bytes per value it needed (seed 003's "the n at
// which the server fails for lack of memory", naive loop against vectorized and multithreaded). Then the
// capacity at C concurrent requests (derived) and a measured check against a real model API. Returns plain
// data; prints nothing but progress on stderr.

import { type ErrorInfo, toErrorInfo } from '../errors.js';
import { getKernel } from '../kernels/index.js';
import { nativeStatus } from '../kernels/native-binding.js';
import type { KernelName } from '../kernels/types.js';
import { type Supervisor, supervisor } from '../processes/index.js';
import { progress, warn } from '../progress.js';
import { formatN } from '../report/format.js';
import type {
  CapacityData,
  CapacityKernelResult,
  CapacityModelResult,
  CapacityProbe,
  MemoryLimitMechanism,
  ModelCapacityProbe,
  ServerCheck,
  ServerCheckPoint,
} from '../results/capacity.js';
import type { PredictKind } from '../results/vocab.js';
import { onnxStatus } from '../serving/index.js';
import { searchModelCapacity } from './model.js';
import type { SuiteHooks } from '../suite-hooks.js';
import { capacityFlags, modelFlags } from './flags.js';
import { derivedCheckSizes, summarizeKernel } from './kernel-result.js';
import { findMemoryLimit, type MemoryLimit, verifyLimit } from './limit.js';
import { runProbe } from './probe.js';
import { type ProbeVerdict, searchCapacity } from './search.js';
import { runServerCheck } from './server-check.js';
import { availableMemoryBytes, type CapacityOptions, formatBytes, MIN_N, resolveCapacitySettings, SAFETY_MARGIN_BYTES, searchCeiling } from './settings.js';

export type { CapacityOptions } from './settings.js';

type Settings = ReturnType<typeof resolveCapacitySettings>;
type CompletedKernel = Extract<CapacityKernelResult, { state: 'completed' }>;

function describeProbe(p: CapacityProbe): string {
  const peak = p.memory?.peakRssBytes ?? p.sampledPeakRssBytes;
  const mem = peak === null ? '' : `, peak RSS ${formatBytes(peak)}${p.memory === null ? ' (sampled)' : ''}`;
  const what = p.outcome === 'ok' ? 'ok' : `${p.outcome}: ${p.detail}`;
  const c = p.concurrency > 1 ? ` x ${p.concurrency} requests` : '';
  return `  ${p.kernel} n=${formatN(p.n)}${c} (${p.step}): ${what}${mem}, ${(p.durationMs / 1000).toFixed(1)} s`;
}

/** The state of one run: what finished, the kernel under way, and the data so far (what an interrupt keeps). */
class CapacityRun {
  readonly results: CapacityKernelResult[] = [];
  /** The kernel whose probes are under way (reported as errored if the run stops there). */
  current: CapacityKernelResult | undefined;
  mechanism: MemoryLimitMechanism | null = null;
  /** A model's capacity (--predict onnx, module, io), in place of the kernels'. */
  model: CapacityModelResult | undefined;
  serverCheck: ServerCheck;
  interrupted = false;
  readonly sup: Supervisor;
  private readonly started = new Date();
  private readonly native = nativeStatus();

  constructor(
    readonly settings: Settings,
    private readonly hooks: SuiteHooks<CapacityData>,
  ) {
    this.sup = hooks.supervisor ?? supervisor;
    this.serverCheck = { state: 'skipped', reason: settings.serverCheck ? 'not reached' : 'not asked for (--no-server-check)' };
  }

  /** A method, so TypeScript does not narrow the flag once checked: it changes between awaits. */
  aborted(): boolean {
    return this.hooks.signal?.aborted === true;
  }

  snapshot(): CapacityData {
    const { quick, ...settings } = this.settings;
    const kernels = this.current === undefined ? [...this.results] : [...this.results, this.current];
    return {
      quick,
      settings,
      mechanism: this.mechanism,
      native: this.native,
      kernels,
      ...(this.model === undefined ? {} : { model: this.model }),
      serverCheck: this.serverCheck,
      flags: [...capacityFlags(kernels, this.serverCheck), ...modelFlags(this.model)],
      startedAt: this.started.toISOString(),
      durationMs: Date.now() - this.started.getTime(),
      interrupted: this.interrupted,
    };
  }

  update(): void {
    this.hooks.onUpdate?.(this.snapshot());
  }

  erroredAll(error: ErrorInfo, serverCheckReason: string): CapacityData {
    for (const k of this.settings.kernels) this.results.push({ kernel: k, description: getKernel(k).description, probes: [], state: 'errored', error });
    this.serverCheck = { state: 'skipped', reason: serverCheckReason };
    return this.snapshot();
  }

  probeTimeoutMs(values: number): number {
    return this.settings.probeTimeout.baseMs + (values * this.settings.probeTimeout.perValueNs) / 1e6;
  }
}

/** The hard memory limit every probe runs under, verified; undefined (every kernel errored) when there is none. */
async function prepareLimit(run: CapacityRun): Promise<MemoryLimit | undefined> {
  const { budgetBytes } = run.settings;
  let limit: MemoryLimit;
  try {
    limit = await findMemoryLimit(budgetBytes);
  } catch (err) {
    run.erroredAll(toErrorInfo(err), 'no memory limit mechanism');
    return undefined;
  }
  run.mechanism = await verifyLimit(run.sup, limit);
  const v8 = `V8 --max-old-space-size=${limit.v8MaxOldSpaceMiB}`;
  progress('capacity', `limit: RLIMIT_DATA ${formatBytes(budgetBytes)} via ${limit.tool}, ${v8}; ${run.mechanism.verification}`);
  if (!run.mechanism.verified) {
    const message = `the memory limit could not be verified, so no probe runs without a hard budget: ${run.mechanism.verification}`;
    run.erroredAll({ code: 'SB_ERR_INTERNAL', message }, 'the memory limit could not be verified');
    return undefined;
  }
  return limit;
}

/** One probe of the search at n: fits, fails, or stop (interrupted, too little free memory, a probe errored). */
function probeVerdict(run: CapacityRun, limit: MemoryLimit, name: KernelName, probes: CapacityProbe[], onError: (e: ErrorInfo) => void) {
  const { settings } = run;
  return async (n: number, step: CapacityProbe['step']): Promise<ProbeVerdict> => {
    if (run.aborted()) {
      run.interrupted = true;
      return 'stop';
    }
    const available = availableMemoryBytes();
    if (available !== undefined && available < settings.budgetBytes + SAFETY_MARGIN_BYTES / 2) {
      const margin = formatBytes(SAFETY_MARGIN_BYTES / 2);
      onError({
        code: 'SB_ERR_INTERNAL',
        message: `probe at n=${n} not started: only ${formatBytes(available)} of memory is available now, under the budget plus ${margin}`,
      });
      return 'stop';
    }
    const p = await runProbe(run.sup, limit, { kernel: name, n, step, seed: settings.seed, timeoutMs: run.probeTimeoutMs(n) });
    probes.push(p);
    progress('capacity', describeProbe(p));
    run.update();
    if (p.outcome === 'ok') return 'fits';
    if (p.outcome === 'errored') {
      onError({ code: 'SB_ERR_INTERNAL', message: `probe at n=${n}: ${p.detail}` });
      return 'stop';
    }
    return 'fails';
  };
}

/** Measure what was derived: C inputs alive at once, just below and just above the derived n at the largest C. */
async function checkDerived(run: CapacityRun, limit: MemoryLimit, r: CompletedKernel, probes: CapacityProbe[]): Promise<void> {
  const { settings } = run;
  const cMax = Math.max(...settings.concurrency);
  const derivedC = r.derived.find((d) => d.concurrency === cMax)?.maxN;
  const margin = settings.derivedCheckMargin;
  if (margin === null || cMax <= 1 || derivedC === undefined || derivedC === null || derivedC < MIN_N || run.aborted()) return;
  const sizes = derivedCheckSizes(derivedC, margin);
  run.current = r;
  const outcomes = {} as Record<'below' | 'above', CapacityProbe>;
  for (const side of ['below', 'above'] as const) {
    const n = sizes[side];
    const request = { kernel: r.kernel, n, step: 'concurrent' as const, concurrency: cMax, seed: settings.seed, timeoutMs: run.probeTimeoutMs(cMax * n) };
    const p = await runProbe(run.sup, limit, request);
    probes.push(p);
    outcomes[side] = p;
    progress('capacity', describeProbe(p));
    run.update();
  }
  run.current = undefined;
  const { below, above } = outcomes;
  if (below.outcome === 'errored' || above.outcome === 'errored') return;
  r.derivedCheck = {
    concurrency: cMax,
    derivedMaxN: derivedC,
    below: { n: below.n, outcome: below.outcome },
    above: { n: above.n, outcome: above.outcome },
    agrees: below.outcome === 'ok' && above.outcome !== 'ok',
  };
}

/** Search one kernel's capacity (and check its derived figure); its result joins run.results. */
async function searchKernel(run: CapacityRun, limit: MemoryLimit, name: KernelName): Promise<void> {
  const { settings } = run;
  const kernel = getKernel(name);
  const probes: CapacityProbe[] = [];
  let error: ErrorInfo | undefined;
  const interruptedError = { code: 'SB_ERR_INTERNAL', message: 'its search had not finished (interrupted)' } as const;
  run.current = { kernel: name, description: kernel.description, probes, state: 'errored', error: interruptedError };
  const ceiling = searchCeiling(settings.budgetBytes);
  progress('capacity', `${name}: searching from n=${formatN(settings.startN)} (ceiling ${formatN(ceiling)} = budget / 8 bytes)`);
  const search = { startN: settings.startN, minN: MIN_N, maxN: ceiling, tolerance: settings.tolerance, maxProbes: settings.maxProbesPerKernel };
  const bracket = await searchCapacity(
    search,
    probeVerdict(run, limit, name, probes, (e) => {
      error = e;
    }),
  );
  run.current = undefined;
  if (error !== undefined || bracket.reason === 'stopped') {
    const stopped = error ?? { code: 'SB_ERR_INTERNAL', message: 'interrupted during its search' };
    run.results.push({ kernel: name, description: kernel.description, probes, state: 'errored', error: stopped });
    if (error !== undefined) warn('capacity', `${name}: ${error.message}`);
    return;
  }
  const r = summarizeKernel(name, kernel.description, probes, bracket, settings.budgetBytes, settings.concurrency);
  if (r.state === 'completed') await checkDerived(run, limit, r, probes);
  run.results.push(r);
  if (r.state === 'completed') {
    const fails = `${r.firstFailN === null ? '-' : formatN(r.firstFailN)} (${r.failure ?? '-'})`;
    progress('capacity', `${name}: max n ${r.maxN === null ? '-' : formatN(r.maxN)}, fails at ${fails} after ${probes.length} probes`);
  }
}

/** Check the capacities against a real model API under the same budget (naive and typed only when quick). */
async function checkOnServer(run: CapacityRun, limit: MemoryLimit, signal: AbortSignal | undefined): Promise<void> {
  const { settings } = run;
  const concurrency = Math.max(...settings.concurrency);
  const checked = run.results.filter((r) => !settings.quick || r.kernel === 'naive' || r.kernel === 'typed');
  const points: ServerCheckPoint[] = [];
  run.serverCheck = { state: 'errored', error: { code: 'SB_ERR_INTERNAL', message: 'interrupted during the server check' }, points };
  run.serverCheck = await runServerCheck({ limit, concurrency, seed: settings.seed, timeout: settings.probeTimeout, signal }, checked, (p) => {
    points.push(p);
    run.update();
  });
  if (settings.quick && run.serverCheck.state === 'completed') run.serverCheck.notes.push('--quick: the server check covers naive and typed only.');
  if (run.aborted()) run.interrupted = true;
}

/**
 * Run the capacity suite and return its data. Invalid options throw OptionError; everything else (a
 * missing prlimit, an unverifiable limit, an unavailable kernel, a failing probe) is data.
 */
export async function runCapacitySuite(options: CapacityOptions = {}, hooks: SuiteHooks<CapacityData> = {}): Promise<CapacityData> {
  const settings = resolveCapacitySettings(options);
  const run = new CapacityRun(settings, hooks);
  if (settings.predict !== undefined && settings.predict !== 'cpu') return runModelCapacity(run, settings.predict, options);
  const tolerance = `${(settings.tolerance * 100).toFixed(1)}%`;
  progress('capacity', `memory budget ${formatBytes(settings.budgetBytes)} per probe; kernels ${settings.kernels.join(', ')}; tolerance ${tolerance}`);
  const limit = await prepareLimit(run);
  if (limit === undefined) return run.snapshot();
  run.update();
  for (const name of settings.kernels) {
    const avail = getKernel(name).availability();
    if (!avail.available) {
      // Reported as such; never replaced by another kernel.
      const reason = `native: unavailable (${avail.reason})`;
      run.results.push({ kernel: name, description: getKernel(name).description, probes: [], state: 'unavailable', reason });
      progress('capacity', `${name}: unavailable (${avail.reason})`);
      run.update();
      continue;
    }
    if (run.aborted()) {
      run.interrupted = true;
      break;
    }
    await searchKernel(run, limit, name);
    run.update();
    if (run.interrupted) break;
  }
  if (run.interrupted) run.serverCheck = { state: 'skipped', reason: 'interrupted' };
  else if (settings.serverCheck) await checkOnServer(run, limit, hooks.signal);
  return run.snapshot();
}

/** A model's capacity instead of the kernels': the search for onnx (under a verified limit), or why the question does not apply. */
async function runModelCapacity(run: CapacityRun, predict: Exclude<PredictKind, 'cpu'>, options: CapacityOptions): Promise<CapacityData> {
  const { settings } = run;
  const o = {
    predict,
    ...(options.modelFile === undefined ? {} : { modelFile: options.modelFile }),
    ...(options.onnxThreads === undefined ? {} : { onnxThreads: options.onnxThreads }),
    budgetBytes: settings.budgetBytes,
    tolerance: settings.tolerance,
    maxProbes: settings.maxProbesPerKernel,
    ...(options.startN === undefined ? {} : { startRows: options.startN }),
    seed: settings.seed,
    probeTimeout: settings.probeTimeout,
  };
  run.serverCheck = { state: 'skipped', reason: "the server check covers the cpu predict's kernels" };
  const limit = predict === 'onnx' && onnxStatus().available ? await prepareLimit(run) : undefined;
  if (predict === 'onnx' && onnxStatus().available && limit === undefined) {
    const message = run.mechanism === null ? 'no memory limit mechanism (prlimit)' : `the memory limit could not be verified: ${run.mechanism.verification}`;
    run.model = {
      predict,
      question: 'the largest input batch under the memory budget',
      state: 'errored',
      error: { code: 'SB_ERR_INTERNAL', message },
      probes: [],
    };
    return run.snapshot();
  }
  progress(
    'capacity',
    `${predict} predict: ${options.modelFile ?? (predict === 'onnx' ? 'the shipped model-a.onnx' : '')}; memory budget ${formatBytes(settings.budgetBytes)}`,
  );
  run.model = await searchModelCapacity(o, {
    sup: run.sup,
    limit,
    aborted: () => run.aborted(),
    onProbe: (partial, p) => {
      run.model = partial;
      progress('capacity', describeModelProbe(p));
      run.update();
    },
  });
  if (run.aborted()) run.interrupted = true;
  const m = run.model;
  progress(
    'capacity',
    m.state === 'completed' ? `model: max batch ${m.maxRows ?? '-'} rows, fails at ${m.firstFailRows ?? '-'} (${m.failure ?? '-'})` : `model: ${m.state}`,
  );
  return run.snapshot();
}

function describeModelProbe(p: ModelCapacityProbe): string {
  const peak = p.memory?.peakRssBytes ?? p.sampledPeakRssBytes;
  const mem = peak === null ? '' : `, peak RSS ${formatBytes(peak)}`;
  return `  batch ${formatN(p.n)} rows (${p.step}): ${p.outcome === 'ok' ? 'ok' : `${p.outcome}: ${p.detail}`}${mem}, ${(p.durationMs / 1000).toFixed(1)} s`;
}
