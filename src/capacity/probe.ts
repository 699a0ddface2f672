// Running one probe: a fresh process under the budget (limit.ts) through the supervisor, compiled JS; its
// peak RSS sampled from /proc while it runs (a probe V8 aborts cannot report its own), a time limit, and
// the outcome classified from what it left behind (classify.ts).

import { readFileSync } from 'node:fs';
import { toErrorInfo, type ErrorInfo } from '../errors.js';
import { formatN } from '../report/format.js';
import type { KernelName } from '../kernels/types.js';
import { compiledEntry } from '../paths.js';
import type { ManagedProcess, Supervisor } from '../processes/index.js';
import type { CapacityProbe, ProbeStage } from '../results/capacity.js';
import { classifyProbe } from './classify.js';
import { limitedNode, type MemoryLimit } from './limit.js';
import { isProbeReport, isProbeStage, type ProbeJob, type ProbeReport } from './protocol.js';

/** VmHWM (peak resident set) of a process, bytes; undefined once it is gone. */
function readPeakRss(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) * 1024;
  } catch {
    // the process has exited (or this is not Linux)
    return undefined;
  }
}

/** Polls a process's VmHWM every intervalMs; stop() returns the highest value seen. */
export function samplePeakRss(pid: number, intervalMs = 100): { stop: () => number | null } {
  let peak: number | null = null;
  const read = () => {
    const v = readPeakRss(pid);
    if (v !== undefined) peak = Math.max(peak ?? 0, v);
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      read();
      return peak;
    },
  };
}

export interface ProbeRequest {
  kernel: KernelName;
  n: number;
  step: CapacityProbe['step'];
  /** Requests in flight at once, each with its own values. @default 1 */
  concurrency?: number;
  seed: number;
  timeoutMs: number;
}

/** One probe of any job: what every probe records (the kernel's or the model's fields are added by the caller). */
export type ProbeRun = Omit<CapacityProbe, 'kernel' | 'mean' | 'reference'> & { report: ProbeReport | undefined };

/** Run one probe to its end and return it as data; never throws. */
export async function runProbe(sup: Supervisor, limit: MemoryLimit, req: ProbeRequest): Promise<CapacityProbe> {
  const concurrency = req.concurrency ?? 1;
  const job: ProbeJob = { mode: 'predict', kernel: req.kernel, n: req.n, seed: req.seed, concurrency };
  const name = `capacity-${req.kernel}-n${formatN(req.n)}${concurrency > 1 ? `-c${concurrency}` : ''}`;
  const { report, ...run } = await runProbeJob(sup, limit, job, { name, n: req.n, step: req.step, concurrency, timeoutMs: req.timeoutMs });
  const probe: CapacityProbe = { kernel: req.kernel, ...run };
  if (report?.outcome === 'ok') {
    probe.mean = report.mean;
    probe.reference = report.reference;
  }
  return probe;
}

/** Run one probe process for `job` under the budget, sample its peak RSS, classify how it ended; never throws. */
export async function runProbeJob(
  sup: Supervisor,
  limit: MemoryLimit,
  job: ProbeJob,
  p: { name: string; n: number; step: CapacityProbe['step']; concurrency: number; timeoutMs: number },
): Promise<ProbeRun> {
  const started = Date.now();
  let proc: ManagedProcess | undefined;
  let stage: ProbeStage = 'started';
  let timedOut = false;
  let error: ErrorInfo | undefined;
  let exit: { code: number | null; signal: string | null } | null = null;
  let peak: number | null = null;
  try {
    const cmd = limitedNode(limit, [compiledEntry('src/capacity/probe-main'), JSON.stringify(job)]);
    proc = await sup.start({ name: p.name, command: cmd.command, args: cmd.args, ipc: true, stopTimeoutMs: 2000, keepOutputBytes: 32 * 1024 });
    const sampler = samplePeakRss(proc.pid);
    proc.onMessage((m) => {
      if (isProbeStage(m)) stage = m.stage;
    });
    try {
      exit = await proc.waitForExit(p.timeoutMs);
    } catch {
      timedOut = true;
      proc.signal('SIGKILL');
      exit = await proc.waitForExit(10_000).catch(() => null);
    }
    peak = sampler.stop();
  } catch (err) {
    error = toErrorInfo(err);
  }
  const report: ProbeReport | undefined = proc?.messages.find(isProbeReport);
  const stages = proc?.messages.filter(isProbeStage) ?? [];
  if (stages.length > 0) stage = stages[stages.length - 1]!.stage;
  if (report !== undefined) stage = report.stage;
  const c = classifyProbe({ report, stage, exit, timedOut, timeoutMs: p.timeoutMs, output: proc?.output() ?? '', error });
  return {
    n: p.n,
    step: p.step,
    concurrency: p.concurrency,
    outcome: c.outcome,
    detail: c.detail,
    stage,
    exit,
    pid: proc?.pid ?? null,
    durationMs: Date.now() - started,
    buildMs: report?.buildMs ?? null,
    kernelMs: report?.kernelMs ?? null,
    memory: report?.memory ?? null,
    sampledPeakRssBytes: peak,
    report,
  };
}
