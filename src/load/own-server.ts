// Your own server, started from its command the way 0x and clinic take one (`servebench profile -- node
// app.js`, `servebench load --target URL -- node app.js`): started under the supervisor (its own process
// group, stopped after the run, never outliving it), optionally wrapped by a profiler, then waited for until
// it listens: on --port, else on the first port the process or a descendant listens on (/proc), or the port a
// line it prints names. Under load, a node server also reports its event loop (loop-meter-main.ts, preloaded).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServebenchError } from '../errors.js';
import { compiledEntry } from '../paths.js';
import { type ManagedProcess, type Supervisor, sleep, supervisor as defaultSupervisor, tcpOpen } from '../processes/index.js';
import type { ProcessMetrics } from '../results/serving.js';
import type { CommandLine, CommandWrapper } from '../serving/index.js';
import { listeningSockets, portInLine } from './listening.js';
import type { MetricsSource } from './sampler.js';

export interface OwnServerOptions {
  /** The command and its arguments, e.g. ['node', 'app.js', '--port', '3000']. */
  argv: readonly string[];
  /** The port it listens on; found by itself when absent. */
  port?: number;
  /** The address to check the port on. @default '127.0.0.1' */
  host?: string;
  /** A profiler's wrapping of the command (its command must then be node). */
  wrap?: CommandWrapper;
  /** Preload loop-meter-main.ts so a node server reports its event loop (load only; never under a profiler). @default false */
  meter?: boolean;
  /** How long it may take to listen. @default 60000 */
  readyTimeoutMs?: number;
  supervisor?: Supervisor;
}

export interface OwnServer {
  /** The process servebench started (under a profiler: the profiler's launcher). */
  proc: ManagedProcess;
  /** The process that listens on the port: the user's server itself. */
  pid: number;
  port: number;
  /** How the port was found. */
  portFrom: 'option' | 'proc' | 'output';
  /** The server's own metrics, when loop-meter-main.ts runs in it. */
  metrics?: MetricsSource;
  stop(): Promise<void>;
}

const METER_ENV = 'SERVEBENCH_LOOP_METER';

/** The command as the supervisor runs it: the meter preloaded through NODE_OPTIONS (harmless for a non-node command). */
function commandLine(o: OwnServerOptions): CommandLine {
  const [command, ...args] = o.argv;
  if (command === undefined || command === '') throw new ServebenchError('SB_ERR_OPTION', 'no command after --: give the server to start, e.g. -- node app.js');
  const env: Record<string, string> = {};
  if (o.meter === true) {
    const preload = `--import=${pathToFileURL(compiledEntry('src/load/loop-meter-main')).href}`;
    env.NODE_OPTIONS = [process.env.NODE_OPTIONS, preload].filter((x) => x !== undefined && x !== '').join(' ');
    env[METER_ENV] = String(process.pid);
  }
  if (o.wrap === undefined) return { command, args, env };
  // Under 0x, clinic and perf the server runs in the case folder, where the tools write: arguments naming a
  // file or folder here are made absolute so that `node app.js` still finds app.js.
  return o.wrap({ command, args: args.map((a) => (!a.startsWith('-') && existsSync(a) ? resolve(a) : a)), env });
}

/**
 * The listening process and port, once there is one; undefined while it is not listening yet. Without /proc's
 * answer (not Linux), the pid is the process servebench started.
 */
async function findListener(proc: ManagedProcess, given: number | undefined, host: string): Promise<Omit<OwnServer, 'proc' | 'stop' | 'metrics'> | undefined> {
  const sockets = listeningSockets(proc.pid);
  if (given !== undefined) {
    if (!(await tcpOpen(host, given, 500))) return undefined;
    return { pid: sockets.find((s) => s.port === given)?.pid ?? proc.pid, port: given, portFrom: 'option' };
  }
  const first = sockets[0];
  if (first !== undefined) return { ...first, portFrom: 'proc' };
  const printed = proc
    .output()
    .split('\n')
    .map(portInLine)
    .find((p) => p !== undefined);
  if (printed !== undefined && (await tcpOpen(host, printed, 500))) return { pid: proc.pid, port: printed, portFrom: 'output' };
  return undefined;
}

/** Start the command and wait until it listens; throws (after stopping it) when it exits first or never listens. */
export async function startOwnServer(o: OwnServerOptions): Promise<OwnServer> {
  const sup = o.supervisor ?? defaultSupervisor;
  const cmd = commandLine(o);
  const proc = await sup.start({
    name: 'own-server',
    command: cmd.command,
    args: cmd.args,
    env: cmd.env,
    ipc: o.meter === true,
    // A profiled server stops on SIGINT (the profile suite sends it first), and gets time to write.
    stopSignal: o.wrap === undefined ? 'SIGTERM' : 'SIGINT',
    stopTimeoutMs: o.wrap === undefined ? 5000 : 30_000,
  });
  const timeoutMs = o.readyTimeoutMs ?? 60_000;
  const t0 = Date.now();
  for (;;) {
    if (proc.exited) throw proc.exitedError(`before it listened${o.port === undefined ? '' : ` on port ${o.port}`}`);
    const found = await findListener(proc, o.port, o.host ?? '127.0.0.1');
    if (found !== undefined) {
      const listeners = new Set<(m: ProcessMetrics) => void>();
      let latest: ProcessMetrics | undefined;
      proc.onMessage((m) => {
        const msg = m as { type?: unknown; metrics?: ProcessMetrics };
        if (msg.type !== 'metrics' || msg.metrics === undefined) return;
        latest = msg.metrics;
        for (const l of listeners) l(msg.metrics);
      });
      // A listener gets the latest sample right away (never during the subscribing call): the baseline of a
      // window that starts before the next sample.
      const metrics: MetricsSource = (l) => {
        listeners.add(l);
        const last = latest;
        if (last !== undefined) queueMicrotask(() => l(last));
        return () => listeners.delete(l);
      };
      return { proc, ...found, ...(o.meter === true ? { metrics } : {}), stop: async () => void (await proc.stop()) };
    }
    if (Date.now() - t0 > timeoutMs) {
      await proc.stop();
      const where = o.port === undefined ? 'on any port (give --port if it listens through a child /proc cannot see)' : `on port ${o.port}`;
      const tail = proc.output().trim().split('\n').slice(-5).join('\n');
      throw new ServebenchError(
        'SB_ERR_NOT_READY',
        `${o.argv.join(' ')}: not listening ${where} after ${timeoutMs / 1000} s${tail === '' ? '' : `; its output:\n${tail}`}`,
      );
    }
    await sleep(100);
  }
}
