// Parses `perf script -F comm,pid,tid,time,ip,sym,dso` output of a `perf record -g` capture into weighted
// stacks, one profile per process. JavaScript frames come from the /tmp/perf-<pid>.map files node writes
// with --perf-basic-prof; Rust frames of the native addon come from its .node library by symbol.
// perf's cpu-clock samples only a thread that is on a CPU: idle and blocked time never appear here.

import { addStack, groupOfScript, totalWeight, type Frame, type StackProfile, type WeightedStack } from './stacks.js';
import type { FrameGroup } from '../results/profile.js';

/** One process's samples, with its command name. */
export interface PerfProcessProfile {
  pid: number;
  comm: string;
  profile: StackProfile;
}

const HEADER = /^(\S.*?)\s+(\d+)\/(\d+)\s+(\d+\.\d+):/;
const FRAME = /^\s*([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$/;
// perf-<pid>.map names: "JS:*name file:line:col", older V8 "LazyCompile:~name file:line", builtins "Builtin:Name".
const JIT_PREFIX = /^(JS|LazyCompile|Function|Script|Eval|InterpretedFunction|Builtin|BytecodeHandler|Stub|RegExp|Handler|Code):/;

function frameOf(symRaw: string, dso: string): Frame {
  const sym = symRaw.replace(/\+0x[0-9a-f]+$/, '');
  if (dso.startsWith('/tmp/perf-') && dso.endsWith('.map')) {
    const m = JIT_PREFIX.exec(sym);
    const kind = m?.[1] ?? '';
    const rest = m === null ? sym : sym.slice(m[0].length);
    if (kind === 'JS' || kind === 'LazyCompile' || kind === 'Function' || kind === 'Script' || kind === 'Eval' || kind === 'InterpretedFunction') {
      const body = rest.replace(/^[*~^+-]/, '');
      const cut = body.lastIndexOf(' ');
      const name = cut <= 0 ? '(anonymous)' : body.slice(0, cut);
      const loc = (cut < 0 ? body : body.slice(cut + 1)).replace(/:\d+$/, '');
      return { name, location: loc, group: groupOfScript(loc) };
    }
    return { name: sym, location: '', group: 'v8' };
  }
  let group: FrameGroup;
  if (dso === '[kernel.kallsyms]' || dso.startsWith('[')) group = dso === '[unknown]' ? 'v8' : 'system';
  // A dependency's native code (onnxruntime's libonnxruntime.so and its binding) is the dependency's, not servebench's addon.
  else if (dso.includes('/node_modules/')) group = 'dependencies';
  else if (dso.endsWith('.node')) group = 'native-addon';
  else if (/\/node$|\/nodejs$/.test(dso)) group = /^(Builtins_|v8::|v8_|Heap|Scavenger|Mark)/.test(sym) ? 'v8' : 'node';
  else group = 'system';
  return { name: sym, location: dso, group };
}

export interface PerfScriptOptions {
  /** Keep only samples in this window of the monotonic clock (µs); needs `perf record -k mono`. */
  windowUs?: { startUs: number; endUs: number };
  /** Keep only these processes; all when absent. */
  pids?: ReadonlySet<number>;
}

/** Accumulates perf script lines (feed them one at a time: the output can be large) into per-process stacks. */
export class PerfScriptReader {
  private readonly byPid = new Map<number, { comm: string; stacks: Map<string, WeightedStack>; first: number; last: number }>();
  private header: { comm: string; pid: number; tUs: number } | undefined;
  private leafFirst: Frame[] = [];

  constructor(private readonly options: PerfScriptOptions = {}) {}

  line(text: string): void {
    if (text.trim() === '') {
      this.flush();
      return;
    }
    const h = HEADER.exec(text);
    if (h !== null) {
      this.flush();
      this.header = { comm: h[1]!, pid: Number(h[2]), tUs: Math.round(Number(h[4]) * 1e6) };
      return;
    }
    const f = FRAME.exec(text);
    if (f !== null && this.header !== undefined) this.leafFirst.push(frameOf(f[2]!, f[3]!));
  }

  private flush(): void {
    const h = this.header;
    const frames = this.leafFirst.reverse();
    this.header = undefined;
    this.leafFirst = [];
    if (h === undefined || frames.length === 0) return;
    if (this.options.pids !== undefined && !this.options.pids.has(h.pid)) return;
    const w = this.options.windowUs;
    if (w !== undefined && (h.tUs < w.startUs || h.tUs > w.endUs)) return;
    // Stacks broken by code without frame pointers end in an unknown root: drop it.
    while (frames.length > 1 && frames[0]!.name === '[unknown]') frames.shift();
    let p = this.byPid.get(h.pid);
    if (p === undefined) {
      p = { comm: h.comm, stacks: new Map(), first: h.tUs, last: h.tUs };
      this.byPid.set(h.pid, p);
    }
    p.first = Math.min(p.first, h.tUs);
    p.last = Math.max(p.last, h.tUs);
    addStack(p.stacks, frames, 1);
  }

  /** Per-process profiles, most samples first. */
  finish(sampleIntervalUs: number): PerfProcessProfile[] {
    this.flush();
    const w = this.options.windowUs;
    return [...this.byPid.entries()]
      .map(([pid, p]) => ({
        pid,
        comm: p.comm,
        profile: {
          stacks: [...p.stacks.values()],
          unit: 'samples' as const,
          sampleIntervalUs,
          window: w === undefined ? ('whole-process' as const) : ('load' as const),
          windowMs: Math.round((w === undefined ? p.last - p.first : w.endUs - w.startUs) / 1000),
          blockedDetection: 'not-possible' as const,
        },
      }))
      .sort((a, b) => totalWeight(b.profile) - totalWeight(a.profile));
  }
}
