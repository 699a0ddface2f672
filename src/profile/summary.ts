// Profile summaries: computed from weighted stacks only (never written by hand): the share of every frame
// group and the top functions by self weight, with their inclusive weight beside it.

import { FRAME_GROUPS, type FrameGroup, type FunctionShare, type GroupShare, type ProfileSource, type ProfileSummary } from '../results/profile.js';
import { frameKey, totalWeight, type StackProfile } from './stacks.js';

export { FRAME_GROUP_LABELS as GROUP_LABELS } from '../results/profile.js';

export interface SummaryOptions {
  source: ProfileSource;
  process: string;
  pids: number[];
  /** How many top functions to keep. @default 12 */
  top?: number;
}

export function summarize(profile: StackProfile, options: SummaryOptions): ProfileSummary {
  const total = totalWeight(profile);
  const frac = (w: number) => (total > 0 ? w / total : 0);

  const groupWeight = new Map<FrameGroup, number>(FRAME_GROUPS.map((g) => [g, 0]));
  const fns = new Map<string, { name: string; location: string; group: FrameGroup; self: number; inclusive: number }>();
  for (const s of profile.stacks) {
    const leaf = s.frames[s.frames.length - 1]!;
    groupWeight.set(leaf.group, (groupWeight.get(leaf.group) ?? 0) + s.weight);
    const seen = new Set<string>();
    for (const f of s.frames) {
      const k = frameKey(f);
      let e = fns.get(k);
      if (e === undefined) {
        e = { name: f.name, location: f.location, group: f.group, self: 0, inclusive: 0 };
        fns.set(k, e);
      }
      if (!seen.has(k)) {
        e.inclusive += s.weight; // a recursive function counts once per stack
        seen.add(k);
      }
    }
    fns.get(frameKey(leaf))!.self += s.weight;
  }

  const groups: GroupShare[] = [...groupWeight.entries()]
    .map(([group, weight]) => ({ group, weight, fraction: frac(weight) }))
    .sort((a, b) => b.weight - a.weight || FRAME_GROUPS.indexOf(a.group) - FRAME_GROUPS.indexOf(b.group));

  const topFunctions: FunctionShare[] = [...fns.values()]
    .filter((f) => f.self > 0)
    .sort((a, b) => b.self - a.self || b.inclusive - a.inclusive)
    .slice(0, options.top ?? 12)
    .map((f) => ({ ...f, selfFraction: frac(f.self), inclusiveFraction: frac(f.inclusive) }));

  return {
    source: options.source,
    process: options.process,
    pids: options.pids,
    unit: profile.unit,
    total,
    ...(profile.sampleIntervalUs === undefined ? {} : { sampleIntervalUs: profile.sampleIntervalUs }),
    window: profile.window,
    ...(profile.windowMs === undefined ? {} : { windowMs: profile.windowMs }),
    groups,
    topFunctions,
    blockedDetection: profile.blockedDetection,
  };
}

/** The share of one group (0 when absent). */
export function groupFraction(s: ProfileSummary, group: FrameGroup): number {
  return s.groups.find((g) => g.group === group)?.fraction ?? 0;
}
