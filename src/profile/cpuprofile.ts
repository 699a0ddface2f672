// Reads a V8 CPU profile (.cpuprofile, as written by `node --cpu-prof`) into weighted stacks.
// Blocked waiting is told apart from running code by the source line each sample landed on: V8 charges the
// time a thread sleeps in Atomics.wait to the JavaScript function that called it, and the profile's
// positionTicks say on which line; a line calling Atomics.wait is a blocked wait, not CPU work.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { blockedFrame, GC_FRAME, groupOfScript, IDLE_FRAME, PROGRAM_FRAME, type Frame, type StackProfile, type WeightedStack } from './stacks.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
  hitCount?: number;
  positionTicks?: { line: number; ticks: number }[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface CpuProfileReadOptions {
  /** Keep only samples taken in this window of the monotonic clock (µs, as process.hrtime): the load. */
  windowUs?: { startUs: number; endUs: number };
  /** Names the native addon exports: a native frame with one of them is charged to the addon. */
  addonFunctions?: ReadonlySet<string>;
  /** Files of the JavaScript wrapper that calls the addon (absolute, or a path suffix such as '/kernels/native.js'). */
  addonWrappers?: readonly string[];
  /**
   * What a sample in Atomics.wait means on this thread: 'blocked' on a main thread (a sync call holds the
   * event loop with requests queued behind it), 'idle' on a worker thread (a pool worker waiting for a task).
   * @default 'blocked'
   */
  atomicsWait?: 'blocked' | 'idle';
}

/** Read and check a .cpuprofile file. */
export function loadCpuProfile(file: string): CpuProfile {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CpuProfile>;
  if (!Array.isArray(parsed.nodes) || typeof parsed.startTime !== 'number' || typeof parsed.endTime !== 'number') {
    throw new Error(`${file} is not a V8 CPU profile (no nodes/startTime/endTime)`);
  }
  return parsed as CpuProfile;
}

const ATOMICS_WAIT = /\bAtomics\.wait\s*\(/;

/** Whether `file` is servebench's wrapper of the native addon (the only JavaScript that calls into it). */
function wrapperFile(file: string, options: CpuProfileReadOptions): boolean {
  return (options.addonWrappers ?? []).some((w) => file === w || file.endsWith(w));
}

/** The synthetic leaf for samples on one source line, or undefined when the line is ordinary code. */
function lineLeaf(text: string, where: string, inWrapper: boolean, addon: ReadonlySet<string>, wait: 'blocked' | 'idle'): Frame | undefined {
  if (ATOMICS_WAIT.test(text))
    return wait === 'idle' ? { name: '(waiting for work) Atomics.wait', location: where, group: 'idle' } : blockedFrame('Atomics.wait', where);
  if (inWrapper) {
    for (const m of text.matchAll(/\.(\w+)\s*\(/g)) {
      if (addon.has(m[1]!)) return { name: `(native) ${m[1]!}`, location: 'native addon', group: 'native-addon' };
    }
  }
  return undefined;
}
/** Node functions whose native callee blocks the thread until a child process or worker answers. */
const BLOCKING_CALLERS = new Set(['spawnSync', 'execSync', 'execFileSync']);

/** Reads source lines of profiled scripts once, to see whether a sampled line calls Atomics.wait. */
class SourceLines {
  private readonly cache = new Map<string, string[] | undefined>();
  line(url: string, line: number): string | undefined {
    if (!this.cache.has(url)) {
      let lines: string[] | undefined;
      try {
        const path = url.startsWith('file://') ? fileURLToPath(url) : url.startsWith('/') ? url : undefined;
        lines = path === undefined ? undefined : readFileSync(path, 'utf8').split('\n');
      } catch {
        lines = undefined; // a script that is gone or not on disk (eval, node:*): no line to check
      }
      this.cache.set(url, lines);
    }
    return this.cache.get(url)?.[line - 1];
  }
}

function location(cf: CallFrame): string {
  if (cf.url === '') return '';
  const file = cf.url.startsWith('file://') ? fileURLToPath(cf.url) : cf.url;
  return `${file}:${cf.lineNumber + 1}`;
}

interface SampleCounts {
  /** Samples per node id, inside the window when one is given. */
  counts: Map<number, number>;
  /** Times of the first and last sample counted (µs), Infinity and -Infinity when none. */
  firstUs: number;
  lastUs: number;
}

/** Samples per node, inside the window when one is given (sample times are startTime + running deltas). */
function countSamples(profile: CpuProfile, windowUs: CpuProfileReadOptions['windowUs']): SampleCounts {
  const counts = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let t = profile.startTime;
  let firstUs = Number.POSITIVE_INFINITY;
  let lastUs = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    if (windowUs !== undefined && (t < windowUs.startUs || t > windowUs.endUs)) continue;
    const id = samples[i]!;
    counts.set(id, (counts.get(id) ?? 0) + 1);
    firstUs = Math.min(firstUs, t);
    lastUs = Math.max(lastUs, t);
  }
  if (samples.length === 0) {
    // Older profiles carry hitCount only.
    for (const n of profile.nodes) if ((n.hitCount ?? 0) > 0) counts.set(n.id, n.hitCount!);
  }
  return { counts, firstUs, lastUs };
}

/** The frames from the root to each node, classified; cached per node. */
class FramePaths {
  private readonly byId = new Map<number, CpuProfileNode>();
  private readonly parentOf = new Map<number, number>();
  private readonly cache = new Map<number, Frame[]>();

  constructor(
    nodes: readonly CpuProfileNode[],
    private readonly addon: ReadonlySet<string>,
  ) {
    for (const n of nodes) this.byId.set(n.id, n);
    for (const n of nodes) for (const c of n.children ?? []) this.parentOf.set(c, n.id);
  }

  node(id: number): CpuProfileNode {
    return this.byId.get(id)!;
  }

  to(id: number): Frame[] {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const chain: CpuProfileNode[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = this.parentOf.get(cur)) {
      const n = this.byId.get(cur);
      if (n === undefined || n.callFrame.functionName === '(root)') break;
      chain.push(n);
    }
    chain.reverse();
    const frames: Frame[] = [];
    let lastScriptGroup: 'node' | 'other' = 'other';
    for (const n of chain) {
      const cf = n.callFrame;
      const name = cf.functionName === '' ? '(anonymous)' : cf.functionName;
      if (cf.url !== '') {
        const g = groupOfScript(cf.url);
        lastScriptGroup = g === 'node' ? 'node' : 'other';
        frames.push({ name, location: location(cf), group: g });
      } else if (name === '(idle)') frames.push(IDLE_FRAME);
      else if (name === '(garbage collector)') frames.push(GC_FRAME);
      else if (name === '(program)') frames.push(PROGRAM_FRAME);
      else if (this.addon.has(cf.functionName)) frames.push({ name, location: 'native addon', group: 'native-addon' });
      // A native function without a script: a Node binding when Node's own JavaScript called it,
      // otherwise an engine builtin or API callback called from app code.
      else frames.push({ name, location: '', group: lastScriptGroup === 'node' ? 'node' : 'v8' });
    }
    this.cache.set(id, frames);
    return frames;
  }
}

/**
 * Split a node's samples by source line (positionTicks cover the whole profile, so a window scales them): a
 * line calling Atomics.wait is a wait; a line of the native wrapper calling an addon function is time in
 * the addon, which V8 charges to the JavaScript caller (napi functions get no frame of their own).
 */
function splitByLine(node: CpuProfileNode, frames: Frame[], count: number, sources: SourceLines, options: CpuProfileReadOptions): WeightedStack[] {
  const ticks = node.positionTicks ?? [];
  const lineTotal = ticks.reduce((s, p) => s + p.ticks, 0);
  if (node.callFrame.url === '' || lineTotal === 0) return [{ frames, weight: count }];
  const file = location(node.callFrame).replace(/:\d+$/, '');
  const addon = options.addonFunctions ?? new Set<string>();
  const byLeaf = new Map<string, { frame: Frame | undefined; ticks: number }>();
  for (const p of ticks) {
    const text = sources.line(node.callFrame.url, p.line);
    const leaf = text === undefined ? undefined : lineLeaf(text, `${file}:${p.line}`, wrapperFile(file, options), addon, options.atomicsWait ?? 'blocked');
    const k = leaf === undefined ? '' : `${leaf.name}\u0000${leaf.location}`;
    const e = byLeaf.get(k) ?? { frame: leaf, ticks: 0 };
    e.ticks += p.ticks;
    byLeaf.set(k, e);
  }
  const stacks: WeightedStack[] = [];
  let left = count;
  const parts = [...byLeaf.values()].sort((a, b) => (a.frame === undefined ? 1 : 0) - (b.frame === undefined ? 1 : 0));
  for (const part of parts) {
    const w = part.frame === undefined ? left : Math.min(left, Math.round((count * part.ticks) / lineTotal));
    if (w <= 0) continue;
    stacks.push({ frames: part.frame === undefined ? frames : [...frames, part.frame], weight: w });
    left -= w;
  }
  if (left > 0) stacks.push({ frames, weight: left });
  return stacks;
}

/** Turn a CPU profile into weighted stacks, classified and with blocked waits made explicit. */
export function cpuProfileToStacks(profile: CpuProfile, options: CpuProfileReadOptions = {}): StackProfile {
  const { counts, firstUs, lastUs } = countSamples(profile, options.windowUs);
  const paths = new FramePaths(profile.nodes, options.addonFunctions ?? new Set<string>());
  const sources = new SourceLines();
  const stacks: WeightedStack[] = [];
  for (const [id, count] of counts) {
    const node = paths.node(id);
    const frames = paths.to(id);
    if (frames.length === 0) continue;
    const parentName = frames.length >= 2 ? frames[frames.length - 2]!.name : '';
    // A native leaf under spawnSync & co: the thread waits for another process or thread.
    if (node.callFrame.url === '' && BLOCKING_CALLERS.has(parentName)) {
      stacks.push({ frames: [...frames.slice(0, -1), blockedFrame(parentName, frames[frames.length - 1]!.name)], weight: count });
      continue;
    }
    stacks.push(...splitByLine(node, frames, count, sources, options));
  }

  const samples = profile.samples ?? [];
  const intervalUs = samples.length > 1 ? (profile.endTime - profile.startTime) / samples.length : undefined;
  const windowMs =
    options.windowUs !== undefined
      ? Math.max(0, Math.min(options.windowUs.endUs, profile.endTime) - Math.max(options.windowUs.startUs, profile.startTime)) / 1000
      : Number.isFinite(firstUs)
        ? (lastUs - firstUs) / 1000
        : undefined;
  return {
    stacks,
    unit: 'samples',
    ...(intervalUs === undefined ? {} : { sampleIntervalUs: Math.round(intervalUs) }),
    window: options.windowUs === undefined ? 'whole-process' : 'load',
    ...(windowMs === undefined ? {} : { windowMs: Math.round(windowMs) }),
    blockedDetection: 'source-line',
  };
}
