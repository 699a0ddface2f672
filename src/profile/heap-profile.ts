// Reads a V8 sampling heap profile (clinic heapprofiler's <pid>.clinic-heapprofiler, the .heapprofile format)
// into weighted stacks whose weight is bytes: the sampled allocations still live when the profile was taken.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { groupOfScript, type Frame, type StackProfile, type WeightedStack } from './stacks.js';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: HeapNode[];
}

export function heapProfileToStacks(file: string): StackProfile {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { head?: HeapNode };
  if (parsed.head === undefined || typeof parsed.head !== 'object') throw new Error(`${file} is not a V8 heap profile (no head)`);
  const stacks: WeightedStack[] = [];
  const walk = (node: HeapNode, path: Frame[], below: 'node' | 'other'): void => {
    for (const child of node.children ?? []) {
      const cf = child.callFrame;
      let frame: Frame;
      let next = below;
      if (cf.url !== '') {
        const file = cf.url.startsWith('file://') ? fileURLToPath(cf.url) : cf.url;
        const group = groupOfScript(cf.url);
        next = group === 'node' ? 'node' : 'other';
        frame = { name: cf.functionName === '' ? '(anonymous)' : cf.functionName, location: `${file}:${cf.lineNumber + 1}`, group };
      } else {
        // '(V8 API)', '(BYTECODE_COMPILER)' and other engine-made entries, or natives without a script.
        frame = { name: cf.functionName === '' ? '(anonymous)' : cf.functionName, location: '', group: below === 'node' ? 'node' : 'v8' };
      }
      const frames = [...path, frame];
      if (child.selfSize > 0) stacks.push({ frames, weight: child.selfSize });
      walk(child, frames, next);
    }
  };
  walk(parsed.head, [], 'other');
  return { stacks, unit: 'bytes', window: 'whole-process', blockedDetection: 'not-possible' };
}
