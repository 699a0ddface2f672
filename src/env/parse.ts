// Small parsers for the kernel's text formats (/proc/cpuinfo, /proc/meminfo, CPU lists, cache sizes,
// mountinfo). Pure functions, so the tests can feed them fixture text.

import type { Unknown } from '../results/env.js';

export const unknown = (reason: string): Unknown => ({ unknown: true, reason });

/** /proc/cpuinfo: one record per processor (blank-line separated 'key : value' lines). */
export function parseCpuinfo(text: string): Array<Map<string, string>> {
  const records: Array<Map<string, string>> = [];
  let current = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (current.size > 0) records.push(current);
      current = new Map();
      continue;
    }
    const i = line.indexOf(':');
    if (i < 0) continue;
    current.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  if (current.size > 0) records.push(current);
  return records;
}

/** /proc/meminfo and /sys/.../nodeN/meminfo: field name -> bytes (kB figures converted). */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    // "MemTotal:       24684084 kB" or "Node 0 MemTotal:  5335244 kB"
    const m = /^(?:Node \d+ )?([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line.trim());
    if (m === null) continue;
    const value = Number(m[2]);
    out.set(m[1]!, line.trim().endsWith('kB') ? value * 1024 : value);
  }
  return out;
}

/** The CPUs of a kernel CPU list such as '0-3,8,10-11'. */
export function parseCpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const [a, b] = part.split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) continue;
    for (let c = lo; c <= hi; c++) cpus.push(c);
  }
  return cpus;
}

/** A sysfs cache size such as '32K', '1024K', '32M' -> bytes. */
export function parseSizeString(text: string): number | undefined {
  const m = /^(\d+)\s*([KMG]?)B?$/i.exec(text.trim());
  if (m === null) return undefined;
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * mult;
}

export interface MountInfo {
  majorMinor: string;
  /** The root of the mount within its filesystem (e.g. a cgroup path). */
  root: string;
  mountPoint: string;
  fsType: string;
  source: string;
  superOptions: string[];
}

const unescapeMount = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));

/** /proc/self/mountinfo (see proc(5)). */
export function parseMountinfo(text: string): MountInfo[] {
  const mounts: MountInfo[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const f = left.split(' ');
    const r = right.split(' ');
    if (f.length < 5 || r.length < 2) continue;
    mounts.push({
      majorMinor: f[2]!,
      root: unescapeMount(f[3]!),
      mountPoint: unescapeMount(f[4]!),
      fsType: r[0]!,
      source: unescapeMount(r[1]!),
      superOptions: (r[2] ?? '').split(','),
    });
  }
  return mounts;
}

/** The first line of a text, trimmed; undefined when empty. */
export function firstLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text.split('\n')[0]?.trim();
  return line === undefined || line === '' ? undefined : line;
}

/** A sysfs integer file. */
export function parseIntFile(text: string | undefined): number | undefined {
  const line = firstLine(text);
  if (line === undefined) return undefined;
  const v = Number(line);
  return Number.isFinite(v) ? v : undefined;
}
