// The supervisor: starts child processes (argument arrays, never a shell, each in its own process group),
// waits for readiness, and stops every one of them.

import { spawn, type ChildProcess } from 'node:child_process';
import { ServebenchError } from '../errors.js';
import { ManagedProcess } from './managed-process.js';
import { installExitHooks, registry } from './shutdown.js';
import type { ProcessSpec, ReadyProbe } from './spec.js';
import { httpStatus, tcpOpen, waitUntil, withTimeout } from './wait.js';

/** Owns child processes: starts them, waits for readiness, and stops every one of them. */
export class Supervisor {
  private readonly running = new Set<ManagedProcess>();

  /** Processes started by this supervisor that have not exited. */
  list(): ManagedProcess[] {
    return [...this.running];
  }

  /**
   * Start a process and wait until it is ready. A process that exits or does not become ready in time
   * is stopped, and the error carries its last output.
   */
  async start(spec: ProcessSpec): Promise<ManagedProcess> {
    installExitHooks();
    let child: ChildProcess;
    try {
      child = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd,
        env: { ...process.env, SERVEBENCH_SUPERVISED: '1', ...spec.env },
        stdio: spec.ipc === true ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
        // Its own process group: stop() signals the whole group, so grandchildren (nginx workers,
        // the node process under a profiler) go too, and a terminal's Ctrl-C reaches us first.
        detached: true,
        shell: false,
      });
    } catch (err) {
      throw new ServebenchError('SB_ERR_SPAWN', `${spec.name}: cannot start ${spec.command}: ${String(err)}`, { cause: err });
    }
    const spawnError = new Promise<never>((_, reject) => {
      child.once('error', (err: NodeJS.ErrnoException) => {
        const msg = err.code === 'ENOENT' ? `${spec.command} not found` : err.message;
        reject(new ServebenchError(err.code === 'ENOENT' ? 'SB_ERR_MISSING_TOOL' : 'SB_ERR_SPAWN', `${spec.name}: ${msg}`, { cause: err }));
      });
    });
    spawnError.catch(() => undefined);
    if (child.pid === undefined) await spawnError;
    const proc = new ManagedProcess(spec, child);
    this.running.add(proc);
    registry.add(proc);
    void proc.waitForExit().then(() => {
      this.running.delete(proc);
      registry.delete(proc);
    });
    try {
      await Promise.race([spawnError, this.waitReady(proc, spec.ready ?? { kind: 'none' }, spec.readyTimeoutMs ?? 20000)]);
    } catch (err) {
      await proc.stop();
      throw err;
    }
    return proc;
  }

  private async waitReady(proc: ManagedProcess, probe: ReadyProbe, timeoutMs: number): Promise<void> {
    const exited = proc.waitForExit().then(() => {
      throw proc.exitedError('before it was ready');
    });
    exited.catch(() => undefined);
    const ready = (async () => {
      switch (probe.kind) {
        case 'none':
          return;
        case 'http':
          return waitUntil(
            async () => {
              const s = await httpStatus(probe.url);
              return s !== undefined && s >= 200 && s < 300;
            },
            timeoutMs,
            `${proc.name} to answer ${probe.url}`,
          );
        case 'tcp':
          return waitUntil(() => tcpOpen(probe.host, probe.port), timeoutMs, `${proc.name} to accept ${probe.host}:${probe.port}`);
        case 'line':
          return withTimeout(
            new Promise<void>((resolve) => {
              if (
                proc
                  .output()
                  .split('\n')
                  .some((l) => probe.pattern.test(l))
              )
                return resolve();
              const off = proc.onLine((l) => {
                if (probe.pattern.test(l)) {
                  off();
                  resolve();
                }
              });
            }),
            timeoutMs,
            `${proc.name} printed no line matching ${String(probe.pattern)} within ${timeoutMs} ms`,
          );
        case 'message':
          await proc.waitForMessage((m) => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === probe.type, timeoutMs);
          return;
      }
    })();
    await Promise.race([ready, exited]);
  }

  /** Stop every running process this supervisor started, in reverse start order. */
  async stopAll(): Promise<void> {
    const procs = [...this.running].reverse();
    await Promise.all(procs.map((p) => p.stop()));
  }
}

/** The process-wide supervisor. Suites may make their own; all are stopped on exit and on signals. */
export const supervisor = new Supervisor();
