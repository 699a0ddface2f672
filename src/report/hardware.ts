// Renderers of the hardware report (`servebench hw`): Markdown, a self-contained HTML page (inline CSS, no
// external assets) and a short terminal summary. All read the same plain data (the environment block and
// the hardware suite's figures) through one section model, so the three always say the same thing.

import type { EnvBlock, Fact, MaybeKnown, MeasuredFrequency, NumaNode, ToolName } from '../results/env.js';
import { TOOL_NAMES, isUnknown } from '../results/env.js';
import type { HardwareData } from '../results/hardware.js';

/** What the renderers read: a hardware.json envelope, or the same parts assembled by `servebench bench`. */
export interface HardwareReportInput {
  env: EnvBlock;
  data: HardwareData;
  createdAt?: string;
  servebench?: { version: string };
}

/** One table cell: text, or an unknown fact with its reason. */
export type Cell = { text: string } | { unknown: string };

export interface Table {
  columns: string[];
  rows: Cell[][];
}

export interface Section {
  id: string;
  title: string;
  paragraphs: string[];
  tables: Table[];
  /** Bulleted items (warnings, flags). */
  items?: string[];
  /** Shown as a highlighted warning. */
  alert?: string;
}

// ---------------------------------------------------------------- formatting

export function fmtBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const fmtNs = (ns: number) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(ns < 10 ? 1 : 0)} ns`);
const t = (text: string | number): Cell => ({ text: String(text) });
const u = (reason: string): Cell => ({ unknown: reason });

function maybe<T>(v: MaybeKnown<T>, show: (v: T) => string = String): Cell {
  return isUnknown(v) ? u(v.reason) : t(show(v));
}

function fact<T>(f: Fact<T>, show: (v: T) => string = String): [Cell, Cell] {
  return isUnknown(f) ? [u(f.reason), t('')] : [t(show(f.value)), t(f.source)];
}

const cellText = (c: Cell) => ('unknown' in c ? `unknown (${c.unknown})` : c.text);

function limit(v: MaybeKnown<number | 'max'>, show: (n: number) => string): Cell {
  if (isUnknown(v)) return u(v.reason);
  return t(v === 'max' ? 'none (max)' : show(v));
}

function freqLine(label: string, f: Fact<number>): Cell[] {
  return [t(label), ...fact(f, (mhz) => `${mhz} MHz`)];
}

function measuredCell(m: MaybeKnown<MeasuredFrequency>): [Cell, Cell] {
  if (isUnknown(m)) return [u(m.reason), t('')];
  return [t(`${m.mhz} MHz (measured; spread ${pct(m.relativeSpread)} over ${m.samplesMhz.length} repeats)`), t(m.method)];
}

/** Every unknown fact in the environment block, with its path, for the "Unknown facts" section. */
export function unknownFacts(value: unknown, path = 'env'): Array<{ path: string; reason: string }> {
  if (isUnknown(value)) return [{ path, reason: value.reason }];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownFacts(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => unknownFacts(v, `${path}.${k}`));
  }
  return [];
}

// ---------------------------------------------------------------- the section model

export function hardwareSections(input: HardwareReportInput): Section[] {
  const { env, data } = input;
  const c = env.cpu;
  const m = env.memory;
  const sections: Section[] = [];

  // the suite's longer window speaks for the report; the capture's short one only when the suite saw no noise
  const noiseWarnings = !data.noise.quiet ? data.noise.warnings : env.noise.warnings.map((w) => `at capture time: ${w}`);
  const noisy = noiseWarnings.length > 0;
  sections.push({
    id: 'summary',
    title: 'Summary',
    paragraphs: [
      `Captured ${env.capturedAt}${input.servebench === undefined ? '' : ` by servebench ${input.servebench.version}`} in ${env.captureMs} ms; the suite took ${data.durationMs} ms. ` +
        'A fact that could not be known is marked unknown with the reason; nothing is guessed.',
    ],
    ...(noisy ? { alert: `The host looked busy: figures measured now may be unreliable. ${noiseWarnings.join('; ')}` } : {}),
    tables: [
      {
        columns: ['Item', 'Value'],
        rows: [
          [t('CPU'), t(`${c.model} (${c.logicalCores} logical CPUs)`)],
          [
            t('Cores a benchmark can use'),
            t(
              `${c.usableCores} (availableParallelism ${c.availableParallelism}, cgroup quota ${isUnknown(c.cgroupCpuQuota) ? 'unknown' : c.cgroupCpuQuota === 'max' ? 'none' : c.cgroupCpuQuota})`,
            ),
          ],
          [t('Memory'), t(`${fmtBytes(m.totalBytes)} total, ${fmtBytes(m.availableBytes)} available`)],
          [t('OS'), isUnknown(env.host.os) ? u(env.host.os.reason) : t(`${env.host.os}, kernel ${env.host.kernel} (${env.host.arch})`)],
          [t('Virtualization / container'), t(`${cellText(maybe(env.host.virtualization))} / ${cellText(maybe(env.host.container))}`)],
          [t('Node.js'), t(`${env.runtime.node} (V8 ${env.runtime.v8})`)],
          [t('Native addon'), env.native.available ? t(`loaded from ${env.native.file}`) : u(env.native.reason)],
          [
            t('Noise check'),
            t(data.noise.quiet ? `quiet (${pct(num(data.noise.busyFraction))} busy over ${data.noise.windowMs} ms)` : 'BUSY (see Noise check)'),
          ],
        ],
      },
    ],
  });

  const cpuRows: Cell[][] = [
    [t('Model'), t(c.model), t(c.modelSource)],
    [t('Vendor'), ...fact(c.vendor)],
    [t('Family'), ...fact(c.family)],
    [t('Model number'), ...fact(c.modelId)],
    [t('Stepping'), ...fact(c.stepping)],
    [t('Logical CPUs'), t(c.logicalCores), t('os.cpus()')],
    [t('Physical cores'), ...fact(c.physicalCores)],
    [t('Sockets'), ...fact(c.sockets)],
    [t('Threads per core'), ...fact(c.threadsPerCore)],
    [t('Available parallelism'), t(c.availableParallelism), t('os.availableParallelism()')],
    [t('Affinity (CPUs allowed)'), ...fact(c.affinity)],
    freqLine('Base frequency', c.frequency.baseMhz),
    freqLine('Max frequency', c.frequency.maxMhz),
    freqLine('Current frequency (OS)', c.frequency.currentMhz),
    [t('Measured frequency'), ...measuredCell(isUnknown(data.frequency) && !isUnknown(c.frequency.measuredMhz) ? c.frequency.measuredMhz : data.frequency)],
    [t('Governor'), ...fact(c.frequency.governor)],
    [
      t('SIMD'),
      c.simd.length === 0 ? u(isUnknown(c.flags) ? c.flags.reason : 'no SIMD extension among the CPU flags') : t(c.simd.join(' ')),
      isUnknown(c.flags) ? t('') : t(c.flags.source),
    ],
  ];
  sections.push({
    id: 'cpu',
    title: 'CPU',
    paragraphs: isUnknown(c.flags) ? [] : [`All ${c.flags.value.length} CPU flags: ${c.flags.value.join(' ')}`],
    tables: [{ columns: ['Field', 'Value', 'Source'], rows: cpuRows }],
  });

  sections.push({
    id: 'caches',
    title: 'Caches',
    paragraphs: isUnknown(c.caches)
      ? [`Cache sizes unknown: ${c.caches.reason}.`]
      : ['Size is one instance; instances are counted over the online CPUs (source: sysfs cpu*/cache).'],
    tables: isUnknown(c.caches)
      ? []
      : [
          {
            columns: ['Level', 'Type', 'Size (one)', 'Instances', 'Shared by CPUs', 'Line'],
            rows: c.caches.map((k) => [
              t(`L${k.level}`),
              t(k.type),
              t(fmtBytes(k.sizeBytes)),
              t(k.instances),
              maybe(k.sharedByCpus),
              maybe(k.lineBytes, (b) => `${b} B`),
            ]),
          },
        ],
  });

  const memTables: Table[] = [
    {
      columns: ['Field', 'Value', 'Source'],
      rows: [
        [t('Total'), t(fmtBytes(m.totalBytes)), t(m.source)],
        [t('Available'), t(fmtBytes(m.availableBytes)), t(m.source)],
        [t('Swap'), ...fact(m.swapTotalBytes, fmtBytes)],
        [t('Transparent huge pages'), ...fact(m.transparentHugepages)],
        [t('cgroup memory limit'), limit(m.cgroupLimitBytes, fmtBytes), t(env.cgroup.memoryLimitSource)],
      ],
    },
  ];
  if (!isUnknown(m.numaNodes)) {
    memTables.push({ columns: ['NUMA node', 'CPUs', 'Memory'], rows: m.numaNodes.map((n) => [t(n.node), t(n.cpus), maybe(n.memTotalBytes, fmtBytes)]) });
  }
  if (!isUnknown(m.layout)) {
    memTables.push({
      columns: ['Module', 'Size', 'Type', 'Clock', 'Form factor'],
      rows: m.layout.map((mod) => [
        maybe(mod.bank),
        t(fmtBytes(mod.sizeBytes)),
        maybe(mod.type),
        maybe(mod.clockMhz, (v) => `${v} MHz`),
        maybe(mod.formFactor),
      ]),
    });
  }
  sections.push({
    id: 'memory',
    title: 'Memory',
    paragraphs: [
      ...(isUnknown(m.numaNodes)
        ? [`NUMA nodes unknown: ${m.numaNodes.reason}.`]
        : [`${m.numaNodes.length} NUMA node${m.numaNodes.length === 1 ? '' : 's'}.${numaNote(m.numaNodes, m.totalBytes)}`]),
      ...(isUnknown(m.layout) ? [`Memory layout unknown: ${m.layout.reason}.`] : []),
    ],
    tables: memTables,
  });

  sections.push({
    id: 'limits',
    title: 'Limits (cgroup)',
    paragraphs: ['cgroup limits cap what a benchmark can use whatever the hardware offers; every level up to the visible root is read and the tightest wins.'],
    tables: [
      {
        columns: ['Field', 'Value', 'Source'],
        rows: [
          [t('cgroup version'), maybe(env.cgroup.version), t('/proc/self/mountinfo')],
          [t('CPU quota'), limit(c.cgroupCpuQuota, (q) => `${q} cores`), t(env.cgroup.cpuQuotaSource)],
          [t('Memory limit'), limit(m.cgroupLimitBytes, fmtBytes), t(env.cgroup.memoryLimitSource)],
          [t('cpuset'), ...fact(env.cgroup.cpusetCpus)],
          [t('Usable cores'), t(c.usableCores), t('min(availableParallelism, ceil(CPU quota))')],
        ],
      },
    ],
  });

  const h = env.host;
  sections.push({
    id: 'os',
    title: 'Operating system and virtualization',
    paragraphs: [],
    tables: [
      {
        columns: ['Field', 'Value', 'Source'],
        rows: [
          [t('Hostname'), t(h.hostname), t('os.hostname()')],
          [t('OS'), maybe(h.os), t('/etc/os-release')],
          [t('Kernel'), t(h.kernel), t('/proc/sys/kernel/osrelease')],
          [t('Platform / arch'), t(`${h.platform} / ${h.arch}`), t('process')],
          [t('Machine'), ...fact(h.system)],
          [t('Virtualization'), maybe(h.virtualization), t(h.virtualizationSource)],
          [t('Container'), maybe(h.container), t(h.containerSource)],
          [t('Uptime'), t(`${(h.uptimeSec / 3600).toFixed(1)} h`), t('os.uptime()')],
        ],
      },
    ],
  });

  const s = env.storage;
  const fsRows: Cell[][] = [[t('Working folder'), t(s.workingDir)]];
  if (isUnknown(s.filesystem)) fsRows.push([t('Filesystem'), u(s.filesystem.reason)]);
  else {
    fsRows.push(
      [t('Filesystem'), t(`${s.filesystem.type} mounted at ${s.filesystem.mountPoint} from ${s.filesystem.device}`)],
      [t('Size / available'), t(`${fmtBytes(s.filesystem.sizeBytes)} / ${fmtBytes(s.filesystem.availableBytes)}`)],
    );
  }
  if (isUnknown(s.disk)) fsRows.push([t('Disk'), u(s.disk.reason)]);
  else {
    fsRows.push(
      [t('Disk'), t(`${s.disk.device} (${s.disk.source})`)],
      [t('Disk model'), maybe(s.disk.model)],
      [t('Disk driver'), maybe(s.disk.driver)],
      [t('Disk size'), maybe(s.disk.sizeBytes, fmtBytes)],
      [t('Rotational'), maybe(s.disk.rotational, (r) => (r ? 'yes (as the kernel is told)' : 'no'))],
    );
  }
  sections.push({ id: 'storage', title: 'Storage', paragraphs: [], tables: [{ columns: ['Field', 'Value'], rows: fsRows }] });

  sections.push({
    id: 'network',
    title: 'Network',
    paragraphs: isUnknown(env.network) ? [`Network interfaces unknown: ${env.network.reason}.`] : ['All load in servebench goes over loopback (lo).'],
    tables: isUnknown(env.network)
      ? []
      : [
          {
            columns: ['Interface', 'State', 'MTU', 'Speed', 'MAC', 'IPv4', 'IPv6', 'Kind'],
            rows: env.network.map((n) => [
              t(n.name),
              maybe(n.state),
              maybe(n.mtu),
              maybe(n.speedMbps, (v) => `${v} Mbit/s`),
              maybe(n.mac),
              t(n.ipv4.join(', ') || '-'),
              t(n.ipv6.join(', ') || '-'),
              t(n.internal ? 'loopback' : n.physical ? 'device' : 'virtual'),
            ]),
          },
        ],
  });

  const r = env.runtime;
  sections.push({
    id: 'runtime',
    title: 'Runtime',
    paragraphs: [],
    tables: [
      {
        columns: ['Field', 'Value'],
        rows: [
          [t('Node.js'), t(r.node)],
          [t('V8'), t(r.v8)],
          [t('libuv'), t(r.uv)],
          [t('OpenSSL'), t(r.openssl)],
          [t('N-API'), t(r.napi)],
          [t('UV_THREADPOOL_SIZE'), t(r.uvThreadpoolSize)],
          [t('NODE_OPTIONS'), t(r.nodeOptions ?? 'not set')],
          [t('execArgv'), t(r.execArgv.length === 0 ? 'none' : r.execArgv.join(' '))],
        ],
      },
    ],
  });

  sections.push({
    id: 'native',
    title: 'Native addon',
    paragraphs: [
      env.native.available
        ? `Loaded from ${env.native.file}.`
        : `Not loaded: ${env.native.reason}. Native kernels and the bandwidth probe are unavailable; nothing falls back silently.`,
    ],
    tables: env.native.available ? [{ columns: ['Build fact', 'Value'], rows: Object.entries(env.native.build).map(([k, v]) => [t(k), t(v)]) }] : [],
  });

  sections.push({
    id: 'tools',
    title: 'Tools',
    paragraphs: ['Versions of the tools servebench drives; a missing one is unknown with the reason.'],
    tables: [
      {
        columns: ['Tool', 'Version', 'Source'],
        rows: TOOL_NAMES.map((name: ToolName) => {
          const v = env.tools[name];
          return isUnknown(v) ? [t(name), u(v.reason), t('')] : [t(name), t(v.version), t(v.source)];
        }),
      },
    ],
  });

  sections.push({
    id: 'clocks',
    title: 'Measured: clocks',
    paragraphs: [
      'Resolution is the smallest step seen between successive readings; a timing shorter than a few steps, or not far above the overhead, cannot be trusted.',
    ],
    tables: [
      {
        columns: ['Clock', 'Resolution', 'Median step', 'Overhead per call', 'Readings'],
        rows: data.timers.map((k) => [t(k.clock), maybe(k.resolutionNs, fmtNs), maybe(k.medianStepNs, fmtNs), t(fmtNs(k.overheadNsPerCall)), t(k.calls)]),
      },
    ],
  });

  const bw = data.bandwidth;
  sections.push({
    id: 'bandwidth',
    title: 'Measured: memory-read bandwidth',
    paragraphs: isUnknown(bw)
      ? [`Bandwidth unknown: ${bw.reason}.`]
      : [
          'Native probe (src/kernels/bandwidth.ts): median over repeats, GB/s = 1e9 bytes read per second; spread is (max - min) / median. ' +
            'With several threads each reads its own share of the buffer. The in-L2 figure is the cache ceiling; the past-L3 one is what a kernel streaming a large array can reach (the roofline).',
        ],
    tables: isUnknown(bw)
      ? []
      : [
          {
            columns: ['Size', 'Why', 'Threads', 'GB/s (median)', 'Spread', 'Repeats', 'Read loop', 'Passes per repeat'],
            rows: bw.map((k) =>
              k.state === 'completed'
                ? [
                    t(fmtBytes(k.bytes)),
                    t(k.label),
                    t(k.threads),
                    t(k.gbPerSec.toFixed(2)),
                    t(pct(k.spread.relativeSpread)),
                    t(k.spread.repeats),
                    maybe(k.isa),
                    maybe(k.passesPerRepeat),
                  ]
                : [
                    t(fmtBytes(k.bytes)),
                    t(k.label),
                    t(k.threads),
                    u(k.state === 'errored' ? `errored: ${k.error.message}` : `skipped: ${k.reason}`),
                    t('-'),
                    t('-'),
                    t('-'),
                    t('-'),
                  ],
            ),
          },
        ],
  });

  const n = data.noise;
  const noiseTables: Table[] = [
    {
      columns: ['Check', 'Value', 'Limit'],
      rows: [
        [t('Window'), t(`${n.windowMs} ms`), t('')],
        [t('Load average (1, 5, 15 min)'), t(n.loadAverage.map((x) => x.toFixed(2)).join(', ')), t('')],
        [t('Load per logical CPU (1 min)'), t(n.loadPerCore.toFixed(2)), t(n.thresholds.loadPerCore)],
        [t('Busy CPU time (others)'), maybe(n.busyFraction, pct), t(pct(n.thresholds.busyFraction))],
        [t('Stolen CPU time'), maybe(n.stealFraction, pct), t(pct(n.thresholds.stealFraction))],
        [t('Verdict'), t(n.quiet ? 'quiet' : 'BUSY'), t('')],
      ],
    },
  ];
  if (!isUnknown(n.busiestProcesses) && n.busiestProcesses.length > 0) {
    noiseTables.push({
      columns: ['Busiest process', 'PID', 'CPU (cores)'],
      rows: n.busiestProcesses.map((p) => [t(p.self ? `${p.name} (servebench itself)` : p.name), t(p.pid), t(p.cpuCores.toFixed(2))]),
    });
  }
  sections.push({
    id: 'noise',
    title: 'Noise check',
    paragraphs: [
      `servebench idled for ${n.windowMs} ms while it read /proc/stat and /proc/<pid>/stat; the environment block's own check at capture time used ${env.noise.windowMs} ms (${env.noise.quiet ? 'quiet' : 'busy'}).`,
      ...(isUnknown(n.busiestProcesses)
        ? [`Busiest processes unknown: ${n.busiestProcesses.reason}.`]
        : n.busiestProcesses.length === 0
          ? ['No process used measurable CPU time during the window.']
          : []),
    ],
    tables: noiseTables,
    ...(n.warnings.length > 0 ? { items: n.warnings } : {}),
  });

  sections.push({
    id: 'flags',
    title: 'Flags',
    paragraphs: data.flags.length === 0 ? ['No figure was flagged.'] : ['Doubtful figures and skipped parts, never hidden:'],
    tables: [],
    ...(data.flags.length > 0 ? { items: data.flags.map((f) => `${f.subject} [${f.kind}]: ${f.message}`) } : {}),
  });

  const unknowns = unknownFacts(env);
  sections.push({
    id: 'unknown',
    title: 'Unknown facts',
    paragraphs: [
      unknowns.length === 0
        ? 'Every fact of the environment block is known.'
        : `${unknowns.length} facts of the environment block could not be known on this host:`,
    ],
    tables: unknowns.length === 0 ? [] : [{ columns: ['Field', 'Reason'], rows: unknowns.map((x) => [t(x.path), t(x.reason)]) }],
  });
  return sections;
}

const num = (v: MaybeKnown<number>) => (isUnknown(v) ? Number.NaN : v);

/** The nodes' memory should add up to the total; say so when it does not (hot-plugged or ballooned memory). */
function numaNote(nodes: NumaNode[], totalBytes: number): string {
  const known = nodes.map((n) => n.memTotalBytes).filter((b): b is number => typeof b === 'number');
  if (known.length !== nodes.length) return '';
  const sum = known.reduce((a, b) => a + b, 0);
  return Math.abs(sum - totalBytes) > 0.1 * totalBytes
    ? ` The nodes' own meminfo adds up to ${fmtBytes(sum)} of the ${fmtBytes(totalBytes)} in /proc/meminfo (memory hot-plugged or ballooned outside the node accounting); both are shown as the kernel reports them.`
    : '';
}

// ---------------------------------------------------------------- Markdown

const mdCell = (c: Cell) => ('unknown' in c ? `_unknown: ${mdEscape(c.unknown)}_` : mdEscape(c.text) || ' ');
// intraword underscores (avx512_vnni) are not emphasis in CommonMark, so only word-edge ones are escaped
const mdEscape = (s: string) =>
  s
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ')
    .replace(/([*`<>])/g, '\\$1')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_');

export interface MarkdownOptions {
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
    for (const table of s.tables) {
      out.push(`| ${table.columns.map(mdEscape).join(' | ')} |`, `| ${table.columns.map(() => '---').join(' | ')} |`);
      for (const row of table.rows) out.push(`| ${row.map(mdCell).join(' | ')} |`);
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

// ---------------------------------------------------------------- HTML

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
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

/** The style sheet of the page, for a caller that embeds renderHardwareHtmlBody in a page of its own. */
export const HARDWARE_CSS: string = CSS;

/** The report's body (heading, navigation, sections, footer) without the page around it. */
export function renderHardwareHtmlBody(input: HardwareReportInput): string {
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
  body.push(
    `<footer>servebench${input.servebench === undefined ? '' : ` ${esc(input.servebench.version)}`} · environment block v${input.env.envVersion} · ${esc(input.createdAt ?? input.env.capturedAt)}</footer>`,
  );
  return body.join('\n');
}

/** A complete, self-contained page: inline CSS, no scripts, no external assets. */
export function renderHardwareHtml(input: HardwareReportInput): string {
  const title = `Hardware report: ${input.env.host.hostname}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    renderHardwareHtmlBody(input),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
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
  const timers = data.timers.map((k) => `${k.clock} ${val(k.resolutionNs, fmtNs)} step, ${fmtNs(k.overheadNsPerCall)}/call`).join(' · ');
  const fs = env.storage.filesystem;
  const disk = env.storage.disk;
  const lines: Array<[string, string]> = [
    [
      'host',
      `${env.host.hostname} · ${val(env.host.os)} · kernel ${env.host.kernel} · virt ${val(env.host.virtualization)} · container ${val(env.host.container)}`,
    ],
    ['cpu', `${c.model} · ${c.logicalCores} logical / ${fv(c.physicalCores)} physical · OS ${fv(c.frequency.currentMhz, (v) => `${v} MHz`)} · ${measured}`],
    ['simd', c.simd.length > 0 ? c.simd.join(' ') : 'none found'],
    ['caches', caches],
    [
      'memory',
      `${fmtBytes(env.memory.totalBytes)} total · ${fmtBytes(env.memory.availableBytes)} available · NUMA ${val(env.memory.numaNodes, (n) => `${n.length} node${n.length === 1 ? '' : 's'}`)}`,
    ],
    [
      'limits',
      `cgroup ${val(env.cgroup.version)} · cpu quota ${val(c.cgroupCpuQuota, (q) => (q === 'max' ? 'none' : `${q} cores`))} · memory ${val(env.memory.cgroupLimitBytes, (q) => (q === 'max' ? 'none' : fmtBytes(q)))} · usable cores ${c.usableCores}`,
    ],
    ['disk', `${val(fs, (f) => `${f.type} on ${f.device}, ${fmtBytes(f.availableBytes)} free`)} · ${val(disk, (d) => `${d.device} ${val(d.driver)}`)}`],
    [
      'runtime',
      `node ${env.runtime.node} · v8 ${env.runtime.v8} · uv ${env.runtime.uv} · openssl ${env.runtime.openssl} · threadpool ${env.runtime.uvThreadpoolSize}`,
    ],
    ['native', env.native.available ? `loaded (${env.native.file})` : `unavailable: ${env.native.reason}`],
    ['tools', tools],
    ['clocks', timers],
    ['bandwidth', bw],
    [
      'noise',
      `${data.noise.quiet ? 'quiet' : 'BUSY'} · load ${data.noise.loadPerCore.toFixed(2)}/core · busy ${val(data.noise.busyFraction, pct)} · steal ${val(data.noise.stealFraction, pct)} over ${data.noise.windowMs} ms`,
    ],
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  return `${lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}
