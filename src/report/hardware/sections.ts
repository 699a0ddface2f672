// The hardware report as a list of sections, in reading order: a summary first, the host's facts, what
// the suite measured, then the flags and every fact that could not be known.

import { isUnknown, type MaybeKnown } from '../../results/env.js';
import { formatBinaryBytes as fmtBytes } from '../format.js';
import { cellText, type HardwareReportInput, maybe, pct, type Section, t, u } from './cells.js';
import {
  cachesSection,
  cpuSection,
  limitsSection,
  memorySection,
  nativeSection,
  gpuSection,
  networkSection,
  osSection,
  runtimeSection,
  storageSection,
  toolsSection,
} from './host.js';
import { bandwidthSection, clocksSection, noiseSection } from './measured.js';

const num = (v: MaybeKnown<number>) => (isUnknown(v) ? Number.NaN : v);

function summarySection(input: HardwareReportInput): Section {
  const { env, data } = input;
  const c = env.cpu;
  const m = env.memory;
  // the suite's longer window speaks for the report; the capture's short one only when the suite saw no noise
  const noiseWarnings = !data.noise.quiet ? data.noise.warnings : env.noise.warnings.map((w) => `at capture time: ${w}`);
  const quota = isUnknown(c.cgroupCpuQuota) ? 'unknown' : c.cgroupCpuQuota === 'max' ? 'none' : c.cgroupCpuQuota;
  const by = input.servebench === undefined ? '' : ` by servebench ${input.servebench.version}`;
  return {
    id: 'summary',
    title: 'Summary',
    paragraphs: [
      `Captured ${env.capturedAt}${by} in ${env.captureMs} ms; the suite took ${data.durationMs} ms. ` +
        'A fact that could not be known is marked unknown with the reason; nothing is guessed.',
    ],
    ...(noiseWarnings.length > 0 ? { alert: `The host looked busy: figures measured now may be unreliable. ${noiseWarnings.join('; ')}` } : {}),
    tables: [
      {
        columns: ['Item', 'Value'],
        rows: [
          [t('CPU'), t(`${c.model} (${c.logicalCores} logical CPUs)`)],
          [t('Cores a benchmark can use'), t(`${c.usableCores} (availableParallelism ${c.availableParallelism}, cgroup quota ${quota})`)],
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
  };
}

function flagsSection(input: HardwareReportInput): Section {
  const flags = input.data.flags;
  return {
    id: 'flags',
    title: 'Flags',
    paragraphs: flags.length === 0 ? ['No figure was flagged.'] : ['Doubtful figures and skipped parts, never hidden:'],
    tables: [],
    ...(flags.length > 0 ? { items: flags.map((f) => `${f.subject} [${f.kind}]: ${f.message}`) } : {}),
  };
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

function unknownSection(input: HardwareReportInput): Section {
  const unknowns = unknownFacts(input.env);
  return {
    id: 'unknown',
    title: 'Unknown facts',
    paragraphs: [
      unknowns.length === 0
        ? 'Every fact of the environment block is known.'
        : `${unknowns.length} facts of the environment block could not be known on this host:`,
    ],
    tables: unknowns.length === 0 ? [] : [{ columns: ['Field', 'Reason'], rows: unknowns.map((x) => [t(x.path), t(x.reason)]) }],
  };
}

/** The report's sections, in reading order. */
export function hardwareSections(input: HardwareReportInput): Section[] {
  const { env, data } = input;
  return [
    summarySection(input),
    cpuSection(env, data),
    cachesSection(env),
    memorySection(env),
    limitsSection(env),
    osSection(env),
    storageSection(env),
    networkSection(env),
    gpuSection(env),
    runtimeSection(env),
    nativeSection(env),
    toolsSection(env),
    clocksSection(data),
    bandwidthSection(data),
    noiseSection(env, data),
    flagsSection(input),
    unknownSection(input),
  ];
}
