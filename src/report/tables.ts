// The two table shapes every renderer draws: a Markdown table and a plain-text table for the terminal.
// Cells are plain strings; each renderer formats its figures first (format.ts) and picks the alignment.

import { escapeTableCell } from './format.js';

/** How a column's cells line up. */
export type Align = 'left' | 'right';

/** A Markdown (GFM) table: pipes in cells escaped; columns without an alignment are left to the viewer. */
export function mdTable(head: readonly string[], rows: readonly (readonly string[])[], align: readonly (Align | undefined)[] = []): string {
  const rule = head.map((_, i) => (align[i] === 'right' ? '--:' : align[i] === 'left' ? ':--' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.map(escapeTableCell).join(' | ')} |`;
  return [line(head), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}

export interface TextTableOptions {
  /** Per column; left unless said. */
  align?: readonly (Align | undefined)[];
  /** A line of dashes under the head. @default false */
  rule?: boolean;
}

/** A plain-text table as lines: columns padded to their widest cell, two spaces apart, no trailing blanks. */
export function textTable(head: readonly string[], rows: readonly (readonly string[])[], options: TextTableOptions = {}): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (options.align?.[i] === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(head)];
  if (options.rule === true) out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  return [...out, ...rows.map(line)];
}
