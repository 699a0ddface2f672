// The process tree as Linux's /proc shows it: a process's children and all its descendants (nginx workers
// under their master, cluster workers under their primary), for signals sent to a whole part of a system.

import { readdirSync, readFileSync } from 'node:fs';

/** Each live process's parent pid, read from /proc/<pid>/stat (empty where /proc is absent). */
function parentTable(): Map<number, number> {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return parents;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process went away while we looked
    }
  }
  return parents;
}

/** The direct children of `pid`. */
export function childPids(pid: number): number[] {
  return [...parentTable()].filter(([, ppid]) => ppid === pid).map(([child]) => child);
}

/** Every descendant of `pid` (children, their children...), not `pid` itself. */
export function descendantPids(pid: number): number[] {
  const table = [...parentTable()];
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift()!;
    for (const [child, ppid] of table) {
      if (ppid === p && !out.includes(child)) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}
