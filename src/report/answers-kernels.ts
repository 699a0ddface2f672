// The answer to "naive vs typed vs native, and the n at which memory runs out" from the kernels and capacity
// suites: the speed of each kernel where the data fits in cache and where it comes from memory, the call
// overhead native repays, and the largest n each fits under the memory budget with how it fails past it.

import type { BenchData } from '../results/bench.js';
import type { KernelsData } from '../results/kernels.js';
import { type Answer, cap, SECTION_TITLES } from './answer.js';
import { PUBLISHED } from './citations.js';
import { count, formatGiB, formatNs, formatSize, times } from './format.js';

/** GB/s of a kernel at n (its median figure), or undefined. */
function gbs(k: KernelsData, kernel: string, n: number): number | undefined {
  const e = k.entries.find((x) => x.kernel === kernel && x.n === n);
  return e?.state === 'completed' ? e.gbPerSec : undefined;
}

/** The kernels in words: at a cache-sized n and at the largest n, GB/s of naive, typed, native and the ratio. */
function kernelsWords(k: KernelsData): string[] {
  const sizes = [...new Set(k.entries.filter((e) => e.state === 'completed').map((e) => e.n))].sort((a, b) => a - b);
  if (sizes.length === 0) return ['The kernels suite measured nothing.'];
  const small = sizes.includes(1e4) ? 1e4 : sizes[Math.floor(sizes.length / 2)]!;
  const large = sizes[sizes.length - 1]!;
  const out: string[] = [];
  for (const n of [...new Set([small, large])]) {
    const [naive, typed, native] = ['naive', 'typed', 'native'].map((x) => gbs(k, x, n));
    const ratio = k.ratios.find((r) => r.n === n)?.nativeOverTyped ?? null;
    const figures = [naive === undefined ? '' : `naive ${naive.toFixed(1)}`, typed === undefined ? '' : `typed ${typed.toFixed(1)}`]
      .concat(native === undefined ? [] : [`native ${native.toFixed(1)} GB/s`])
      .filter((x) => x !== '');
    const where = n === large && n >= 1e7 ? 'from memory' : 'in cache';
    out.push(`At n = ${formatSize(n)} (${where}): ${figures.join(', ')}${ratio === null ? '' : `, native ${times(ratio)} typed`}.`);
  }
  if (!k.native.available) out.push(`The native kernels did not run here: ${k.native.reason}.`);
  const over = k.callOverhead.nativeNsPerCall;
  if (k.crossover.state === 'found') {
    out.push(
      `Native's call costs ${over === null ? 'a fixed overhead' : formatNs(over)} and pays off from n = ${formatSize(k.crossover.n)} on` +
        `${k.crossover.below === null ? '' : ` (typed at least as fast at n = ${formatSize(k.crossover.below)})`}.`,
    );
  }
  return out;
}

/** Capacity in words: the largest n of naive and typed under the budget, and how each fails past it. */
function capacityWords(data: BenchData): string[] {
  const c = data.sections.capacity;
  if (c === undefined) return ['The capacity suite did not run.'];
  const budget = formatGiB(c.settings.budgetBytes);
  const parts = c.kernels.flatMap((k) => {
    if (k.state !== 'completed' || k.maxN === null) return [];
    const per = k.bytesPerValue === null ? '' : `, ${k.bytesPerValue.toFixed(1)} bytes per value`;
    return [`${k.kernel} ${count(k.maxN)} values${per}, then ${k.failure ?? 'no failure up to the ceiling'}`];
  });
  if (parts.length === 0) return [`No kernel fitted an n under ${budget}.`];
  return [`Under a ${budget} memory budget the largest n per predict: ${parts.join('; ')}.`];
}

/** Question 5: naive vs typed vs native, and the n at which memory runs out. */
export function kernelsAnswer(data: BenchData): Answer {
  const k = data.sections.kernels;
  return {
    question: 'A mean over n values: naive loop, typed array or native code, and at which n does memory run out?',
    sentences: [...(k === undefined ? ['The kernels suite did not run.'] : kernelsWords(k)), ...capacityWords(data)],
    meaning:
      'While the data fits in cache the vectorized native kernel runs several times faster than the best JavaScript loop (V8 does not ' +
      'vectorize it, and the naive loop waits for each add before the next); once the data comes from memory every fast kernel runs at ' +
      "the memory's speed, so native leads by less and only more threads read faster. A plain JS Array costs about three times the memory " +
      'per value of a Float64Array and fails by aborting the whole process (V8 out of heap: a model API dies and every request in flight ' +
      'is lost), while a Float64Array fails with a RangeError the server catches (it answers 500 and stays up).',
    published:
      `${cap(PUBLISHED.kernels)} timed the mean over n = 5,000,000 values at 1.1 to 5.6 s per request ` +
      'and looked for the n that runs out of memory by hand.',
    sections: [SECTION_TITLES.kernels, SECTION_TITLES.capacity],
  };
}
