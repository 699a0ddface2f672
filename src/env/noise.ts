// The noise check: is the host quiet enough for trustworthy figures? servebench idles for a short window
// while it watches /proc/stat (busy and stolen CPU time) and /proc/<pid>/stat (who used it), and reads the
// load average. Above a threshold it warns, as data and on stderr.

import { setTimeout as sleep } from 'node:timers/promises';
import type { BusyProcess, MaybeKnown, NoiseCheck } from '../results/env.js';
import { unknown } from './parse.js';
import type { HostSources } from './sources.js';

export interface NoiseThresholds {
  /** 1-minute load average per logical core. @default 0.8 */
  loadPerCore: number;
  /** Share of all CPU time busy while servebench idles. @default 0.25 */
  busyFraction: number;
  /** Share of CPU time stolen by the hypervisor. @default 0.05 */
  stealFraction: number;
}

const DEFAULT_NOISE_THRESHOLDS: NoiseThresholds = { loadPerCore: 0.8, busyFraction: 0.25, stealFraction: 0.05 };

interface CpuTimes {
  /** All time, in USER_HZ ticks, summed over CPUs (guest time is already inside user). */
  total: number;
  idle: number;
  steal: number;
  /** Number of cpuN lines: the ticks of one CPU are total / cpus. */
  cpus: number;
}

/** The aggregate 'cpu' line of /proc/stat. */
function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const cpus = text.split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal, cpus: Math.max(cpus, 1) };
}

/** utime + stime of every process, in ticks, with its name. */
function processTimes(sources: HostSources): Map<number, { name: string; ticks: number }> {
  const out = new Map<number, { name: string; ticks: number }>();
  for (const entry of sources.list('/proc') ?? []) {
    if (!/^\d+$/.test(entry)) continue;
    const text = sources.readText(`/proc/${entry}/stat`);
    if (text === undefined) continue;
    // "pid (comm) state ..." where comm may hold spaces and parentheses: split at the last ')'
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    if (open < 0 || close < open) continue;
    const rest = text.slice(close + 2).split(' ');
    // rest[0] is field 3 (state); utime and stime are fields 14 and 15
    const ticks = Number(rest[11]) + Number(rest[12]);
    if (!Number.isFinite(ticks)) continue;
    out.set(Number(entry), { name: text.slice(open + 1, close), ticks });
  }
  return out;
}

export interface NoiseOptions {
  windowMs: number;
  thresholds?: Partial<NoiseThresholds>;
  /** How many of the busiest processes to keep. @default 5 */
  top?: number;
}

/** Watch the host for `windowMs` while idle; return the check (warnings are data; the caller prints them). */
export async function checkNoise(sources: HostSources, options: NoiseOptions): Promise<NoiseCheck> {
  const thresholds = { ...DEFAULT_NOISE_THRESHOLDS, ...options.thresholds };
  const top = options.top ?? 5;
  const statText0 = sources.readText('/proc/stat');
  const procs0 = processTimes(sources);
  const t0 = performance.now();
  await sleep(options.windowMs);
  const statText1 = sources.readText('/proc/stat');
  const procs1 = processTimes(sources);
  const windowMs = Math.round(performance.now() - t0);

  const loadavgText = sources.readText('/proc/loadavg');
  const fromFile = loadavgText?.trim().split(/\s+/).slice(0, 3).map(Number);
  const load = fromFile !== undefined && fromFile.length === 3 && fromFile.every(Number.isFinite) ? fromFile : sources.os.loadavg();
  const loadAverage: [number, number, number] = [load[0] ?? 0, load[1] ?? 0, load[2] ?? 0];
  const logical = Math.max(sources.os.cpus().length, 1);
  const loadPerCore = loadAverage[0] / logical;

  const s0 = statText0 === undefined ? undefined : parseProcStat(statText0);
  const s1 = statText1 === undefined ? undefined : parseProcStat(statText1);
  let busyFraction: MaybeKnown<number>;
  let stealFraction: MaybeKnown<number>;
  let busiestProcesses: MaybeKnown<BusyProcess[]>;
  let unattributedCores: number | undefined;
  if (s0 === undefined || s1 === undefined || s1.total - s0.total <= 0) {
    const why = s0 === undefined || s1 === undefined ? 'no cpu line in /proc/stat' : `/proc/stat did not advance in ${windowMs} ms`;
    busyFraction = unknown(why);
    stealFraction = unknown(why);
    busiestProcesses = unknown(why);
  } else {
    const total = s1.total - s0.total;
    const self = procs1.get(process.pid);
    const selfBefore = procs0.get(process.pid);
    // servebench's own ticks (reading /proc twice) are not noise from others
    const selfTicks = self !== undefined && selfBefore !== undefined ? Math.max(0, self.ticks - selfBefore.ticks) : 0;
    const busy = Math.max(0, total - (s1.idle - s0.idle) - selfTicks);
    busyFraction = busy / total;
    stealFraction = (s1.steal - s0.steal) / total;
    const ticksPerCpu = total / s1.cpus;
    const list: BusyProcess[] = [];
    for (const [pid, after] of procs1) {
      // A process not there at the start began during the window: all its time is the window's.
      const used = after.ticks - (procs0.get(pid)?.ticks ?? 0);
      if (used > 0) list.push({ pid, name: after.name, cpuCores: used / ticksPerCpu, self: pid === process.pid });
    }
    list.sort((a, b) => b.cpuCores - a.cpuCores);
    busiestProcesses = list.slice(0, top);
    // Busy time (steal aside) that no process seen at the end accounts for: processes that started and ended within the
    // window (compilers, short scripts), which no snapshot of /proc can name.
    const othersCores = list.filter((p) => !p.self).reduce((sum, p) => sum + p.cpuCores, 0);
    unattributedCores = Math.max(0, (busy - (s1.steal - s0.steal)) / ticksPerCpu - othersCores);
  }

  const warnings: string[] = [];
  if (loadPerCore > thresholds.loadPerCore) {
    const perCore = `${loadPerCore.toFixed(2)} per core, limit ${thresholds.loadPerCore}`;
    warnings.push(`load average ${loadAverage[0].toFixed(2)} over ${logical} logical CPUs (${perCore}) in the last minute`);
  }
  if (typeof busyFraction === 'number' && busyFraction > thresholds.busyFraction) {
    const who = Array.isArray(busiestProcesses)
      ? busiestProcesses
          .filter((p) => !p.self)
          .slice(0, 3)
          .map((p) => `${p.name} (pid ${p.pid}, ${p.cpuCores.toFixed(2)} cores)`)
          .join(', ')
      : '';
    const gone =
      unattributedCores !== undefined && unattributedCores >= 0.05
        ? `; short-lived processes (gone before the window ended): ${unattributedCores.toFixed(2)} cores`
        : '';
    const busiest = `${who === '' ? '' : `; busiest: ${who}`}${gone}`;
    warnings.push(
      `${pct(busyFraction)} of all CPU time was busy during a ${windowMs} ms window while servebench idled (limit ${pct(thresholds.busyFraction)})${busiest}`,
    );
  }
  if (typeof stealFraction === 'number' && stealFraction > thresholds.stealFraction) {
    warnings.push(`the hypervisor stole ${pct(stealFraction)} of CPU time during the window (limit ${pct(thresholds.stealFraction)})`);
  }
  const gone = unattributedCores === undefined ? {} : { unattributedCores };
  return { loadPerCore, loadAverage, stealFraction, busyFraction, busiestProcesses, ...gone, windowMs, thresholds, quiet: warnings.length === 0, warnings };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
