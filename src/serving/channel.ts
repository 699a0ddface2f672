// Messages from a service process to whoever started it: over IPC when there is a channel (supervised
// processes, cluster workers), else as one line on stdout (a process started under a profiler wrapper,
// which does not pass the IPC channel on). The parent reads both the same way (see topology/process.ts).

import cluster from 'node:cluster';
import type { ProcessMetrics, ServiceName } from '../results/serving.js';

/** Prefix of a message line on stdout. */
export const LINE_PREFIX = '@@servebench ';

export type ServiceMessage =
  | { type: 'ready'; port: number; pid: number; role: string; name: string; service: ServiceName; workers?: { name: string; pid: number }[] }
  | { type: 'metrics'; metrics: ProcessMetrics }
  /** A cluster primary saw a worker die; `replaceInMs` when a replacement is coming. */
  | {
      type: 'worker-exited';
      service: ServiceName;
      pid: number;
      name: string;
      code: number | null;
      signal: string | null;
      atMs: number;
      restarts: number;
      replaceInMs?: number;
    }
  /** A cluster primary replaced a worker that died; `downMs` from its exit until the new one listened. */
  | {
      type: 'worker-replaced';
      service: ServiceName;
      oldPid: number;
      pid: number;
      name: string;
      code: number | null;
      signal: string | null;
      downMs?: number;
      restarts?: number;
    }
  /** A cluster primary saw a worker die and will not replace it (shutting down, or it keeps dying). */
  | { type: 'worker-lost'; service: ServiceName; pid: number; name: string; reason: string; restarts?: number };

/**
 * From servebench to a service process (IPC): hold every request it receives for `ms` (a hang fault). A
 * cluster primary passes it on to its workers, or to the one named.
 */
export interface HangMessage {
  type: 'hang';
  ms: number;
  worker?: string;
}

export function isHangMessage(msg: unknown): msg is HangMessage {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'hang' && typeof (msg as { ms?: unknown }).ms === 'number';
}

export function isServiceMessage(msg: unknown): msg is ServiceMessage {
  return typeof msg === 'object' && msg !== null && typeof (msg as { type?: unknown }).type === 'string';
}

/** Send a message to the parent process. */
export function sendToParent(msg: ServiceMessage): void {
  if (typeof process.send === 'function' && process.connected) {
    process.send(msg);
    return;
  }
  process.stdout.write(`${LINE_PREFIX}${JSON.stringify(msg)}\n`);
}

/**
 * Say the process is ready. A supervised process (not a cluster worker, whose primary speaks for it)
 * also prints the ready line on stdout: the supervisor's readiness probe waits for it, so readiness works
 * the same with or without IPC.
 */
export function announceReady(msg: Extract<ServiceMessage, { type: 'ready' }>): void {
  if (cluster.isWorker) {
    sendToParent(msg);
    return;
  }
  process.stdout.write(`${LINE_PREFIX}${JSON.stringify(msg)}\n`);
}

/** Parse a stdout line written by sendToParent/announceReady; undefined for any other line. */
export function parseMessageLine(line: string): ServiceMessage | undefined {
  if (!line.startsWith(LINE_PREFIX)) return undefined;
  try {
    const msg: unknown = JSON.parse(line.slice(LINE_PREFIX.length));
    return isServiceMessage(msg) ? msg : undefined;
  } catch {
    return undefined;
  }
}
