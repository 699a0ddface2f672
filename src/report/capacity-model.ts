// The capacity of a model (`capacity --predict onnx|module|io`), in words: the question and, where it applies,
// the largest input batch under the budget with how it failed past it; where it does not, why. Reads
// CapacityData only; the kernels' tables are in capacity.ts.

import type { CapacityData, CapacityModelResult, ModelCapacityProbe } from '../results/capacity.js';
import { count, formatN } from './format.js';

const MiB = 1024 * 1024;

function mib(b: number | null): string {
  return b === null || !Number.isFinite(b) ? '-' : `${(b / MiB).toFixed(b >= 100 * MiB ? 0 : 1)} MiB`;
}

/** 'model-a.onnx (316 B, sha256 2e6c8b598056), input features float32 [batch, 8], onnxruntime-node 1.31.1'. */
function modelLine(m: CapacityModelResult): string {
  if (m.name === undefined) return `${m.predict} predict`;
  const file = m.file === undefined ? '' : ` (${m.file.bytes} B, sha256 ${m.file.sha256.slice(0, 12)})`;
  const inputs = (m.inputs ?? []).map((i) => `${i.name} ${i.type} [${i.shape.join(', ')}]`).join(', ');
  const runtime = m.runtime === undefined ? '' : `, ${m.runtime.name} ${m.runtime.version}`;
  return `${m.name}${file}, input ${inputs}${runtime}`;
}

/** The model's answer as plain lines (the terminal prints them; Markdown makes a list of them). */
export function modelCapacityLines(d: CapacityData): string[] {
  const m = d.model;
  if (m === undefined) return [];
  const budget = `${(d.settings.budgetBytes / (1024 * MiB)).toFixed(2)} GiB`;
  const lines = [`model: ${modelLine(m)}`, `question: ${m.question} (${budget})`];
  if (m.state === 'not-applicable') return [...lines, `answer: does not apply: ${m.reason}`];
  if (m.state === 'unavailable') return [...lines, `answer: unavailable: ${m.reason}`];
  if (m.state === 'errored') return [...lines, `answer: errored: ${m.error.message}`, ...probeLines(m.probes)];
  const rowBytes = m.featureCount * (m.inputType.endsWith('64') ? 8 : m.inputType.endsWith('32') ? 4 : m.inputType.endsWith('16') ? 2 : 1);
  const max = m.maxRows === null ? 'not even one row fits' : `${count(m.maxRows)} rows (${mib(m.maxRows * rowBytes)} of ${m.inputType} input)`;
  const fail =
    m.firstFailRows === null ? 'nothing failed up to the ceiling' : `${count(m.firstFailRows)} rows failed: ${m.failure ?? '-'}: ${m.failureDetail ?? ''}`;
  const per =
    m.bytesPerRow === null
      ? ''
      : `; ${m.bytesPerRow.toFixed(0)} B resident per row, ${m.budgetBytesPerRow === null ? '-' : m.budgetBytesPerRow.toFixed(0)} B per row against the budget`;
  const precision = m.precision === null ? '' : ` (known within ${(m.precision * 100).toFixed(1)}%${m.converged ? '' : ', not converged'})`;
  return [
    ...lines,
    `answer: the largest batch is ${max}${precision}, ${m.threads} intra-op thread${m.threads === 1 ? '' : 's'}${per}`,
    `past it: ${fail}`,
    `peak RSS at max batch: ${mib(m.peakRssBytes)} (baseline ${mib(m.baselineRssBytes)})`,
    ...probeLines(m.probes),
  ];
}

function probeLines(probes: readonly ModelCapacityProbe[]): string[] {
  if (probes.length === 0) return [];
  return [`probes (rows outcome, in the order run): ${probes.map((p) => `${formatN(p.n)} ${p.outcome}`).join(' · ')}`];
}
