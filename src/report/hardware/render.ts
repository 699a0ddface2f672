// Renderers of the hardware report (`servebench hw`): Markdown, a self-contained HTML page (inline CSS, no
// external assets) and a short terminal summary. All read the same plain data (the environment block and
// the hardware suite's figures) through one section model (sections.ts), so the three always say the same.

import type { Fact, MaybeKnown } from '../../results/env.js';
import { isUnknown, TOOL_NAMES } from '../../results/env.js';
import { escapeHtml as esc, escapeTableCell, formatBinaryBytes as fmtBytes, formatNs } from '../format.js';
import { htmlPage } from '../page.js';
import { mdTable } from '../tables.js';
import { type Cell, type HardwareReportInput, pct } from './cells.js';
import { gpuSummary } from './host.js';
import { hardwareSections } from './sections.js';

// ---------------------------------------------------------------- Markdown

// intraword underscores (avx512_vnni) are not emphasis in CommonMark, so only word-edge ones are escaped
const mdInline = (s: string) =>
  s
    .replace(/\n/g, ' ')
    .replace(/([*`<>])/g, '\\$1')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_');
const mdEscape = (s: string) => escapeTableCell(mdInline(s));
// table cells are inline-escaped here; mdTable escapes their pipes
const mdCell = (c: Cell) => ('unknown' in c ? `_unknown: ${mdInline(c.unknown)}_` : mdInline(c.text) || ' ');

interface MarkdownOptions {
  /** Shift every heading down this many levels, to embed the report as a section of another. @default 0 */
  headingOffset?: number;
}

export function renderHardwareMarkdown(input: HardwareReportInput, options: MarkdownOptions = {}): string {
  const h = (level: number) => '#'.repeat(Math.min(6, level + (options.headingOffset ?? 0)));
  const out: string[] = [`${h(1)} Hardware report: ${mdEscape(input.env.host.hostname)}`, ''];
  for (const s of hardwareSections(input)) {
    out.push(`${h(2)} ${s.title}`, '');
    if (s.alert !== undefined) out.push(`> **Warning:** ${mdEscape(s.alert)}`, '');
    for (const p of s.paragraphs) out.push(mdEscape(p), '');
    for (const item of s.items ?? []) out.push(`- ${mdEscape(item)}`);
    if (s.items !== undefined && s.items.length > 0) out.push('');
    for (const table of s.tables)
      out.push(
        mdTable(
          table.columns.map(mdInline),
          table.rows.map((row) => row.map(mdCell)),
        ),
        '',
      );
  }
  return `${out.join('\n').trimEnd()}\n`;
}

// ---------------------------------------------------------------- HTML

const htmlCell = (c: Cell) => ('unknown' in c ? `<span class="unknown">unknown</span> <span class="reason">${esc(c.unknown)}</span>` : esc(c.text));

const CSS = `
:root { color-scheme: light; --fg: #1d2430; --muted: #5b6472; --line: #d8dde5; --head: #eef1f6; --warn: #fff4e0; --warnline: #e0a030; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; background: #fafbfc; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 34px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
nav { margin: 10px 0 6px; font-size: 0.92em; display: flex; flex-wrap: wrap; gap: 4px 14px; }
nav a { color: #2457a6; text-decoration: none; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: 10px 0 14px; background: #fff; font-size: 0.93em; }
th, td { border: 1px solid var(--line); padding: 5px 9px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th:first-child, td:first-child { white-space: nowrap; width: 1%; }
th { background: var(--head); font-weight: 600; }
tr:nth-child(even) td { background: #f7f8fa; }
.unknown { color: var(--muted); font-style: italic; font-weight: 600; }
.reason { color: var(--muted); font-size: 0.92em; }
.alert { background: var(--warn); border-left: 4px solid var(--warnline); padding: 8px 12px; margin: 10px 0; }
p.flags { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85em; color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 0.85em; }
`;

/** The report's body (heading, navigation, sections, footer) without the page around it. */
function renderHardwareHtmlBody(input: HardwareReportInput): string {
  const sections = hardwareSections(input);
  const title = `Hardware report: ${input.env.host.hostname}`;
  const body: string[] = [];
  body.push(`<h1>${esc(title)}</h1>`);
  body.push(`<nav>${sections.map((s) => `<a href="#${s.id}">${esc(s.title)}</a>`).join('')}</nav>`);
  for (const s of sections) {
    body.push(`<section id="${s.id}">`, `<h2>${esc(s.title)}</h2>`);
    if (s.alert !== undefined) body.push(`<div class="alert" role="alert"><strong>Warning:</strong> ${esc(s.alert)}</div>`);
    for (const p of s.paragraphs) body.push(`<p${p.startsWith('All ') && s.id === 'cpu' ? ' class="flags"' : ''}>${esc(p)}</p>`);
    if (s.items !== undefined && s.items.length > 0) body.push(`<ul>${s.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`);
    for (const table of s.tables) {
      body.push('<table>', `<thead><tr>${table.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>`, '<tbody>');
      for (const row of table.rows) body.push(`<tr>${row.map((c) => `<td>${htmlCell(c)}</td>`).join('')}</tr>`);
      body.push('</tbody>', '</table>');
    }
    body.push('</section>');
  }
  const version = input.servebench === undefined ? '' : ` ${esc(input.servebench.version)}`;
  body.push(`<footer>servebench${version} · environment block v${input.env.envVersion} · ${esc(input.createdAt ?? input.env.capturedAt)}</footer>`);
  return body.join('\n');
}

/** A complete, self-contained page: inline CSS, no scripts, no external assets. */
export function renderHardwareHtml(input: HardwareReportInput): string {
  return htmlPage({ title: `Hardware report: ${input.env.host.hostname}`, css: CSS, body: `<main>\n${renderHardwareHtmlBody(input)}\n</main>` });
}

// ---------------------------------------------------------------- terminal

/** A short summary for the terminal (a dozen lines). */
export function renderHardwareSummary(input: HardwareReportInput): string {
  const { env, data } = input;
  const c = env.cpu;
  const val = <T>(v: MaybeKnown<T>, show: (x: T) => string = String) => (isUnknown(v) ? 'unknown' : show(v));
  const fv = <T>(f: Fact<T>, show: (x: T) => string = String) => (isUnknown(f) ? 'unknown' : show(f.value));
  const caches = isUnknown(c.caches)
    ? 'unknown'
    : c.caches.map((k) => `L${k.level}${k.type === 'data' ? 'd' : k.type === 'instruction' ? 'i' : ''} ${fmtBytes(k.sizeBytes)} x${k.instances}`).join(' · ');
  const measured = isUnknown(data.frequency) ? `measured unknown (${data.frequency.reason})` : `${data.frequency.mhz} MHz measured`;
  const bw = isUnknown(data.bandwidth)
    ? `unknown: ${data.bandwidth.reason}`
    : data.bandwidth.map((k) => `${fmtBytes(k.bytes)} x${k.threads}: ${k.state === 'completed' ? `${k.gbPerSec.toFixed(1)} GB/s` : k.state}`).join(' · ');
  const tools = TOOL_NAMES.map((n) => `${n} ${val(env.tools[n], (v) => v.version)}`).join(' · ');
  const timers = data.timers.map((k) => `${k.clock} ${val(k.resolutionNs, formatNs)} step, ${formatNs(k.overheadNsPerCall)}/call`).join(' · ');
  const fs = env.storage.filesystem;
  const disk = env.storage.disk;
  const quota = val(c.cgroupCpuQuota, (q) => (q === 'max' ? 'none' : `${q} cores`));
  const memoryLimit = val(env.memory.cgroupLimitBytes, (q) => (q === 'max' ? 'none' : fmtBytes(q)));
  const numa = val(env.memory.numaNodes, (n) => `${n.length} node${n.length === 1 ? '' : 's'}`);
  const h = env.host;
  const host = `${h.hostname} · ${val(h.os)} · kernel ${h.kernel} · virt ${val(h.virtualization)} · container ${val(h.container)}`;
  const r = env.runtime;
  const n = data.noise;
  const lines: Array<[string, string]> = [
    ['host', host],
    ['cpu', `${c.model} · ${c.logicalCores} logical / ${fv(c.physicalCores)} physical · OS ${fv(c.frequency.currentMhz, (v) => `${v} MHz`)} · ${measured}`],
    ['simd', c.simd.length > 0 ? c.simd.join(' ') : 'none found'],
    ['caches', caches],
    ['gpu', gpuSummary(env)],
    ['memory', `${fmtBytes(env.memory.totalBytes)} total · ${fmtBytes(env.memory.availableBytes)} available · NUMA ${numa}`],
    ['limits', `cgroup ${val(env.cgroup.version)} · cpu quota ${quota} · memory ${memoryLimit} · usable cores ${c.usableCores}`],
    ['disk', `${val(fs, (f) => `${f.type} on ${f.device}, ${fmtBytes(f.availableBytes)} free`)} · ${val(disk, (d) => `${d.device} ${val(d.driver)}`)}`],
    ['runtime', `node ${r.node} · v8 ${r.v8} · uv ${r.uv} · openssl ${r.openssl} · threadpool ${r.uvThreadpoolSize}`],
    ['native', env.native.available ? `loaded (${env.native.file})` : `unavailable: ${env.native.reason}`],
    ['tools', tools],
    ['clocks', timers],
    ['bandwidth', bw],
    [
      'noise',
      `${n.quiet ? 'quiet' : 'BUSY'} · load ${n.loadPerCore.toFixed(2)}/core · busy ${val(n.busyFraction, pct)} · ` +
        `steal ${val(n.stealFraction, pct)} over ${n.windowMs} ms`,
    ],
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  return `${lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}
