// Latency histograms as results keep them (HdrHistogram's compressed base64 form, microseconds): decoded,
// merged exactly (counts added bucket by bucket, so the percentiles of repeats, shards or generator
// processes are those of all their samples, never an average of percentiles), and summarised.

import hdr from 'hdr-histogram-js';
import type { LatencyUs } from './load.js';

type Histogram = ReturnType<typeof hdr.build>;

const settings = { bitBucketSize: 'packed', autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000 } as const;

function decode(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 'packed', false);
}

/** Add histograms into one (exactly: same counts per bucket as one histogram of every sample). */
function addAll(encoded: readonly string[]): Histogram {
  const total = hdr.build({ ...settings, numberOfSignificantValueDigits: 3 });
  for (const e of encoded) total.add(decode(e));
  return total;
}

/** One histogram of every sample of the given ones; undefined when none is given. */
export function mergeHistograms(encoded: readonly string[]): string | undefined {
  if (encoded.length === 0) return undefined;
  return hdr.encodeIntoCompressedBase64(addAll(encoded));
}

/** The number of samples in a histogram. */
export function histogramCount(encoded: string): number {
  return decode(encoded).totalCount;
}

/** Percentiles of the pooled samples of the histograms; undefined when none holds a sample. */
export function pooledLatency(encoded: readonly string[]): (LatencyUs & { count: number }) | undefined {
  const h = addAll(encoded);
  if (h.totalCount === 0) return undefined;
  const at = (p: number) => h.getValueAtPercentile(p);
  return {
    count: h.totalCount,
    min: h.minNonZeroValue,
    mean: h.mean,
    stdev: h.stdDeviation,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: h.maxValue,
  };
}

/**
 * A distribution-free confidence interval of a quantile of the pooled samples: the values at the ranks
 * n q -+ z sqrt(n q (1 - q)) (the order statistics' binomial interval), e.g. where p99 lies at 95%.
 */
export function quantileInterval(encoded: readonly string[], q: number, z = 1.96): { low: number; value: number; high: number; count: number } | undefined {
  const h = addAll(encoded);
  const n = h.totalCount;
  if (n === 0) return undefined;
  const half = z * Math.sqrt(n * q * (1 - q));
  const pct = (rank: number) => Math.min(100, Math.max(0, (rank / n) * 100));
  return {
    low: h.getValueAtPercentile(pct(Math.floor(n * q - half))),
    value: h.getValueAtPercentile(q * 100),
    high: h.getValueAtPercentile(pct(Math.ceil(n * q + half))),
    count: n,
  };
}
