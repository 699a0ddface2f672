// Memory: totals from /proc/meminfo (node:os as fallback), NUMA nodes from sysfs, module layout from the
// firmware tables through systeminformation (absent in most VMs), transparent huge pages.

import type { Systeminformation } from 'systeminformation';
import type { EnvBlock, Fact, MaybeKnown, MemoryModule, NumaNode } from '../results/env.js';
import { firstLine, parseMeminfo, unknown } from './parse.js';
import type { HostSources } from './sources.js';

export type MemoryFacts = Omit<EnvBlock['memory'], 'cgroupLimitBytes'>;

export function captureMemory(sources: HostSources, layout: MaybeKnown<Systeminformation.MemLayoutData[]>): MemoryFacts {
  const meminfoText = sources.readText('/proc/meminfo');
  const meminfo = meminfoText === undefined ? new Map<string, number>() : parseMeminfo(meminfoText);
  const total = meminfo.get('MemTotal');
  const available = meminfo.get('MemAvailable');
  const swap = meminfo.get('SwapTotal');
  const fromProc = total !== undefined && total > 0 && available !== undefined;
  const thp = sources.readText('/sys/kernel/mm/transparent_hugepage/enabled')?.match(/\[(\w+)\]/)?.[1];
  return {
    totalBytes: fromProc ? total : sources.os.totalmem(),
    availableBytes: fromProc ? available : sources.os.freemem(),
    source: fromProc ? '/proc/meminfo MemTotal/MemAvailable' : 'os.totalmem()/os.freemem()',
    swapTotalBytes: swap === undefined ? unknown('no SwapTotal in /proc/meminfo') : { value: swap, source: '/proc/meminfo SwapTotal' },
    numaNodes: captureNuma(sources),
    layout: memoryLayout(layout),
    transparentHugepages:
      thp === undefined
        ? unknown('no /sys/kernel/mm/transparent_hugepage/enabled')
        : ({ value: thp, source: '/sys/kernel/mm/transparent_hugepage/enabled' } satisfies Fact<string>),
  };
}

function captureNuma(sources: HostSources): MaybeKnown<NumaNode[]> {
  const base = '/sys/devices/system/node';
  const nodes = sources.list(base)?.filter((e) => /^node\d+$/.test(e));
  if (nodes === undefined || nodes.length === 0) return unknown(`no ${base}/node* (kernel without NUMA support in sysfs)`);
  return nodes
    .map((name) => {
      const cpus = firstLine(sources.readText(`${base}/${name}/cpulist`));
      const memText = sources.readText(`${base}/${name}/meminfo`);
      const mem = memText === undefined ? undefined : parseMeminfo(memText).get('MemTotal');
      return {
        node: Number(name.slice(4)),
        cpus: cpus ?? 'none',
        memTotalBytes: mem === undefined ? unknown(`no MemTotal in ${base}/${name}/meminfo`) : mem,
      };
    })
    .sort((a, b) => a.node - b.node);
}

const text = (s: string | undefined, what: string): MaybeKnown<string> =>
  s === undefined || s.trim() === '' || /^(unknown|not specified)$/i.test(s.trim()) ? unknown(`${what} not in the firmware tables`) : s.trim();

function memoryLayout(layout: MaybeKnown<Systeminformation.MemLayoutData[]>): MaybeKnown<MemoryModule[]> {
  if ('unknown' in layout) return layout;
  // systeminformation falls back to one pseudo-module holding the total when there are no DMI tables; a
  // module with no bank and no type says nothing about the layout, so it is not reported as one.
  const modules = layout.filter((m) => m.size > 0 && ((m.bank ?? '').trim() !== '' || (m.type ?? '').trim() !== ''));
  if (modules.length === 0) return unknown('no memory modules in the firmware (DMI) tables: dmidecode missing, not root, or a VM without them');
  return modules.map((m) => ({
    sizeBytes: m.size,
    bank: text(m.bank, 'bank'),
    type: text(m.type, 'type'),
    clockMhz: m.clockSpeed !== null && m.clockSpeed > 0 ? m.clockSpeed : unknown('clock speed not in the firmware tables'),
    formFactor: text(m.formFactor, 'form factor'),
  }));
}
