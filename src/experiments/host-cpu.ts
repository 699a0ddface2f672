// The whole host's busy cores over a measured window, from /proc/stat: every process's CPU, the system under
// test's, the load generator's and any other tenant's. The scaling experiment sets it beside its own
// processes' CPU, so a finding can say the cores are the limit even when others on the host use them.

import { readFileSync } from 'node:fs';

interface Ticks {
  busy: number;
  total: number;
  cpus: number;
}

/** The aggregate 'cpu' line of /proc/stat; undefined where there is none (not Linux). */
function readTicks(): Ticks | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    // Not Linux, or /proc hidden: the figure is then unknown (null), not an error.
    return undefined;
  }
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const cpus = Math.max(1, text.split('\n').filter((l) => /^cpu\d+ /.test(l)).length);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total, cpus };
}

/** A window over the host's CPU: start() and end() at the measured window's edges; cores() is the busy cores in it. */
export class HostCpuWindow {
  private first: Ticks | undefined;
  private busyCores: number | null = null;

  start(): void {
    this.first = readTicks();
    this.busyCores = null;
  }

  end(): void {
    const last = readTicks();
    const a = this.first;
    if (a === undefined || last === undefined || last.total <= a.total) return;
    // Ticks are summed over CPUs: the busy share of all ticks times the CPUs is the busy cores.
    this.busyCores = ((last.busy - a.busy) / (last.total - a.total)) * last.cpus;
  }

  /** Busy cores over the window (0..cpus), or null when /proc/stat could not be read. */
  cores(): number | null {
    return this.busyCores;
  }
}
