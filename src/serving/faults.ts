// Fault hooks on a running system, for a fault schedule (`--fault 'at=5s kill model-a'`): kill a part
// (SIGKILL), pause it (SIGSTOP, then SIGCONT after a while), or hang it (it stops answering while it stays
// alive). What each target means on each topology is decided here, from the system's process list.
//
// Targets: model-a, model-b, scoring: the service's front process (single: the process; cluster: the primary,
// whose workers go with it; nginx topology: every backend behind its nginx); scoring-worker: one serving
// process of the scoring service (a cluster worker, an nginx backend, or the single process); redis: every
// redis-server servebench started (feature store, queue broker); nginx: the scoring front's nginx master;
// model-worker: one model worker of the queue path.
//
// pause stops the target's processes and their descendants (a cluster's workers, nginx's workers). hang: node
// services are told over IPC to hold every request they receive (and a queue worker to take no job) for the
// time, then carry on; Redis gets CLIENT PAUSE <ms> ALL; nginx, which has no such switch, gets a pause.

import { Redis } from 'ioredis';
import { ServebenchError } from '../errors.js';
import { descendantPids } from '../processes/index.js';
import type { SystemProcess } from '../results/serving.js';

/** What can be told to hang: a service (every serving process, or one worker), or the queue's model workers. */
interface Hangable {
  hang(ms: number, scope: 'all' | 'one-worker'): SystemProcess[];
}

export const FAULT_TARGETS = ['model-a', 'model-b', 'redis', 'scoring', 'scoring-worker', 'nginx', 'model-worker'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];
export type FaultAction = 'kill' | 'pause' | 'hang';

/** A fault as it was applied: when, to which processes, how, and until when (pause, hang). */
export interface FaultApplied {
  action: FaultAction;
  target: FaultTarget;
  /** Epoch ms. */
  atMs: number;
  /** pause, hang: epoch ms when it ends. */
  untilMs?: number;
  processes: { name: string; pid: number }[];
  /** e.g. 'SIGKILL', 'SIGSTOP, SIGCONT after 2000 ms', 'requests held in the process (IPC)', 'CLIENT PAUSE 2000 ALL'. */
  how: string;
}

export interface SystemFaults {
  /** SIGKILL the target's process(es); with restarts on, they come back on their ports. */
  kill(target: FaultTarget): Promise<FaultApplied>;
  /** SIGSTOP the target's processes (and their descendants), SIGCONT after `ms`. */
  pause(target: FaultTarget, ms: number): Promise<FaultApplied>;
  /** The target stops answering for `ms` while it stays alive (see the module comment for how). */
  hang(target: FaultTarget, ms: number): Promise<FaultApplied>;
}

/** What the faults reach into: the system's processes and the handles that can be told to hang. */
export interface FaultParts {
  processes(): SystemProcess[];
  services: Partial<Record<'scoring' | 'model-a' | 'model-b', Hangable>>;
  /** The redis-servers servebench started, by URL. */
  redisUrls: string[];
  /** Queue path: the model workers. */
  modelWorkers?: Hangable;
}

function byName(a: SystemProcess, b: SystemProcess): number {
  return a.name.localeCompare(b.name, 'en', { numeric: true });
}

/** The processes a kill hits; a target this system does not have (or that is down) is an error naming it. */
function killSet(parts: FaultParts, target: FaultTarget): SystemProcess[] {
  const all = parts.processes();
  let found: SystemProcess[];
  switch (target) {
    case 'model-a':
    case 'model-b':
    case 'scoring': {
      const primary = all.filter((p) => p.service === target && p.role === `${target}-primary`);
      found = primary.length > 0 ? primary : all.filter((p) => p.service === target && p.role === target);
      break;
    }
    case 'scoring-worker':
      found = all
        .filter((p) => p.service === 'scoring' && p.role === 'scoring')
        .sort(byName)
        .slice(0, 1);
      break;
    case 'redis':
      found = all.filter((p) => p.role === 'feature-store' || p.role === 'queue-broker');
      break;
    case 'nginx':
      found = all.filter((p) => p.service === 'scoring' && p.role === 'nginx');
      break;
    case 'model-worker':
      found = all
        .filter((p) => p.role === 'model-worker')
        .sort(byName)
        .slice(0, 1);
      break;
  }
  if (found.length === 0) {
    throw new ServebenchError(
      'SB_ERR_INPUT',
      `fault target ${target}: no such process running in this system (it is down, or this path, topology or store has none)`,
    );
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}

/** The fault hooks of a system; `release()` (at stop) resumes what is still paused and ends the timers. */
export function systemFaults(parts: FaultParts): SystemFaults & { release(): void } {
  const paused = new Map<NodeJS.Timeout, number[]>();
  const named = (ps: SystemProcess[]) => ps.map((p) => ({ name: p.name, pid: p.pid }));

  const pause = async (target: FaultTarget, ms: number, action: FaultAction = 'pause'): Promise<FaultApplied> => {
    const roots = killSet(parts, target);
    const pids = [...new Set(roots.flatMap((p) => [p.pid, ...descendantPids(p.pid)]))];
    for (const pid of pids) signal(pid, 'SIGSTOP');
    const atMs = Date.now();
    const timer = setTimeout(() => {
      paused.delete(timer);
      for (const pid of pids) signal(pid, 'SIGCONT');
    }, ms);
    paused.set(timer, pids);
    return { action, target, atMs, untilMs: atMs + ms, processes: named(roots), how: `SIGSTOP of ${pids.length} process(es), SIGCONT after ${ms} ms` };
  };

  const hang = async (target: FaultTarget, ms: number): Promise<FaultApplied> => {
    const atMs = Date.now();
    const held = (processes: SystemProcess[], how: string): FaultApplied => ({
      action: 'hang',
      target,
      atMs,
      untilMs: atMs + ms,
      processes: named(processes),
      how,
    });
    switch (target) {
      case 'nginx':
        return pause(target, ms, 'hang');
      case 'redis': {
        const servers = killSet(parts, target);
        await Promise.all(parts.redisUrls.map((url) => clientPause(url, ms)));
        return held(servers, `CLIENT PAUSE ${ms} ALL`);
      }
      case 'model-worker': {
        killSet(parts, target);
        return held(parts.modelWorkers?.hang(ms, 'one-worker') ?? [], 'no job taken (IPC; after the one in hand, within a second)');
      }
      default: {
        killSet(parts, target);
        const service = parts.services[target === 'scoring-worker' ? 'scoring' : target];
        if (service === undefined) throw new ServebenchError('SB_ERR_INPUT', `fault target ${target}: not in this system`);
        return held(service.hang(ms, target === 'scoring-worker' ? 'one-worker' : 'all'), 'requests held in the process (IPC)');
      }
    }
  };

  return {
    kill: async (target) => {
      const victims = killSet(parts, target);
      for (const p of victims) signal(p.pid, 'SIGKILL');
      return { action: 'kill', target, atMs: Date.now(), processes: named(victims), how: 'SIGKILL' };
    },
    pause: (target, ms) => pause(target, ms),
    hang,
    release: () => {
      for (const [timer, pids] of paused) {
        clearTimeout(timer);
        for (const pid of pids) signal(pid, 'SIGCONT');
      }
      paused.clear();
    },
  };
}

/** Redis stops answering every client for `ms` (CLIENT PAUSE, Redis >= 6.2 for ALL), then carries on. */
async function clientPause(url: string, ms: number): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.call('CLIENT', 'PAUSE', String(ms), 'ALL');
  } finally {
    client.disconnect();
  }
}
