// What a supervised process is: its command line, readiness probe and stop rules (types only).

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
