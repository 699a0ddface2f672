// Readers of Linux's /proc: per-process CPU time and RSS (for any pid, servebench's own or a user's
// deployment), child processes (nginx workers), and the open-file limit. Elsewhere they report "unknown".

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  ppid: number;
  /** Process name as the kernel knows it (truncated to 15 characters). */
  comm: string;
  /** User + system CPU time, seconds. */
  cpuSeconds: number;
  rssBytes: number;
}

let clkTck: number | undefined;
let pageSize: number | undefined;

function getconf(name: string, fallback: number): number {
  try {
    const v = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000 }).trim());
    return Number.isFinite(v) && v > 0 ? v : fallback;
  } catch {
    // getconf missing: Linux's usual values
    return fallback;
  }
}

/** Clock ticks per second of /proc's CPU times. */
function clockTicks(): number {
  clkTck ??= getconf('CLK_TCK', 100);
  return clkTck;
}

function pageBytes(): number {
  pageSize ??= getconf('PAGESIZE', 4096);
  return pageSize;
}

/** /proc/<pid>/stat, or undefined when the process is gone (or this is not Linux). */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The name is in parentheses and may itself hold spaces or parentheses: split after the last ')'.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state): field k is f[k - 3].
  const ppid = Number(f[1]);
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  const rssPages = Number(f[21]);
  return { pid, ppid, comm, cpuSeconds: (utime + stime) / clockTicks(), rssBytes: rssPages * pageBytes() };
}

/** Every live descendant of the given processes (children, grandchildren...), found by scanning /proc. */
export function descendantsOf(pids: readonly number[]): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const byParent = new Map<number, ProcStat[]>();
  for (const e of entries) {
    const s = readProcStat(Number(e));
    if (s === undefined) continue;
    const list = byParent.get(s.ppid) ?? [];
    list.push(s);
    byParent.set(s.ppid, list);
  }
  const out: ProcStat[] = [];
  const seen = new Set(pids);
  const stack = [...pids];
  while (stack.length > 0) {
    for (const child of byParent.get(stack.pop()!) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      out.push(child);
      stack.push(child.pid);
    }
  }
  return out;
}

export interface OpenFileLimit {
  soft: number | 'unlimited';
  hard: number | 'unlimited';
}

/** The open-file limit of a process from /proc/<pid>/limits, or undefined when it cannot be read. */
export function readOpenFileLimit(pid: number | 'self' = 'self'): OpenFileLimit | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/limits`, 'utf8');
  } catch {
    return undefined;
  }
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (m === null) return undefined;
  const parse = (v: string) => (v === 'unlimited' ? ('unlimited' as const) : Number(v));
  return { soft: parse(m[1]!), hard: parse(m[2]!) };
}
