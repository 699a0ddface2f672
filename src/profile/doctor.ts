// Clinic doctor's verdict, read from the analysis doctor embeds in its own HTML report ("analysis": {...}):
// the very result doctor shows, not a re-computation (which would also pull TensorFlow.js into servebench).

import { readFileSync } from 'node:fs';
import type { DoctorVerdict } from '../results/profile.js';

/** Doctor's own wording for each category (@clinic/doctor recommendations/index.js). */
const TITLES: Record<string, string> = {
  gc: 'a potential Garbage Collection issue',
  'event-loop': 'a potential Event Loop issue',
  io: 'a potential I/O issue',
  data: 'data analysis issue',
  unknown: 'an unknown issue',
  none: 'no issue',
};

interface DoctorAnalysis {
  interval: [number, number];
  issues: { delay: string; cpu: string; memory: Record<string, string>; handles: string; loopUtilization?: string };
  issueCategory: string;
}

/** Find the JSON object that starts at `start` (a '{'), respecting strings. */
function objectAt(text: string, start: number): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

/** Read doctor's verdict from its HTML report; throws with the reason when the report holds none. */
export function readDoctorVerdict(htmlFile: string): DoctorVerdict {
  const html = readFileSync(htmlFile, 'utf8');
  const m = /"analysis":\s*\{/.exec(html);
  if (m === null) throw new Error(`no "analysis" block in ${htmlFile}`);
  const json = objectAt(html, m.index + m[0].length - 1);
  if (json === undefined) throw new Error(`the "analysis" block in ${htmlFile} is cut short`);
  const a = JSON.parse(json) as DoctorAnalysis;
  const [from, to] = a.interval;
  return {
    category: a.issueCategory,
    title: TITLES[a.issueCategory] ?? a.issueCategory,
    issues: {
      delay: a.issues.delay,
      cpu: a.issues.cpu,
      memory: a.issues.memory,
      handles: a.issues.handles,
      loopUtilization: a.issues.loopUtilization ?? 'not measured',
    },
    analysedMs: Number.isFinite(from) && Number.isFinite(to) ? to - from : 0,
  };
}
