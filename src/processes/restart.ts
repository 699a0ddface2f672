// Keeping a process running, as a process manager does: a process that fails (killed by a signal, or a
// non-zero exit) is started again after a bounded exponential back-off, at most N times in a sliding window,
// after which it stays down and says so. Each exit, restart and giving up is reported as an event. What
// "start" means (the same port, reloading data) is the caller's: KeptProcess only decides when.

import { errorMessage } from '../errors.js';
import { exitDescription, type ManagedProcess } from './managed-process.js';
import { isStoppingAll } from './shutdown.js';
import type { ExitInfo } from './spec.js';

/** When and how often a failed process is started again. */
export interface RestartPolicy {
  /** The delay before the first restart in a window; it doubles with each further one. @default 100 */
  initialDelayMs: number;
  /** The longest delay. @default 5000 */
  maxDelayMs: number;
  /** Restarts allowed within `windowMs`; the next failure leaves the process down. @default 10 */
  maxRestarts: number;
  /** The sliding window restarts are counted in. @default 60000 */
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: Readonly<RestartPolicy> = { initialDelayMs: 100, maxDelayMs: 5000, maxRestarts: 10, windowMs: 60_000 };

/** Something that happened to a kept process. */
export interface ProcessLifecycleEvent {
  /** Epoch ms. */
  atMs: number;
  /** The process's name, e.g. 'model-a', 'scoring-primary', 'redis-server'. */
  process: string;
  kind: 'exited' | 'restarted' | 'gave-up';
  /** exited and gave-up: the process that ended; restarted: the new one. */
  pid: number;
  /** restarted: the pid of the process it replaces. */
  previousPid?: number;
  /** The exit this event is about (for restarted: the exit it recovers from). */
  code: number | null;
  signal: string | null;
  /** restarted: ms from the exit until the new process was ready. */
  downMs?: number;
  /** exited: the delay before the restart, when one is coming. */
  restartInMs?: number;
  /** Restarts of this process so far (restarted: this one included). */
  restarts: number;
  message: string;
}

/**
 * Failed: killed by a signal other than a stop request, or a non-zero exit. A clean exit (code 0, or SIGTERM,
 * SIGINT, SIGHUP: what a stop sends) is a stop, not a failure, as systemd's Restart=on-failure counts it.
 */
function isFailure(e: ExitInfo): boolean {
  if (e.signal !== null) return !['SIGTERM', 'SIGINT', 'SIGHUP'].includes(e.signal);
  return e.code !== 0;
}

/** How events name a kept process: its pid, and its exit (a guard's stand for its server's). */
export interface KeptProcessView {
  /** The pid events name. @default the process's own */
  pidOf?: (p: ManagedProcess) => number;
  /** The exit events report. @default the process's own */
  exitOf?: (e: ExitInfo) => ExitInfo;
}

/** A process started again after it fails, under a RestartPolicy (false: never; its exit is still reported). */
export class KeptProcess {
  private proc: ManagedProcess | undefined;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private relaunching: Promise<void> | undefined;
  /** Epoch ms of each restart still inside the window. */
  private recent: number[] = [];
  private total = 0;

  /**
   * @param launch starts the process and resolves once it is ready (the first start and every restart)
   * @param report receives every exit, restart and giving up (never during stop())
   */
  constructor(
    readonly name: string,
    private readonly launch: () => Promise<ManagedProcess>,
    private readonly policy: RestartPolicy | false,
    private readonly report: (e: ProcessLifecycleEvent) => void,
    private readonly view: KeptProcessView = {},
  ) {}

  /** The first start: its failure is the caller's (nothing is retried). */
  async start(): Promise<ManagedProcess> {
    const p = await this.launch();
    this.adopt(p);
    return p;
  }

  /** The process running now; undefined while it is down. */
  get current(): ManagedProcess | undefined {
    return this.proc;
  }

  /** Restarts so far. */
  get restarts(): number {
    return this.total;
  }

  /** No more restarts; stop the process (and one being started). Safe to call twice. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.relaunching?.catch(() => undefined);
    await this.proc?.stop();
  }

  private adopt(p: ManagedProcess): void {
    this.proc = p;
    const pid = this.view.pidOf?.(p) ?? p.pid;
    void p.waitForExit().then((exit) => {
      if (this.proc === p) this.proc = undefined;
      if (this.stopping || isStoppingAll()) return;
      const e = this.view.exitOf?.(exit) ?? exit;
      this.failed(pid, e, Date.now(), `${this.name} (pid ${pid}) ${exitDescription(e)}`);
    });
  }

  /** After an exit, or a restart that failed to start: schedule the next start, or give up. */
  private failed(pid: number, e: ExitInfo, downSince: number, what: string): void {
    const base = { process: this.name, pid, code: e.code, signal: e.signal, restarts: this.total };
    if (this.policy === false || !isFailure(e)) {
      const why = this.policy === false ? 'restarts are off' : 'a clean exit is a stop';
      this.report({ ...base, atMs: Date.now(), kind: 'exited', message: `${what}; not restarted (${why})` });
      return;
    }
    const now = Date.now();
    this.recent = this.recent.filter((t) => now - t < (this.policy as RestartPolicy).windowMs);
    if (this.recent.length >= this.policy.maxRestarts) {
      this.report({ ...base, atMs: now, kind: 'exited', message: what });
      const window = `${this.policy.maxRestarts} restarts within ${this.policy.windowMs} ms`;
      this.report({ ...base, atMs: now, kind: 'gave-up', message: `${this.name} gave up after ${window}: it stays down` });
      return;
    }
    const delay = Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** this.recent.length);
    this.report({ ...base, atMs: now, kind: 'exited', restartInMs: delay, message: `${what}; restarting in ${delay} ms` });
    this.timer = setTimeout(() => {
      this.relaunching = this.relaunch(pid, e, downSince);
    }, delay);
  }

  private async relaunch(oldPid: number, e: ExitInfo, downSince: number): Promise<void> {
    if (this.stopping || isStoppingAll()) return;
    this.recent.push(Date.now());
    this.total++;
    let p: ManagedProcess;
    try {
      p = await this.launch();
    } catch (err) {
      if (this.stopping) return;
      // A restart that could not start counts as one more failure; the down time runs on.
      this.failed(oldPid, { code: e.code ?? 1, signal: e.signal }, downSince, `${this.name} could not be restarted: ${errorMessage(err)}`);
      return;
    }
    if (this.stopping) {
      await p.stop();
      return;
    }
    this.adopt(p);
    const downMs = Date.now() - downSince;
    const pid = this.view.pidOf?.(p) ?? p.pid;
    this.report({
      atMs: Date.now(),
      process: this.name,
      kind: 'restarted',
      pid,
      previousPid: oldPid,
      code: e.code,
      signal: e.signal,
      downMs,
      restarts: this.total,
      message: `${this.name} restarted as pid ${pid} after ${downMs} ms down (restart ${this.total})`,
    });
  }
}
