// The one supervisor of every child process servebench starts: argument arrays (never a shell), readiness
// checks, timeouts, and stop-all on exit and on signals, so that nothing outlives a run.

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { request } from 'node:http';
import { ServebenchError } from './errors.js';

/** How to tell that a started process is ready for work. */
export type ReadyProbe =
  | { kind: 'none' }
  /** GET the URL until it answers with a 2xx status. */
  | { kind: 'http'; url: string }
  /** Open a TCP connection until it is accepted. */
  | { kind: 'tcp'; host: string; port: number }
  /** Wait for a line of stdout or stderr matching the pattern. */
  | { kind: 'line'; pattern: RegExp }
  /** Wait for an IPC message whose `type` field equals the given one (needs `ipc: true`). */
  | { kind: 'message'; type: string };

export interface ProcessSpec {
  /** A short name for messages, e.g. 'model-api-a' or 'redis-server'. */
  name: string;
  /** The executable (found on PATH when not absolute); never run through a shell. */
  command: string;
  args: readonly string[];
  cwd?: string;
  /** Added to (or overriding) the parent's environment. */
  env?: Record<string, string | undefined>;
  /** Open an IPC channel (node children only). @default false */
  ipc?: boolean;
  /** @default { kind: 'none' } */
  ready?: ReadyProbe;
  /** @default 20000 */
  readyTimeoutMs?: number;
  /** Signal for a graceful stop. @default 'SIGTERM' */
  stopSignal?: NodeJS.Signals;
  /** Time allowed for a graceful stop before SIGKILL. @default 5000 */
  stopTimeoutMs?: number;
  /** Bytes of combined stdout/stderr kept for error messages. @default 65536 */
  keepOutputBytes?: number;
  /** Forward the child's output to this process's stderr, prefixed with its name. @default false */
  echo?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

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

/** Reject with a timeout error if `promise` does not settle within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServebenchError('SB_ERR_TIMEOUT', message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `check` until it returns true (or a value other than false/undefined), or time out. */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new ServebenchError('SB_ERR_TIMEOUT', `timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** A free TCP port on the given host, found by binding port 0. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** One GET; resolves with the status code, or undefined on a connection error. */
export function httpStatus(url: string, timeoutMs = 1000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** True when a TCP connection to host:port is accepted. */
export function tcpOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port, timeout: timeoutMs });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', () => resolve(false));
  });
}

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
          return waitUntil(async () => {
            const s = await httpStatus(probe.url);
            return s !== undefined && s >= 200 && s < 300;
          }, timeoutMs, `${proc.name} to answer ${probe.url}`);
        case 'tcp':
          return waitUntil(() => tcpOpen(probe.host, probe.port), timeoutMs, `${proc.name} to accept ${probe.host}:${probe.port}`);
        case 'line':
          return withTimeout(
            new Promise<void>((resolve) => {
              if (proc.output().split('\n').some((l) => probe.pattern.test(l))) return resolve();
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

// Every ManagedProcess of every supervisor, for the last-resort kill on exit.
const registry = new Set<ManagedProcess>();
const shutdownHooks = new Set<() => Promise<void> | void>();
let hooksInstalled = false;
let shuttingDown = false;

/**
 * Run `hook` when servebench is interrupted (SIGINT, SIGTERM, SIGHUP), before its children are stopped:
 * e.g. to write partial results. Returns an unregister function.
 */
export function onShutdown(hook: () => Promise<void> | void): () => void {
  shutdownHooks.add(hook);
  return () => shutdownHooks.delete(hook);
}

/** Stop every process started by any supervisor. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...registry].map((p) => p.stop()));
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Last resort: on exit (normal or by process.exit), SIGKILL what is left. process.kill is synchronous.
  process.on('exit', () => {
    for (const p of registry) p.signal('SIGKILL');
  });
}

let signalsInstalled = false;

/**
 * For the CLI (not for library users, whose process is theirs): on SIGINT, SIGTERM or SIGHUP run the
 * shutdown hooks, stop every child, and exit with 128 + the signal number.
 */
export function installSignalHandlers(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  installExitHooks();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const sig of signals) {
    process.on(sig, () => {
      if (shuttingDown) return;
      shuttingDown = true;
      process.stderr.write(`\nservebench: ${sig} received, stopping everything it started...\n`);
      void (async () => {
        for (const hook of shutdownHooks) {
          try {
            await hook();
          } catch (err) {
            process.stderr.write(`servebench: a shutdown step failed: ${String(err)}\n`);
          }
        }
        await withTimeout(stopAllProcesses(), 10000, 'stop').catch(() => undefined);
        process.exit(codes[sig] ?? 1);
      })();
    });
  }
}

/** The process-wide supervisor. Suites may make their own; all are stopped on exit and on signals. */
export const supervisor = new Supervisor();

/**
 * For servebench's own child entry points: exit when the parent is gone (its IPC channel closes, or
 * this process is re-parented), so a killed parent never leaves servers holding ports.
 */
export function exitWithParent(): void {
  if (process.env.SERVEBENCH_SUPERVISED !== '1') return;
  if (typeof process.send === 'function') {
    process.once('disconnect', () => process.exit(0));
    return;
  }
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 500).unref();
}
