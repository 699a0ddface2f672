// The batching experiment's part of a load report: per path, setting and offered rate, the load's figures
// beside the model API's own batches (mean size, mean and longest wait), then each setting's highest
// throughput and break rate, and the findings.

import type { BatchingResult, BatchingRow } from '../results/batching.js';
import type { BatchingSettings } from '../results/serving.js';
import { formatNumber as fmtNum, formatUs as fmtUs, sharePercent as pct } from './format.js';
import { mdTable, textTable } from './tables.js';

type Row = string[];

const setting = (b: BatchingSettings | null) => (b === null ? 'off' : `B=${b.maxSize} W=${b.maxWaitMs}ms`);
const msCell = (x: number | null) => (x === null ? '-' : `${fmtNum(x)} ms`);

const ROW_HEAD: Row = ['path', 'batching', 'offered/s', 'rps', 'p50', 'p99', 'failed', 'held', 'mean batch', 'batch wait (mean)', 'batch wait (max)'];

function rowCells(r: BatchingRow): Row {
  return [
    r.path,
    setting(r.batching),
    fmtNum(r.offeredRps),
    fmtNum(r.rps),
    fmtUs(r.p50Us),
    fmtUs(r.p99Us),
    pct(r.failureRate),
    r.held ? 'yes' : 'no',
    r.meanBatchSize === null ? '-' : fmtNum(r.meanBatchSize),
    msCell(r.meanBatchWaitMs),
    msCell(r.maxBatchWaitMs),
  ];
}

const SUMMARY_HEAD: Row = ['path', 'batching', 'max rps', 'x off', 'held up to', 'breaks at'];

function summaryRows(b: BatchingResult): Row[] {
  return b.summaries.map((s) => [
    s.path,
    setting(s.batching),
    fmtNum(s.maxRps),
    s.speedup === null ? '-' : `${s.speedup.toFixed(2)}x`,
    s.heldRps === null ? '-' : `${fmtNum(s.heldRps)}/s`,
    s.breakRps === null ? '-' : `${fmtNum(s.breakRps)}/s`,
  ]);
}

function intro(b: BatchingResult): string {
  const rates = Object.entries(b.rates)
    .map(([path, rs]) => `${path} ${rs.join(', ')}/s`)
    .join('; ');
  return (
    `${b.description}. Open-loop rates (multiples of batching off's closed-loop capacity): ${rates || '-'}. ` +
    'Held = at least 90% of the offered rate answered, failures within the error budget.'
  );
}

export function batchingTerminal(b: BatchingResult): string[] {
  const out = ['', `batching: ${intro(b)}`];
  if (b.skipped !== undefined) return [...out, `skipped: ${b.skipped}`];
  out.push(textTable(ROW_HEAD, b.rows.map(rowCells), { rule: true }).join('\n'), '', textTable(SUMMARY_HEAD, summaryRows(b), { rule: true }).join('\n'));
  out.push('', ...b.findings.map((f) => `finding: ${f}`));
  return out;
}

export function batchingMarkdown(b: BatchingResult): string[] {
  const out = ['', '#### Batching (issue 17)', '', intro(b)];
  if (b.skipped !== undefined) return [...out, '', `Skipped: ${b.skipped}`];
  out.push('', mdTable(ROW_HEAD, b.rows.map(rowCells)), '', mdTable(SUMMARY_HEAD, summaryRows(b)), '', 'Findings:', '', ...b.findings.map((f) => `- ${f}`));
  return out;
}
