// Reads V8 tick profiles (`node --prof`) into weighted stacks: the preprocessed isolate log 0x leaves in its
// output folder (`isolate-*.log.json`, which keeps V8's VM state of every tick: running JS, GC, compiling,
// in a native callback, blocked in Atomics.wait, idle) and clinic flame's samples file (the same frames
// without VM states).

import { readFileSync } from 'node:fs';
import { addStack, blockedFrame, GC_FRAME, groupOfScript, IDLE_FRAME, type Frame, type StackProfile, type WeightedStack } from './stacks.js';
import type { FrameGroup } from '../results/profile.js';

/** A code entry as `node --prof-process --preprocess` writes it. */
interface CodeEntry {
  name: string;
  type: string;
  kind?: string;
}

interface PreprocessedLog {
  code: (CodeEntry | null)[];
  ticks: { tm: number; vm: number; s: number[] }[];
}

/**
 * V8's StateTag (include/v8-unwinder.h), unchanged from V8 9 to 13 (Node 16 to 24):
 * JS, GC, PARSER, BYTECODE_COMPILER, COMPILER, OTHER, EXTERNAL, ATOMICS_WAIT, IDLE, LOGGING.
 */
const VM = { JS: 0, GC: 1, PARSER: 2, BYTECODE_COMPILER: 3, COMPILER: 4, OTHER: 5, EXTERNAL: 6, ATOMICS_WAIT: 7, IDLE: 8, LOGGING: 9 } as const;

const WRITE_FAMILY = /^(__write|_IO_(fwrite|file_write|file_xsputn|new_file_write|do_write)|write|fwrite|fflush)(@|$)|basic_ostream|ostream::/;
const COMPILER_FRAME: Frame = { name: '(compiler)', location: '', group: 'v8' };
const PROFILER_WRITE_FRAME: Frame = { name: '(profiler writing its log)', location: '', group: 'profiler' };

/** A frame for one code entry; `below` is the nearest script frame's group, for builtins and C++. */
function codeFrame(c: CodeEntry, below: FrameGroup | undefined): Frame {
  switch (c.type) {
    case 'JS': {
      // "name file:line:col"; an anonymous function has an empty name.
      const cut = c.name.lastIndexOf(' ');
      const name = cut <= 0 ? '(anonymous)' : c.name.slice(0, cut);
      const loc = (cut < 0 ? c.name : c.name.slice(cut + 1)).replace(/:\d+$/, '');
      return { name, location: loc, group: groupOfScript(loc) };
    }
    case 'SHARED_LIB':
      return { name: c.name, location: c.name, group: sharedLibGroup(c.name) };
    case 'CPP':
      return { name: c.name, location: '', group: cppGroup(c.name, below) };
    default:
      // CODE: builtins, bytecode handlers, stubs, regexps: the engine, or Node when its own code called them.
      return { name: c.kind !== undefined && c.kind !== '' ? `${c.kind}: ${c.name}` : c.name, location: '', group: below === 'node' ? 'node' : 'v8' };
  }
}

function sharedLibGroup(path: string): FrameGroup {
  if (path.endsWith('.node')) return 'native-addon';
  if (/\/node$|\/nodejs$|\/node\d*$/.test(path)) return 'node';
  return 'system';
}

function cppGroup(symbol: string, below: FrameGroup | undefined): FrameGroup {
  // The event loop's poll: waiting for I/O with nothing to run (what V8's IDLE state says when it is known).
  if (/^(epoll_p?wait|uv__io_poll)(@|$)/.test(symbol)) return 'idle';
  if (/^(v8::|Builtins_|v8_)/.test(symbol)) return 'v8';
  if (/^(node::|uv_|uv__|napi_)/.test(symbol)) return 'node';
  if (/@@GLIBC|^__?(libc|GI)_|^(epoll|read|write|__write|__read|poll|futex|pthread_)/.test(symbol)) return 'system';
  return below === 'node' ? 'node' : 'system';
}

/** Frames of one tick, root first, from code entries leaf first. */
function tickFrames(leafFirst: readonly CodeEntry[]): Frame[] {
  const rootFirst = [...leafFirst].reverse();
  const frames: Frame[] = [];
  let below: FrameGroup | undefined;
  for (const c of rootFirst) {
    const f = codeFrame(c, below);
    if (c.type === 'JS') below = f.group;
    frames.push(f);
  }
  return frames;
}

/** Read 0x's preprocessed isolate log (isolate-*-v8.log.json) into weighted stacks. */
export function tickLogToStacks(file: string): StackProfile {
  const log = JSON.parse(readFileSync(file, 'utf8')) as Partial<PreprocessedLog>;
  if (!Array.isArray(log.code) || !Array.isArray(log.ticks)) throw new Error(`${file} is not a preprocessed V8 tick log (no code/ticks)`);
  const code = log.code;
  const counts = new Map<string, WeightedStack>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const tick of log.ticks) {
    first = Math.min(first, tick.tm);
    last = Math.max(last, tick.tm);
    // s holds [code index, pc offset] pairs, leaf first; -1 is an address outside any known code.
    const entries: CodeEntry[] = [];
    for (let i = 0; i < tick.s.length; i += 2) {
      const c = code[tick.s[i]!];
      if (c !== undefined && c !== null) entries.push(c);
    }
    let frames = tickFrames(entries);
    // Compiling while writing: V8 logging code events for --prof, or 0x's --print-opt-source output.
    const writing = entries[0] !== undefined && entries[0].type === 'CPP' && WRITE_FAMILY.test(entries[0].name);
    switch (tick.vm) {
      case VM.IDLE:
        frames = [IDLE_FRAME];
        break;
      case VM.ATOMICS_WAIT: {
        // Keep the JavaScript that waited; drop the libc frame the wait sleeps in.
        const kept = frames.filter((f) => f.group !== 'system');
        frames = [...kept, blockedFrame('Atomics.wait', kept[kept.length - 1]?.location ?? '')];
        break;
      }
      case VM.GC:
        frames = [...frames.filter((f) => f.group !== 'system'), GC_FRAME];
        break;
      case VM.PARSER:
      case VM.BYTECODE_COMPILER:
      case VM.COMPILER:
        frames = [...frames.filter((f) => f.group !== 'system'), writing ? PROFILER_WRITE_FRAME : COMPILER_FRAME];
        break;
      case VM.LOGGING:
        frames = [...frames.filter((f) => f.group !== 'system'), PROFILER_WRITE_FRAME];
        break;
      default:
        if (frames.length === 0) frames = [{ name: '(unknown code)', location: '', group: 'system' }];
    }
    addStack(counts, frames, 1);
  }
  return {
    stacks: [...counts.values()],
    unit: 'samples',
    window: 'whole-process',
    ...(Number.isFinite(first) ? { windowMs: Math.round((last - first) / 1000) } : {}),
    blockedDetection: 'vm-state',
  };
}

/** Read clinic flame's samples file (<pid>.clinic-flame-samples: ticks of frames, root first). */
export function flameSamplesToStacks(file: string): StackProfile {
  const ticks = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(ticks)) throw new Error(`${file} is not a clinic flame samples file (not an array of ticks)`);
  const counts = new Map<string, WeightedStack>();
  for (const tick of ticks as CodeEntry[][]) {
    if (!Array.isArray(tick) || tick.length === 0) continue; // ticks outside known code carry no frames
    addStack(counts, tickFrames([...tick].reverse()), 1);
  }
  return { stacks: [...counts.values()], unit: 'samples', window: 'whole-process', blockedDetection: 'not-possible' };
}
