// Generator processes (`servebench load --generator-processes N`): one step measured by N child node
// processes at once (generator-main.ts), each running one engine on its shard of the step's load (rate R/N or
// its share of the connections, seed base + i: src/k8s/shards.ts splits a distributed load the same way),
// started and stopped through the supervisor. They get their work together, so their windows open together;
// their results come back over IPC and are merged exactly into the step's run (results/merge-run.ts:
// histograms added, counts and rps summed, generator CPU summed), each process's own run checked by the
// validity rules first, so a saturated process makes the whole invalid. This lifts the generator's ceiling
// past one core (the JS engines) or one process (any engine).

import { OptionError, ServebenchError, toErrorInfo, type ErrorInfo } from '../errors.js';
import { shardLoad, splitConnections } from '../k8s/shards.js';
import { compiledEntry } from '../paths.js';
import { Supervisor, type ManagedProcess } from '../processes/index.js';
import type { GeneratorProcessPart } from '../results/generator-processes.js';
import type { LoadRun, LoadShape, ScenarioName } from '../results/load.js';
import { mergeRunGroup } from '../results/merge-run.js';
import type { EngineResult, EngineRunOptions, HttpTarget } from './engines/types.js';
import type { ServerSampler } from './sampler.js';
import type { ValidityLimits } from './validity.js';

/** One engine run as a generator process is sent it: the engine's options without their callbacks. */
export type GeneratorJob = Omit<EngineRunOptions, 'onWindowStart' | 'onWindowEnd' | 'onSample' | 'signal'>;

/** A generator process's messages to its parent. */
export type GeneratorToParent =
  | { type: 'generator-ready' }
  | { type: 'window-start'; atEpochMs: number }
  | { type: 'result'; result: EngineResult }
  | { type: 'failed'; error: ErrorInfo };

/** The parent's messages to a generator process. */
export type ParentToGenerator = { type: 'run'; job: GeneratorJob } | { type: 'abort' };

/** The part of a step request (runner.ts's StepRequest) the processes need. */
interface ProcessStep {
  load: LoadShape;
  target: HttpTarget;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
  binMs?: number;
  amount?: number;
  limits: ValidityLimits;
  sampler?: ServerSampler;
  signal?: AbortSignal;
}

type RunHeader = Pick<LoadRun, 'id' | 'configId' | 'scenario' | 'step' | 'repeat' | 'startedAt' | 'load'>;
type Completed = Extract<LoadRun, { state: 'completed' }>;

/** One process's share of a step. */
interface ProcessShare {
  index: number;
  load: LoadShape;
  /** The validity rule's minimum, split: the processes together complete at least the step's. */
  minRequests: number;
  amount?: number;
}

/** One process's run as it came back. */
interface ProcessOutcome {
  pid: number | null;
  windowStartEpochMs?: number;
  result?: EngineResult;
  error?: ErrorInfo;
}

/**
 * Builds one process's run from its engine result, as a step run in this process is built (runner.ts: the
 * validity rules, Little's law, the caveats), with the process's own load and limits.
 */
export type ProcessRunBuilder = (share: { load: LoadShape; limits: ValidityLimits }, startedAt: string, result: EngineResult) => Completed;

/** Refuse what cannot be split over generator processes, naming the option. */
export function checkGeneratorProcesses(o: { generatorProcesses?: number; generatorWorkers?: number }, scenarios: readonly ScenarioName[]): void {
  const n = o.generatorProcesses;
  if (n === undefined) return;
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new OptionError('--generator-processes', `must be an integer between 1 and 64, got ${n}`);
  if (n === 1) return;
  if ((o.generatorWorkers ?? 0) > 0) {
    throw new OptionError(
      '--generator-workers',
      "cannot go with --generator-processes: autocannon's worker threads keep whole-millisecond histograms of their own, which do not merge exactly",
    );
  }
  if (scenarios.includes('autoscale')) {
    throw new OptionError('--generator-processes', "autoscale's arrivals follow its rate profile from one process; it cannot be split over processes");
  }
}

/** Processes a step can use: as many as asked, but no more than the connections (or the in-flight bound) it shares out. */
export function processesForLoad(requested: number, load: LoadShape): number {
  const units = load.kind === 'closed' ? load.connections : load.maxInFlight;
  return Math.max(1, Math.min(requested, units));
}

/** The shares of `count` processes: the load split as shards.ts splits a distributed one, each with seed base + i. */
export function processShares(load: LoadShape, count: number, o: { minRequests: number; amount?: number }): ProcessShare[] {
  const threads = (l: LoadShape) => (l.threads === undefined ? {} : { threads: Math.max(1, Math.floor(l.threads / count)) });
  const inFlight = load.kind === 'open' ? splitConnections(load.maxInFlight, count) : [];
  return Array.from({ length: count }, (_, index) => {
    const shard = { index, count };
    let share: LoadShape;
    if (load.kind === 'closed') {
      share = { ...load, connections: shardLoad({ connections: load.connections, seed: 0 }, shard).connections!, ...threads(load) };
    } else {
      const part = shardLoad({ rateRps: load.rateRps, seed: load.seed }, shard);
      share = { ...load, rateRps: part.rateRps!, seed: part.seed, maxInFlight: inFlight[index]!, ...threads(load) };
    }
    return {
      index,
      load: share,
      minRequests: Math.ceil(o.minRequests / count),
      ...(o.amount === undefined ? {} : { amount: Math.max(1, Math.ceil(o.amount / count)) }),
    };
  });
}

/** Start one generator process; resolves once it has loaded its engines. */
function startGenerator(supervisor: Supervisor, index: number): Promise<ManagedProcess> {
  return supervisor.start({
    name: `load-generator-${index}`,
    command: process.execPath,
    args: [compiledEntry('src/load/generator-main')],
    ipc: true,
    ready: { kind: 'message', type: 'generator-ready' },
    readyTimeoutMs: 30_000,
    stopTimeoutMs: 3000,
  });
}

function jobFor(step: ProcessStep, share: ProcessShare): GeneratorJob {
  return {
    target: step.target,
    load: share.load,
    warmupMs: step.warmupMs,
    durationMs: step.durationMs,
    timeoutMs: step.timeoutMs,
    minRequests: share.minRequests,
    maxWindowMs: step.durationMs * 6,
    ...(step.binMs === undefined ? {} : { binMs: step.binMs }),
    ...(share.amount === undefined ? {} : { amount: share.amount }),
  };
}

/** What a process answered: its result or its error, from its messages (also those that came before its exit). */
function answerOf(messages: readonly unknown[]): Pick<ProcessOutcome, 'result' | 'error'> | undefined {
  for (const raw of messages) {
    const m = raw as GeneratorToParent;
    if (m.type === 'result') return { result: m.result };
    if (m.type === 'failed') return { error: m.error };
  }
  return undefined;
}

/** Wait for one process's answer; its exit without one, or no answer in time, is its error. */
function awaitOutcome(p: ManagedProcess, limitMs: number, onWindow: () => void): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    let windowStart: number | undefined;
    let done = false;
    const finish = (answer: Pick<ProcessOutcome, 'result' | 'error'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      off();
      resolve({ pid: p.pid, ...(windowStart === undefined ? {} : { windowStartEpochMs: windowStart }), ...answer });
    };
    const off = p.onMessage((raw) => {
      const m = raw as GeneratorToParent;
      if (m.type === 'window-start') {
        windowStart = m.atEpochMs;
        onWindow();
      }
      const answer = answerOf([m]);
      if (answer !== undefined) finish(answer);
    });
    void p.waitForExit().then(() => finish(answerOf(p.messages) ?? { error: toErrorInfo(p.exitedError('before it sent its result')) }));
    const timer = setTimeout(() => {
      finish({ error: toErrorInfo(new ServebenchError('SB_ERR_TIMEOUT', `${p.name} sent no result within ${Math.round(limitMs / 1000)} s`)) });
    }, limitMs);
  });
}

/** Send every process its share at once and wait for them all; the sampler's window opens with the first one's. */
async function runTogether(
  procs: readonly ManagedProcess[],
  shares: readonly ProcessShare[],
  step: ProcessStep,
): Promise<{ outcomes: ProcessOutcome[]; windowOpen: boolean }> {
  let windowOpen = false;
  const onWindow = () => {
    if (windowOpen) return;
    windowOpen = true;
    step.sampler?.startWindow();
  };
  const abort = () => {
    for (const p of procs) if (!p.exited) p.send({ type: 'abort' } satisfies ParentToGenerator);
  };
  step.signal?.addEventListener('abort', abort, { once: true });
  const limitMs = step.warmupMs + step.durationMs * 6 + step.timeoutMs + 60_000;
  try {
    const waits = procs.map((p) => awaitOutcome(p, limitMs, onWindow));
    for (const [i, p] of procs.entries()) p.send({ type: 'run', job: jobFor(step, shares[i]!) } satisfies ParentToGenerator);
    if (step.signal?.aborted === true) abort();
    return { outcomes: await Promise.all(waits), windowOpen };
  } finally {
    step.signal?.removeEventListener('abort', abort);
  }
}

/** Measure one step with `count` generator processes and merge their runs exactly into the step's run. */
export async function runStepInProcesses(step: ProcessStep, header: RunHeader, count: number, toRun: ProcessRunBuilder): Promise<LoadRun> {
  const shares = processShares(step.load, count, { minRequests: step.limits.minRequests, ...(step.amount === undefined ? {} : { amount: step.amount }) });
  const supervisor = new Supervisor();
  let measured: { outcomes: ProcessOutcome[]; windowOpen: boolean };
  try {
    const procs = await Promise.all(shares.map((s) => startGenerator(supervisor, s.index)));
    measured = await runTogether(procs, shares, step);
  } catch (err) {
    return { ...header, state: 'errored', error: toErrorInfo(err), valid: false };
  } finally {
    await supervisor.stopAll();
  }
  const servers = measured.windowOpen ? (step.sampler?.endWindow() ?? []) : [];
  const serverTimingUs = measured.windowOpen ? step.sampler?.serverTiming() : undefined;
  const runs: LoadRun[] = measured.outcomes.map((o, i) => {
    const share = shares[i]!;
    if (o.result === undefined)
      return { ...header, load: share.load, state: 'errored', error: o.error ?? { code: 'SB_ERR_INTERNAL', message: 'no result' }, valid: false };
    const startedAt = o.windowStartEpochMs === undefined ? header.startedAt : new Date(o.windowStartEpochMs - step.warmupMs).toISOString();
    return toRun({ load: share.load, limits: { ...step.limits, minRequests: share.minRequests } }, startedAt, o.result);
  });
  const { shards: _shards, ...merged } = mergeRunGroup(runs.map((run, i) => ({ shard: i, file: `generator process ${i}`, run })));
  const whole = { ...merged, id: header.id, step: header.step, load: header.load };
  if (whole.state !== 'completed') return whole;
  const parts = processParts(measured.outcomes, shares, runs);
  return {
    ...whole,
    servers,
    ...(serverTimingUs === undefined ? {} : { serverTimingUs }),
    generatorProcesses: parts,
    notes: [...whole.notes, sharesNote(shares)],
  };
}

function loadOf(l: LoadShape): number {
  return l.kind === 'closed' ? l.connections : l.rateRps;
}

function sharesNote(shares: readonly ProcessShare[]): string {
  const unit = shares[0]!.load.kind === 'closed' ? 'connections' : 'requests/s';
  const loads = shares.map((s) => String(Math.round(loadOf(s.load) * 1000) / 1000)).join(' + ');
  return (
    `${shares.length} generator processes measured this step at once (${loads} ${unit}, seeds base + i); ` +
    "their runs are merged exactly: histograms added, counts and rps summed, the generators' CPU summed, each process's validity kept"
  );
}

/** Each process's part: its share, its own validity and figures, its window's offset. */
function processParts(outcomes: readonly ProcessOutcome[], shares: readonly ProcessShare[], runs: readonly LoadRun[]): GeneratorProcessPart[] {
  const starts = outcomes.flatMap((o) => (o.windowStartEpochMs === undefined ? [] : [o.windowStartEpochMs]));
  const origin = starts.length > 0 ? Math.min(...starts) : undefined;
  return outcomes.map((o, i) => {
    const share = shares[i]!;
    const run = runs[i]!;
    const head = {
      index: share.index,
      pid: o.pid,
      load: Math.round(loadOf(share.load) * 1e6) / 1e6,
      ...(share.load.kind === 'open' ? { seed: share.load.seed } : {}),
    };
    if (run.state !== 'completed') {
      const error = run.state === 'errored' ? run.error : { code: 'SB_ERR_INTERNAL', message: 'skipped' };
      return { ...head, state: 'errored', valid: false, reasons: [error.message], error };
    }
    return {
      ...head,
      state: 'completed',
      valid: run.valid,
      reasons: run.validity.reasons,
      ...(origin === undefined || o.windowStartEpochMs === undefined ? {} : { offsetMs: Math.round(o.windowStartEpochMs - origin) }),
      rps: run.rps,
      successes: run.requests.successes,
      failures: run.failures.total,
      cpuCores: run.generator.cpuCores,
      threads: run.generator.threads,
      eventLoopUtilization: run.generator.eventLoopUtilization,
    };
  });
}
