// The batching experiment's summaries and findings, from its rows alone (pure): each setting's highest
// throughput and the rate at which it breaks; per path the best setting, what it costs in latency, and
// whether a setting reached the goal (1.5x batching off's throughput), or, when none did, why not: the CPU the
// model API spent per request with and without batching, which bounds its capacity (Amdahl).

import type { BatchingResult, BatchingRow, BatchingSettingSummary } from '../results/batching.js';
import type { BatchingSettings } from '../results/serving.js';

const name = (b: BatchingSettings | null) => (b === null ? 'batching off' : `max-size=${b.maxSize},max-wait=${b.maxWaitMs}ms`);
const ms = (us: number) => `${(us / 1000).toFixed(2)} ms`;
const fixed = (x: number, d = 2) => x.toFixed(d);

/** One summary per configuration, in the order the rows first name them. */
export function summariseBatching(rows: readonly BatchingRow[]): BatchingSettingSummary[] {
  const ids = [...new Set(rows.map((r) => r.configId))];
  const out = ids.map((id): BatchingSettingSummary => {
    const rs = rows.filter((r) => r.configId === id);
    const broke = rs.filter((r) => !r.held).map((r) => r.offeredRps);
    const breakRps = broke.length === 0 ? null : Math.min(...broke);
    // The ramp's breaking point: the highest rate held below the first one that was not.
    const held = rs.filter((r) => r.held && (breakRps === null || r.offeredRps < breakRps)).map((r) => r.offeredRps);
    return {
      configId: id,
      path: rs[0]!.path,
      batching: rs[0]!.batching,
      maxRps: Math.round(Math.max(0, ...rs.map((r) => r.rps))),
      breakRps,
      heldRps: held.length === 0 ? null : Math.max(...held),
      speedup: null,
    };
  });
  for (const s of out) {
    const off = out.find((o) => o.path === s.path && o.batching === null);
    if (off !== undefined && off.maxRps > 0) s.speedup = Math.round((s.maxRps / off.maxRps) * 100) / 100;
  }
  return out;
}

/** The latency cost of `best` against batching off at the highest rate both held (else the lowest rate). */
function latencyCost(rows: readonly BatchingRow[], best: BatchingSettingSummary, off: BatchingSettingSummary): string {
  const of = (id: string) => rows.filter((r) => r.configId === id);
  const both = of(off.configId).filter((o) => o.held && of(best.configId).some((b) => b.held && b.offeredRps === o.offeredRps));
  const rates = both.length > 0 ? both.map((r) => r.offeredRps) : of(off.configId).map((r) => r.offeredRps);
  const rate = both.length > 0 ? Math.max(...rates) : Math.min(...rates);
  const o = of(off.configId).find((r) => r.offeredRps === rate);
  const b = of(best.configId).find((r) => r.offeredRps === rate);
  if (o === undefined || b === undefined) return 'its latency cost could not be compared (no common rate)';
  const wait = b.meanBatchWaitMs === null ? '' : `; mean batch ${b.meanBatchSize ?? '-'} requests, mean wait for it ${fixed(b.meanBatchWaitMs)} ms`;
  return (
    `at ${rate}/s it answers p50 ${ms(b.p50Us)} (batching off ${ms(o.p50Us)}), p99 ${ms(b.p99Us)} (off ${ms(o.p99Us)})` +
    `${both.length > 0 ? '' : ' (a rate batching off did not hold)'}${wait}`
  );
}

/** A relative cut in CPU per request, in words. */
const change = (cut: number) => (Math.abs(cut) < 0.005 ? 'the same' : cut > 0 ? `${fixed(cut * 100, 0)}% less` : `${fixed(-cut * 100, 0)}% more`);

/** The median of the rows' CPU time per request, ms (undefined without one). */
function cpuPerRequest(rows: readonly BatchingRow[], id: string): number | undefined {
  const xs = rows.flatMap((r) => (r.configId === id && r.cpuMsPerRequest !== null && r.cpuMsPerRequest > 0 ? [r.cpuMsPerRequest] : [])).sort((a, b) => a - b);
  return xs.length === 0 ? undefined : xs[Math.floor(xs.length / 2)];
}

/**
 * Why no setting reached the goal: throughput is bounded by the CPU the model API spends per request, and
 * batching lowers only the predict call's part of it. The CPU per request with batching off and with the
 * best setting says how much it removed, and so how far capacity could rise.
 */
function whyNot(rows: readonly BatchingRow[], off: BatchingSettingSummary, best: BatchingSettingSummary | undefined, goal: number): string {
  const head = `no setting reached ${goal}x batching off's throughput`;
  const offCpu = cpuPerRequest(rows, off.configId);
  const bestCpu = best === undefined ? undefined : cpuPerRequest(rows, best.configId);
  if (offCpu === undefined || bestCpu === undefined || best === undefined) return `${head}, and the model API's metrics did not cover a window to say why`;
  const us = (x: number) => `${(x * 1000).toFixed(0)} us`;
  const cut = 1 - bestCpu / offCpu;
  return (
    `${head}: the model API spent ${us(offCpu)} of CPU per request with batching off and ${us(bestCpu)} with ${name(best.batching)} ` +
    `(${change(cut)}), so batching could raise its capacity by about ` +
    `${fixed(Math.max(1, offCpu / bestCpu))}x at most: at this n the predict call is a small part of a request; HTTP parsing, JSON in and out ` +
    'and the answer are paid per request with or without batching. Batching pays where the call itself is costly per call: the io ' +
    'predict (one wait per batch), an ONNX session over a batch dimension, or a remote model.'
  );
}

/** A caveat when the host was busy with other work: the settings' figures then differ by more than batching. */
function hostCaveat(h: BatchingResult['hostLoad']): string[] {
  if (h === undefined || Math.max(h.before, h.after) <= h.cores / 2) return [];
  return [
    `the host was busy: load average ${h.before} before and ${h.after} after on ${h.cores} cores, so other work shared the CPU with ` +
      'the model APIs and the generator; a single window can collapse or spike, and one run is a hint, not a verdict (run it on a quiet host)',
  ];
}

export function batchingFindings(result: BatchingResult): string[] {
  const out: string[] = hostCaveat(result.hostLoad);
  if (result.summaries.length === 0) return [...out, 'no setting completed a window'];
  for (const path of result.paths) {
    const ss = result.summaries.filter((s) => s.path === path);
    const off = ss.find((s) => s.batching === null);
    if (off === undefined) continue;
    const settings = ss.filter((s) => s.batching !== null);
    const best = [...settings].sort((a, b) => b.maxRps - a.maxRps)[0];
    const breaks = (s: BatchingSettingSummary) => (s.breakRps === null ? 'held every rate' : `breaks at ${s.breakRps}/s`);
    if (best === undefined || best.maxRps <= off.maxRps) {
      out.push(`${path}: batching off is the best setting on this host (${off.maxRps} rps, ${breaks(off)}); no setting beat it`);
    } else {
      out.push(
        `${path}: best setting ${name(best.batching)}: ${best.maxRps} rps, ${fixed(best.speedup ?? 0)}x batching off's ${off.maxRps} rps ` +
          `(${breaks(best)}; off ${breaks(off)}); ${latencyCost(result.rows, best, off)}`,
      );
    }
    const met = settings.filter((s) => (s.speedup ?? 0) >= result.speedupGoal);
    if (met.length > 0) {
      out.push(
        `${path}: goal met (${result.speedupGoal}x batching off, cpu predict n=${result.n}): ` +
          met.map((s) => `${name(s.batching)} ${fixed(s.speedup!)}x`).join(', '),
      );
    } else out.push(`${path}: ${whyNot(result.rows, off, best, result.speedupGoal)}`);
  }
  return out;
}
