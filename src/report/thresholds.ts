// Renderers of threshold verdicts (src/results/compare/check-thresholds.ts): one line per threshold, then
// the figures that failed it (or every figure with `all`), as terminal text or Markdown.

import type { ThresholdCheck, ThresholdVerdict } from '../results/compare/check-thresholds.js';
import { formatNs, formatNumber, formatUs, sharePercent } from './format.js';

function checkValue(v: ThresholdVerdict, c: ThresholdCheck): string {
  if (c.value === null) return 'not measured';
  const t = v.threshold;
  if (t.kind === 'goals') return formatNumber(c.value);
  switch (t.unit) {
    case 'us':
      return formatUs(c.value);
    case 'ns':
      return formatNs(c.value);
    case 'fraction':
      return sharePercent(c.value);
    default:
      return formatNumber(c.value);
  }
}

function checkLine(v: ThresholdVerdict, c: ThresholdCheck): string {
  const state = c.passed === null ? 'not checked' : c.passed ? 'ok' : 'FAILED';
  return `${c.subject}: ${checkValue(v, c)} ${state}${c.note === undefined ? '' : ` (${c.note})`}`;
}

function headline(v: ThresholdVerdict): string {
  const checked = v.checks.filter((c) => c.passed !== null);
  const failed = checked.filter((c) => c.passed === false).length;
  if (v.note !== undefined && checked.length === 0) return `${v.expression}: FAILED, ${v.note}`;
  const figures = `${checked.length} figure${checked.length === 1 ? '' : 's'}`;
  return `${v.expression}: ${v.passed ? 'passed' : 'FAILED'} (${failed > 0 ? `${failed} of ${figures} failed` : figures})`;
}

/** Threshold verdicts as lines: failed figures under their threshold (every figure with `all`). */
export function renderThresholdsTerminal(verdicts: readonly ThresholdVerdict[], all = false): string {
  const out = ['Thresholds'];
  for (const v of verdicts) {
    out.push(`  ${headline(v)}`);
    for (const c of v.checks) if (all || c.passed === false) out.push(`    ${checkLine(v, c)}`);
  }
  return `${out.join('\n')}\n`;
}

/** Threshold verdicts as a Markdown list. */
export function renderThresholdsMarkdown(verdicts: readonly ThresholdVerdict[], all = false): string {
  const out = ['### Thresholds', ''];
  for (const v of verdicts) {
    out.push(`- ${v.passed ? '' : '**'}${headline(v).replaceAll('|', '\\|')}${v.passed ? '' : '**'}`);
    for (const c of v.checks) if (all || c.passed === false) out.push(`  - ${checkLine(v, c)}`);
  }
  return `${out.join('\n')}\n`;
}
