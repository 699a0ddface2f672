// Starting one node service process (a single service process, an nginx backend, a cluster primary, or a
// queue model worker) under the supervisor: compiled JS, settings in the environment, ready when it prints
// its ready line, messages (metrics, worker changes) read from IPC and from stdout alike.

import { compiledEntry } from '../../paths.js';
import { constants } from 'node:os';
import type { ExitInfo, ManagedProcess, ProcessSpec, Supervisor } from '../../processes/index.js';
import { ServebenchError } from '../../errors.js';
import { isServiceMessage, LINE_PREFIX, parseMessageLine, type ServiceMessage } from '../channel.js';

/** The command that starts a process; a wrapper may prefix it (a profiler) and return the one to run. */
export interface CommandLine {
  command: string;
  args: string[];
  env: Record<string, string>;
}
export type CommandWrapper = (cmd: CommandLine) => CommandLine;

export type ReadyMessage = Extract<ServiceMessage, { type: 'ready' }>;

export interface NodeServiceSpec {
  name: string;
  entry: 'src/serving/service-main' | 'src/serving/cluster-primary-main' | 'src/serving/queue/worker-main';
  env: Record<string, string>;
  readyTimeoutMs: number;
  wrap?: CommandWrapper | undefined;
  onMessage: (msg: ServiceMessage) => void;
}

const READY_PATTERN = new RegExp(`^${LINE_PREFIX.trim()} \\{"type":"ready"`);

export async function startNodeService(sup: Supervisor, spec: NodeServiceSpec): Promise<{ proc: ManagedProcess; ready: ReadyMessage }> {
  let cmd: CommandLine = { command: process.execPath, args: [compiledEntry(spec.entry)], env: spec.env };
  const wrapped = spec.wrap !== undefined;
  if (spec.wrap !== undefined) cmd = spec.wrap(cmd);
  const proc = await sup.start({
    name: spec.name,
    command: cmd.command,
    args: cmd.args,
    env: cmd.env,
    // A wrapper (a profiler) does not pass an IPC channel on; the process then writes its messages on stdout.
    ipc: !wrapped,
    ready: { kind: 'line', pattern: READY_PATTERN },
    readyTimeoutMs: spec.readyTimeoutMs,
    // Profilers (0x, clinic, --cpu-prof) write their output on a clean exit: stop a wrapped process with
    // SIGINT, which every service process handles gracefully, and give it time to finish writing.
    ...(wrapped ? { stopSignal: 'SIGINT' as const } : {}),
    stopTimeoutMs: wrapped ? 30_000 : 5000,
  });
  proc.onMessage((msg) => {
    if (isServiceMessage(msg)) spec.onMessage(msg);
  });
  proc.onLine((line) => {
    const msg = parseMessageLine(line);
    if (msg !== undefined && msg.type !== 'ready') spec.onMessage(msg);
  });
  const line = proc
    .output()
    .split('\n')
    .reverse()
    .find((l) => READY_PATTERN.test(l));
  const ready = line === undefined ? undefined : parseMessageLine(line);
  if (ready === undefined || ready.type !== 'ready') {
    await proc.stop();
    throw new ServebenchError('SB_ERR_NOT_READY', `${spec.name}: its ready line could not be read`);
  }
  return { proc, ready };
}

/**
 * Start a non-node server (redis-server, nginx) under guard-main, which takes it down if servebench dies
 * without stopping it. Resolves with the server's own pid (for metrics sampling) beside the guard process.
 */
export async function startGuarded(sup: Supervisor, spec: ProcessSpec, removeDir?: string): Promise<{ proc: ManagedProcess; pid: number }> {
  const guard = [compiledEntry('src/serving/guard-main'), ...(removeDir === undefined ? [] : ['--remove-dir', removeDir])];
  const proc = await sup.start({ ...spec, command: process.execPath, args: [...guard, spec.command, ...spec.args], ipc: true });
  const m = /^@@servebench \{"type":"guarded","pid":(\d+)\}$/m.exec(proc.output());
  return { proc, pid: m === null ? proc.pid : Number(m[1]) };
}

/** A guard's exit as its server's: guard-main exits with 128 + the signal's number when the server was killed by one. */
export function guardedExit(e: ExitInfo): ExitInfo {
  if (e.code === null || e.code <= 128) return e;
  const name = Object.entries(constants.signals).find(([, n]) => n === (e.code ?? 0) - 128)?.[0];
  return name === undefined ? e : { code: null, signal: name as NodeJS.Signals };
}
