// The run report's findings: one sentence per goal, comparison and measured limit of every suite, each with its
// figures, computed from the data, in the project's own words (plainWords rewrites any internal reference).

import type { BenchData } from '../results/bench.js';
import { plainWords } from './citations.js';
import { count, formatGiB, percent, plural, times } from './format.js';
import { modelLines } from './load-model.js';
import { profileFindings } from './profile.js';

function kernelsFindings(data: BenchData): string[] {
  const out: string[] = [];
  const k = data.sections.kernels;
  if (k === undefined) return out;
  for (const g of k.goals) {
    if (g.value === null) {
      out.push(`kernels: ${g.description}: not measured.`);
      continue;
    }
    const v = g.unit === 'fraction of probe' ? percent(g.value) : times(g.value);
    const t = g.unit === 'fraction of probe' ? percent(g.threshold) : times(g.threshold);
    out.push(`kernels: ${g.description}: ${v} (goal ${t}: ${g.state === 'met' ? 'met' : 'NOT met'})${g.noisy ? ' [noisy]' : ''}.`);
  }
  if (k.crossover.state === 'found') out.push(`kernels: native beats typed from n = ${count(k.crossover.n)} on.`);
  return out;
}

function capacityFindings(data: BenchData): string[] {
  const cap = data.sections.capacity;
  if (cap === undefined) return [];
  const budget = formatGiB(cap.settings.budgetBytes);
  const m = cap.model;
  if (m !== undefined) {
    const name = m.name ?? `the ${m.predict} predict`;
    if (m.state === 'completed' && m.maxRows !== null)
      return [`capacity: ${name} fits a batch of ${count(m.maxRows)} rows under ${budget}; past it: ${m.failure ?? 'no failure seen'}.`];
    return [`capacity: ${name}: ${m.state === 'not-applicable' || m.state === 'unavailable' ? m.reason : m.state}.`];
  }
  return cap.kernels.flatMap((kr) => {
    if (kr.state !== 'completed' || kr.maxN === null) return [];
    const per = kr.bytesPerValue === null ? '' : `, ${kr.bytesPerValue.toFixed(1)} B per value resident`;
    return [`capacity: ${kr.kernel} fits n = ${count(kr.maxN)} values under ${budget}${per}; past it: ${kr.failure ?? 'no failure seen'}.`];
  });
}

function loadFindings(data: BenchData): string[] {
  const out: string[] = [];
  for (const name of ['load', 'experiments', 'concurrency'] as const) {
    const l = data.sections[name];
    if (l === undefined) continue;
    // Your own model: sync vs async, and one process vs a pool, with the figures.
    for (const line of modelLines(l)) out.push(`${name}: ${line}`);
    for (const c of l.comparisons) {
      if (c.met === null) {
        out.push(`${name}: ${c.description}: too few valid runs to tell.`);
        continue;
      }
      const range = `range ${times(c.ratio.min)}..${times(c.ratio.max)} over ${plural(c.ratio.repeats, 'repeat')}`;
      out.push(`${name}: ${c.description}: ${times(c.ratio.median)} (${range}; ${c.met ? 'goal met' : 'goal NOT met'}).`);
    }
    // A goal that restates a comparison is said once, by the comparison (its ratio and spread).
    const compared = new Set(l.comparisons.map((c) => c.description));
    for (const g of l.goals) {
      if (compared.has(g.description)) continue;
      const m = g.measured;
      const figure =
        m === null ? 'not measured' : `${m.median.toFixed(2)} (range ${m.min.toFixed(2)}..${m.max.toFixed(2)} over ${plural(m.repeats, 'repeat')})`;
      out.push(`${name}: ${g.description}: ${figure}; target ${g.target}: ${g.met === null ? 'not measured' : g.met ? 'met' : 'NOT met'}. ${g.detail}.`);
    }
  }
  const hold = data.sections.experiments?.autoscale?.hold;
  if (hold !== undefined && hold !== null && hold.rpsRatio !== null) {
    const fails = Object.entries(hold.failures)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out.push(
      `experiments: autoscale (an emulation of the Kubernetes HPA's algorithm, not Kubernetes), ${hold.phase} phase: autoscaled / one fixed replica: ` +
        `${times(hold.rpsRatio)} the rps${hold.p99Ratio === null ? '' : `, ${times(hold.p99Ratio)} the worst-second p99`}; failed requests ${fails}.`,
    );
  }
  return out;
}

/** Sentences a reader can act on, each computed from the data, in the project's own words (never an internal number). */
export function findings(data: BenchData): string[] {
  const p = data.sections.profile;
  const profile = p === undefined ? [] : profileFindings(p).map((f) => `profile: ${f}`);
  return [...kernelsFindings(data), ...capacityFindings(data), ...loadFindings(data), ...profile].map(plainWords);
}
