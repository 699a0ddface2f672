// The one in-memory form every profile is read into (V8 CPU profiles, 0x tick logs, clinic flame samples,
// heap profiles, perf scripts): weighted stacks of classified frames. Summaries and flame graphs are both
// computed from it, so every tool's output is grouped and drawn the same way.

import type { FrameGroup } from '../results/profile.js';

export interface Frame {
  /** Function or symbol name; '(idle)', '(garbage collector)' and '(blocked) Atomics.wait' are synthetic. */
  name: string;
  /** file:line for JavaScript, the library for native code, '' when unknown. */
  location: string;
  /** Where the time is charged when this frame is the leaf. */
  group: FrameGroup;
}

export interface WeightedStack {
  /** Root first, leaf last. Never empty. */
  frames: Frame[];
  /** Samples, or bytes for heap profiles. */
  weight: number;
}

/** A profile read into weighted stacks, with what the data says about itself. */
export interface StackProfile {
  stacks: WeightedStack[];
  unit: 'samples' | 'bytes';
  sampleIntervalUs?: number;
  window: 'load' | 'whole-process';
  windowMs?: number;
  blockedDetection: 'vm-state' | 'source-line' | 'not-possible';
}

/** Which frame groups an application-relative script path belongs to. */
export function groupOfScript(file: string): FrameGroup {
  if (file.startsWith('node:') || file.startsWith('internal/') || /^[a-z_]+(\.js)?$/.test(file)) return 'node';
  if (file.includes('/node_modules/') || file.includes('\\node_modules\\')) return 'dependencies';
  return 'app';
}

export const IDLE_FRAME: Frame = { name: '(idle)', location: '', group: 'idle' };
export const GC_FRAME: Frame = { name: '(garbage collector)', location: '', group: 'v8' };
export const PROGRAM_FRAME: Frame = { name: '(program)', location: '', group: 'v8' };

/** The synthetic leaf for time spent blocked in a synchronous wait, under the frame that waited. */
export function blockedFrame(what: string, location: string): Frame {
  return { name: `(blocked) ${what}`, location, group: 'blocked' };
}

/** Merge several profiles of the same kind (e.g. every cluster worker's) into one. */
export function mergeProfiles(profiles: readonly StackProfile[]): StackProfile {
  const first = profiles[0];
  if (first === undefined) throw new Error('mergeProfiles: nothing to merge');
  const windows = profiles.map((p) => p.windowMs).filter((v): v is number => v !== undefined);
  return {
    stacks: profiles.flatMap((p) => p.stacks),
    unit: first.unit,
    ...(first.sampleIntervalUs === undefined ? {} : { sampleIntervalUs: first.sampleIntervalUs }),
    window: profiles.every((p) => p.window === 'load') ? 'load' : 'whole-process',
    ...(windows.length > 0 ? { windowMs: Math.max(...windows) } : {}),
    blockedDetection: first.blockedDetection,
  };
}

/** A call tree merged from weighted stacks: what a flame graph draws. */
export interface CallTreeNode {
  frame: Frame;
  /** Weight of every stack through this node. */
  total: number;
  /** Weight of stacks ending here. */
  self: number;
  children: Map<string, CallTreeNode>;
}

export function frameKey(f: Frame): string {
  return `${f.name}\u0000${f.location}`;
}

/** Add `weight` to the stack of these frames in `into` (keyed by its frames), or add the stack. */
export function addStack(into: Map<string, WeightedStack>, frames: Frame[], weight: number): void {
  const key = frames.map(frameKey).join('\u0001');
  const s = into.get(key);
  if (s === undefined) into.set(key, { frames, weight });
  else s.weight += weight;
}

/** The total weight of a profile's stacks (samples, or bytes). */
export function totalWeight(p: StackProfile): number {
  return p.stacks.reduce((s, x) => s + x.weight, 0);
}

export function buildCallTree(stacks: readonly WeightedStack[]): CallTreeNode {
  const root: CallTreeNode = { frame: { name: 'all', location: '', group: 'app' }, total: 0, self: 0, children: new Map() };
  for (const s of stacks) {
    root.total += s.weight;
    let node = root;
    for (const f of s.frames) {
      const k = frameKey(f);
      let child = node.children.get(k);
      if (child === undefined) {
        child = { frame: f, total: 0, self: 0, children: new Map() };
        node.children.set(k, child);
      }
      child.total += s.weight;
      node = child;
    }
    node.self += s.weight;
  }
  return root;
}
