// Latency recording for both engines: one HDR histogram (hdr-histogram-js) in microseconds for the whole
// window, plus per-bin values for the time series (how latency moves during a ramp or a recovery).

import hdr from 'hdr-histogram-js';
import type { LatencyBin, LatencyUs } from '../results/load.js';
import { quantileSorted, round1 } from '../stats/index.js';

/** Highest latency tracked without resizing: 10 minutes in microseconds (the histogram grows beyond if needed). */
const HIGHEST_US = 600_000_000;

export class LatencyRecorder {
  private readonly histogram = hdr.build({
    bitBucketSize: 'packed',
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
  });
  private readonly bins: { values: number[]; failures: number }[] = [];
  private count = 0;

  /**
   * @param binMs width of the time-series bins, ms
   */
  constructor(private readonly binMs: number) {}

  /** Record one successful response's latency; `atMs` is its completion time from the window's start. */
  record(latencyUs: number, atMs: number): void {
    const v = Math.max(1, Math.round(latencyUs));
    this.histogram.recordValue(v);
    this.count++;
    this.bin(atMs).values.push(v);
  }

  /** Count a failure in the time series (failures are not part of the latency histogram). */
  recordFailure(atMs: number): void {
    this.bin(atMs).failures++;
  }

  get recorded(): number {
    return this.count;
  }

  private bin(atMs: number) {
    const i = Math.max(0, Math.floor(atMs / this.binMs));
    while (this.bins.length <= i) this.bins.push({ values: [], failures: 0 });
    return this.bins[i]!;
  }

  /**
   * The window's histogram in HdrHistogram's compressed base64 form (what HdrHistogram in Java, Go, Rust or
   * Python and hdr-histogram-js's decodeFromCompressedBase64 read), so any percentile can be taken later and
   * repeats merged; undefined when nothing was recorded.
   */
  encoded(): string | undefined {
    return this.count === 0 ? undefined : hdr.encodeIntoCompressedBase64(this.histogram);
  }

  /** Percentiles over the window; all zeros when nothing was recorded. */
  summary(): LatencyUs {
    const h = this.histogram;
    if (this.count === 0) return { min: 0, mean: 0, stdev: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    return {
      min: h.minNonZeroValue,
      mean: round1(h.mean),
      stdev: round1(h.stdDeviation),
      p50: h.getValueAtPercentile(50),
      p90: h.getValueAtPercentile(90),
      p99: h.getValueAtPercentile(99),
      p999: h.getValueAtPercentile(99.9),
      max: h.maxValue,
    };
  }

  /**
   * The time series over `windowMs` (empty bins included, so a stall shows). A last sliver shorter than
   * half a bin (the window ends a few ms after its planned length) is merged into the bin before it, and
   * so is anything recorded after the window (open loop: scheduled in it, completed later).
   */
  series(windowMs: number): LatencyBin[] {
    const n = Math.max(1, Math.round(windowMs / this.binMs));
    const merged: { values: number[]; failures: number }[] = Array.from({ length: n }, () => ({ values: [], failures: 0 }));
    this.bins.forEach((b, i) => {
      const into = merged[Math.min(i, n - 1)]!;
      for (const v of b.values) into.values.push(v);
      into.failures += b.failures;
    });
    const out: LatencyBin[] = [];
    for (let i = 0; i < n; i++) {
      const b = merged[i]!;
      const sorted = [...b.values].sort((x, y) => x - y);
      const startMs = i * this.binMs;
      out.push({
        startMs,
        durationMs: Math.round(i === n - 1 ? Math.max(0, windowMs - startMs) : this.binMs),
        completed: sorted.length,
        failures: b.failures,
        p50Us: sorted.length === 0 ? 0 : Math.round(quantileSorted(sorted, 0.5)),
        p99Us: sorted.length === 0 ? 0 : Math.round(quantileSorted(sorted, 0.99)),
        maxUs: sorted.length === 0 ? 0 : sorted[sorted.length - 1]!,
      });
    }
    return out;
  }

  /** Free the histogram's memory. */
  destroy(): void {
    this.histogram.destroy();
  }
}

/** The recorder's encoded histogram as an optional result field. */
export function histogramOf(recorder: LatencyRecorder): { latencyHistogramUs?: string } {
  const h = recorder.encoded();
  return h === undefined ? {} : { latencyHistogramUs: h };
}
