// `report --format csv`: load as one row per run and one per summary (pooled percentiles), the per-second
// rows with --series, kernels one row per kernel and n, RFC 4180 quoting; a bench run's tables in turn.

import { describe, expect, it } from 'vitest';
import { renderCsv } from '../src/report/csv.js';
import { renderResults } from '../src/report/results-file.js';
import type { BenchData } from '../src/results/index.js';
import { kernelEntry, kernelsData, loadData, loadRun, realBench, wrap } from './compare-fixtures.js';

/** Parse CSV (quoted fields with doubled quotes, CRLF rows) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

const runs = [
  loadRun({ configId: 'async/single/io', rpsSeries: [100, 110, 90], latenciesUs: [1000, 2000, 3000, 4000], repeat: 1 }),
  loadRun({ configId: 'async/single/io', rpsSeries: [120, 130, 110], latenciesUs: [5000, 6000, 7000, 8000], repeat: 2 }),
  loadRun({ configId: 'target', step: 'rate=200/s, "held"', rpsSeries: [50], latenciesUs: [1500] }),
];

describe('CSV', () => {
  it('load: a row per run and per summary, columns with units, percentiles of the summary pooled', () => {
    const rows = parseCsv(renderCsv(wrap('load', loadData(runs))));
    const head = rows[0]!;
    const col = (name: string) => head.indexOf(name);
    expect(head.slice(0, 5)).toEqual(['section', 'row', 'configId', 'scenario', 'step']);
    expect(rows.slice(1).map((r) => r[col('row')])).toEqual(['run', 'run', 'summary', 'run', 'summary']);
    expect(rows.every((r) => r.length === head.length)).toBe(true);
    const summary = rows[3]!;
    expect(summary[col('repeat')]).toBe('2');
    expect(summary[col('valid')]).toBe('2/2');
    expect(summary[col('rps')]).toBe('110');
    expect(Math.abs(Number(summary[col('p50Us')]) - 4000)).toBeLessThanOrEqual(4); // 3 significant digits
    expect(Number(summary[col('maxUs')])).toBeCloseTo(8000, -1);
    expect(rows[4]![col('step')]).toBe('rate=200/s, "held"');
  });

  it('--series adds a row per second of every run', () => {
    const rows = parseCsv(renderCsv(wrap('load', loadData(runs)), { series: true }));
    const head = rows[0]!;
    const seconds = rows.filter((r) => r[head.indexOf('row')] === 'second');
    expect(seconds).toHaveLength(7);
    expect(seconds.slice(0, 3).map((r) => [r[head.indexOf('second')], r[head.indexOf('rps')]])).toEqual([
      ['0', '100'],
      ['1', '110'],
      ['2', '90'],
    ]);
  });

  it('kernels: a row per kernel and n', () => {
    const rows = parseCsv(
      renderCsv(wrap('kernels', kernelsData([kernelEntry('typed', 1e6, [800_000, 810_000]), kernelEntry('native', 1e6, [170_000, 171_000])]))),
    );
    expect(rows[0]!.slice(0, 6)).toEqual(['kernel', 'n', 'state', 'nsPerCall', 'minNsPerCall', 'gbPerSec']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[3]])).toEqual([
      ['typed', '1000000', '800000'],
      ['native', '1000000', '170000'],
    ]);
  });

  it('a bench run: every section as its own table; through the report renderer too', () => {
    const bench = realBench();
    const text = renderResults(bench, 'csv');
    const tables = text.split('\r\n\r\n');
    expect(tables).toHaveLength(4);
    expect(tables[0]!.startsWith('section,row,configId')).toBe(true);
    expect(tables[1]!.startsWith('kernel,n,state')).toBe(true);
    expect(tables[2]!.startsWith('kernel,state,maxN')).toBe(true);
    expect(tables[3]!.startsWith('case,tool,path')).toBe(true);
    const load = (bench.data as BenchData).sections.load!;
    expect(parseCsv(`${tables[0]}\r\n`).filter((r) => r[0] === 'load' && r[1] === 'run')).toHaveLength(load.runs.length);
  });
});
