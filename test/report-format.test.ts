// The shared pieces every renderer draws with: escaping, units and rounding (format.ts), the Markdown and
// text tables (tables.ts) and the one HTML page shell (page.ts).

import { describe, expect, it } from 'vitest';
import {
  count,
  escapeHtml,
  formatBinaryBytes,
  formatN,
  formatNs,
  formatSize,
  formatSpread,
  formatUs,
  percent,
  round1,
  sharePercent,
  times,
} from '../src/report/format.js';
import { htmlPage, markdownPage } from '../src/report/page.js';
import { mdTable, textTable } from '../src/report/tables.js';

describe('format', () => {
  it('escapes the five HTML characters, for text and for attributes in either quotes', () => {
    expect(escapeHtml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;');
  });

  it('rounds and counts as the reports write them', () => {
    expect([round1(1.2345), round1(2.25), count(1234567.4), count(null)]).toEqual([1.2, 2.3, '1,234,567', '-']);
    expect([percent(0.123), percent(0.123, 1), percent(null), percent(Number.NaN)]).toEqual(['12%', '12.3%', '-', '-']);
    expect([sharePercent(0.05), sharePercent(0.5), sharePercent(0), sharePercent(Number.POSITIVE_INFINITY)]).toEqual(['5.0%', '50%', '0%', '-']);
    expect([times(2.345), times(12.3), times(null)]).toEqual(['2.35x', '12x', '-']);
    expect([formatSize(1000), formatSize(1_000_000), formatSize(1500), formatN(999), formatN(18_800_000)]).toEqual(['1e3', '1e6', '1500', '999', '1.88e7']);
  });

  it('writes units: bytes, nanoseconds, microseconds, spreads', () => {
    expect([formatBinaryBytes(512 * 1024), formatBinaryBytes(1.5 * 2 ** 30), formatBinaryBytes(100)]).toEqual(['512 KiB', '1.5 GiB', '100 B']);
    expect([formatNs(5), formatNs(1250), formatNs(3.4e6)]).toEqual(['5.0 ns', '1.25 µs', '3.40 ms']);
    expect([formatUs(850), formatUs(1500), formatUs(45_000), formatUs(1.2e6), formatUs(Number.NaN)]).toEqual(['850 us', '1.5 ms', '45 ms', '1.20 s', '-']);
    const s = { unit: 'rps', median: 2, min: 1, max: 3, relativeSpread: 1, repeats: 3 };
    expect(formatSpread(s, String)).toBe('2 (1..3)');
    expect(formatSpread({ ...s, repeats: 1 }, String)).toBe('2');
    expect(formatSpread({ ...s, repeats: 0 }, String)).toBe('-');
  });
});

describe('tables', () => {
  it('draws a Markdown table with pipes escaped and the columns aligned as asked', () => {
    expect(mdTable(['name', 'n'], [['a|b', '1']], [undefined, 'right'])).toBe('| name | n |\n| --- | --: |\n| a\\|b | 1 |');
  });

  it('draws a text table padded to the widest cell, with an optional rule under the head', () => {
    expect(textTable(['k', 'value'], [['long', '1']], { align: ['left', 'right'] })).toEqual(['k     value', 'long      1']);
    expect(textTable(['k', 'v'], [['ab', 'c']], { rule: true })).toEqual(['k   v', '--  -', 'ab  c']);
  });
});

describe('page', () => {
  it('is one self-contained page: escaped title, inline style, the body as given', () => {
    const html = htmlPage({ title: 'a <b>', css: 'p{}', body: '<p>x</p>' });
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<title>a &lt;b&gt;</title>');
    expect(html).toContain('<style>p{}</style>');
    expect(html).toContain('<body>\n<p>x</p>\n</body>');
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('renders Markdown reports through the same shell', () => {
    const html = markdownPage('t', '# Head\n\n| a | b |\n| --- | --: |\n| 1 | 2 |\n');
    // Headings carry anchors (the run report's contents link to them).
    expect(html).toMatch(/<h1 id="head">Head<\/h1>/);
    expect(html).toContain('<td align="right">2</td>');
  });
});
