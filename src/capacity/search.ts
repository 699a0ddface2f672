// The search for a kernel's capacity: exponential growth from a start n (or shrinking, when the start
// already fails) until one n fits and a larger one does not, then bisection until the bracket is within the
// tolerance or the probe limit is reached. It only decides which n to try next; running a probe is the
// caller's (so the search is tested without processes).

export type ProbeVerdict = 'fits' | 'fails' | 'stop';

export interface SearchSettings {
  startN: number;
  /** The smallest n tried. */
  minN: number;
  /** The largest n tried (beyond it nothing can fit). */
  maxN: number;
  /** (hi - lo) / lo at which the search stops. */
  tolerance: number;
  maxProbes: number;
  /** Growth and shrink factor. @default 2 */
  factor?: number;
}

export interface SearchResult {
  /** The largest n that fitted. */
  lo: number | null;
  /** The smallest n that failed. */
  hi: number | null;
  probes: number;
  converged: boolean;
  /** Why the search stopped. */
  reason: 'converged' | 'probe-limit' | 'nothing-fits' | 'ceiling-fits' | 'stopped';
}

/** A readable n between lo and hi: the midpoint rounded to a step well inside the tolerance. */
export function midpoint(lo: number, hi: number, tolerance: number): number {
  const raw = Math.round((lo + hi) / 2);
  const step = 10 ** Math.floor(Math.log10(Math.max(1, (tolerance * lo) / 4)));
  const rounded = Math.round(raw / step) * step;
  return rounded > lo && rounded < hi ? rounded : raw;
}

export async function searchCapacity(
  s: SearchSettings,
  probe: (n: number, step: 'grow' | 'shrink' | 'bisect') => Promise<ProbeVerdict>,
): Promise<SearchResult> {
  const factor = s.factor ?? 2;
  let lo: number | null = null;
  let hi: number | null = null;
  let probes = 0;
  const done = (reason: SearchResult['reason']): SearchResult => ({ lo, hi, probes, converged: reason === 'converged', reason });
  const tight = () => lo !== null && hi !== null && (hi - lo <= s.tolerance * lo || hi - lo <= 1);

  let n = Math.min(Math.max(s.startN, s.minN), s.maxN);
  let step: 'grow' | 'shrink' | 'bisect' = 'grow';
  // Bracket: grow while it fits, shrink while it fails.
  for (;;) {
    if (probes >= s.maxProbes) return done('probe-limit');
    probes++;
    const v = await probe(n, step);
    if (v === 'stop') return done('stopped');
    if (v === 'fits') {
      lo = n;
      if (hi !== null) break;
      if (n >= s.maxN) return done('ceiling-fits');
      n = Math.min(Math.round(n * factor), s.maxN);
      step = 'grow';
    } else {
      hi = n;
      if (lo !== null) break;
      if (n <= s.minN) return done('nothing-fits');
      n = Math.max(Math.round(n / factor), s.minN);
      step = 'shrink';
    }
  }
  // Bisect the bracket [lo, hi].
  while (!tight()) {
    if (probes >= s.maxProbes) return done('probe-limit');
    const mid = midpoint(lo!, hi!, s.tolerance);
    probes++;
    const v = await probe(mid, 'bisect');
    if (v === 'stop') return done('stopped');
    if (v === 'fits') lo = mid;
    else hi = mid;
  }
  return done('converged');
}
