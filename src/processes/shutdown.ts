// Stop-all on exit and on signals, shutdown hooks (partial results first), and the children's side:
// exiting when the parent is gone. Nothing servebench starts outlives it.

import type { ManagedProcess } from './managed-process.js';
import { watchParents } from './parents.js';
import { withTimeout } from './wait.js';

// Every ManagedProcess of every supervisor, for the last-resort kill on exit.
export const registry = new Set<ManagedProcess>();
const shutdownHooks = new Set<() => Promise<void> | void>();
let hooksInstalled = false;
let shuttingDown = false;
let stoppingAll = false;

/** True once every process is being stopped (servebench is shutting down): no process is restarted then. */
export function isStoppingAll(): boolean {
  return stoppingAll;
}

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
  stoppingAll = true;
  await Promise.all([...registry].map((p) => p.stop()));
}

export function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Last resort: on exit (normal or by process.exit), SIGKILL what is left. process.kill is synchronous.
  process.on('exit', () => {
    for (const p of registry) p.signal('SIGKILL');
  });
}

let signalsInstalled = false;

/**
 * For the CLI (not for library users, whose process is theirs): on SIGINT, SIGTERM or SIGHUP, or when the
 * process that started servebench is gone (parents.ts), run the shutdown hooks, stop every child, and exit
 * with 128 + the signal number (129 for a vanished parent, as for SIGHUP).
 */
export function installSignalHandlers(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  installExitHooks();
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => shutDown(`${sig} received`, codes[sig] ?? 1));
  }
  watchParents(() => shutDown('the process that started servebench is gone', codes.SIGHUP ?? 129));
}

/** Run the shutdown hooks (partial results first), stop every child, and exit with `code`. Once. */
function shutDown(why: string, code: number): void {
  if (shuttingDown) return;
  shuttingDown = true;
  process.stderr.write(`\nservebench: ${why}, stopping everything it started...\n`);
  void (async () => {
    for (const hook of shutdownHooks) {
      try {
        await hook();
      } catch (err) {
        process.stderr.write(`servebench: a shutdown step failed: ${String(err)}\n`);
      }
    }
    await withTimeout(stopAllProcesses(), 10000, 'stop').catch(() => undefined);
    process.exit(code);
  })();
}

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
