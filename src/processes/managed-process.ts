// One running (or finished) child process owned by a supervisor: its output tail, IPC messages, exit and stop.

import type { ChildProcess } from 'node:child_process';
import { ServebenchError } from '../errors.js';
import type { ExitInfo, ProcessSpec } from './spec.js';
import { withTimeout } from './wait.js';

/** A running (or finished) child process owned by a supervisor. */
export class ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly spec: ProcessSpec;
  /** Messages received over IPC, in order (when `ipc` is on). */
  readonly messages: unknown[] = [];
  private tail = '';
  private exitInfo: ExitInfo | undefined;
  private readonly exitPromise: Promise<ExitInfo>;
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly messageListeners = new Set<(msg: unknown) => void>();

  constructor(spec: ProcessSpec, child: ChildProcess) {
    if (child.pid === undefined) throw new ServebenchError('SB_ERR_SPAWN', `${spec.name}: no pid`);
    this.name = spec.name;
    this.spec = spec;
    this.child = child;
    this.pid = child.pid;
    const keep = spec.keepOutputBytes ?? 65536;
    const onData = (stream: 'stdout' | 'stderr') => {
      let partial = '';
      return (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        this.tail = (this.tail + text).slice(-keep);
        if (spec.echo === true) process.stderr.write(prefixLines(`[${spec.name}${stream === 'stderr' ? '!' : ''}] `, text));
        partial += text;
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) for (const l of this.lineListeners) l(line);
      };
    };
    child.stdout?.on('data', onData('stdout'));
    child.stderr?.on('data', onData('stderr'));
    child.on('message', (msg: unknown) => {
      this.messages.push(msg);
      for (const l of this.messageListeners) l(msg);
    });
    this.exitPromise = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  /** True once the process has exited. */
  get exited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** Exit code and signal, once exited. */
  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** The last bytes the process wrote to stdout and stderr. */
  output(): string {
    return this.tail;
  }

  /** Call `listener` for every complete line of stdout or stderr; returns an unsubscribe function. */
  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Call `listener` for every IPC message; returns an unsubscribe function. */
  onMessage(listener: (msg: unknown) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** Send an IPC message (needs `ipc: true`). */
  send(msg: unknown): void {
    if (this.child.send === undefined || !this.child.connected) {
      throw new ServebenchError('SB_ERR_EXITED', `${this.name}: no IPC channel (exited, or started without ipc)`);
    }
    this.child.send(msg as never);
  }

  /** Resolves when the process exits; rejects after `timeoutMs` if given. */
  waitForExit(timeoutMs?: number): Promise<ExitInfo> {
    if (timeoutMs === undefined) return this.exitPromise;
    return withTimeout(this.exitPromise, timeoutMs, `${this.name} did not exit within ${timeoutMs} ms`);
  }

  /** Wait for the first IPC message matching `predicate` (including ones already received). */
  waitForMessage<T = unknown>(predicate: (msg: unknown) => boolean, timeoutMs: number): Promise<T> {
    const seen = this.messages.find(predicate);
    if (seen !== undefined) return Promise.resolve(seen as T);
    return new Promise<T>((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        offMsg();
        this.child.off('exit', onExit);
        fn();
      };
      const offMsg = this.onMessage((msg) => {
        if (predicate(msg)) done(() => resolve(msg as T));
      });
      const onExit = () => done(() => reject(this.exitedError('while waiting for a message')));
      this.child.once('exit', onExit);
      const timer = setTimeout(
        () => done(() => reject(new ServebenchError('SB_ERR_TIMEOUT', `${this.name}: no expected message within ${timeoutMs} ms`))),
        timeoutMs,
      );
    });
  }

  /** An error describing an unexpected exit, with the last lines of output. */
  exitedError(context: string): ServebenchError {
    const e = this.exitInfo;
    const how = e === undefined ? 'is gone' : exitDescription(e);
    const out = this.tail.trim().split('\n').slice(-15).join('\n');
    return new ServebenchError('SB_ERR_EXITED', `${this.name} ${how} ${context}${out ? `; its last output:\n${out}` : ''}`);
  }

  /** Send a signal to the process's group (it was started as a group leader), or the process alone. */
  signal(sig: NodeJS.Signals): void {
    if (this.exited) return;
    try {
      process.kill(-this.pid, sig);
    } catch {
      try {
        process.kill(this.pid, sig);
      } catch {
        // already gone: nothing to signal
      }
    }
  }

  /** Stop gracefully (stop signal), then SIGKILL after the grace period. Resolves once it has exited. */
  async stop(): Promise<ExitInfo> {
    if (this.exitInfo !== undefined) return this.exitInfo;
    this.signal(this.spec.stopSignal ?? 'SIGTERM');
    const grace = this.spec.stopTimeoutMs ?? 5000;
    const timer = setTimeout(() => this.signal('SIGKILL'), grace);
    try {
      return await this.exitPromise;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** How a process ended, for messages: 'was killed by SIGKILL' or 'exited with code 1'. */
export function exitDescription(e: { code: number | null; signal: string | null }): string {
  return e.signal !== null ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
}

function prefixLines(prefix: string, text: string): string {
  return text.replace(/^(?=.)/gm, prefix);
}
