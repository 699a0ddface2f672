// Child entry point: runs a non-node server (redis-server, nginx) and takes it down with this process's
// parent. Such servers never notice that the servebench that started them died (kill -9, a crashed test
// runner), so without a guard they would keep holding their ports.
// Usage: guard-main.js [--remove-dir <dir>] <command> [args...]; the folder (nginx's temp folder, Redis'
// snapshot) is removed once the server has exited after a stop, but kept when the server died by itself, so
// that the restart servebench makes finds its config and data. A server that dies by itself takes the rest
// of this group with it (the workers of a killed nginx master would otherwise keep its port).

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { constants } from 'node:os';
import { LINE_PREFIX } from './channel.js';

let argv = process.argv.slice(2);
let removeDir: string | undefined;
if (argv[0] === '--remove-dir') {
  removeDir = argv[1];
  argv = argv.slice(2);
}
const [command, ...args] = argv;
let stopAsked = false;
const cleanUp = () => {
  if (removeDir !== undefined && stopAsked) rmSync(removeDir, { recursive: true, force: true });
};
process.on('exit', cleanUp);

/** The other processes of this guard's group (the server's children), read from /proc. */
function groupMembers(): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === process.pid) out.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return out;
}
if (command === undefined) {
  process.stderr.write('guard-main: no command given\n');
  process.exit(2);
}

// Same process group as this guard (the supervisor made the guard a group leader), stdio passed through,
// so readiness probes on the server's output still work.
const child = spawn(command, args, { stdio: 'inherit' });
child.once('error', (err: NodeJS.ErrnoException) => {
  process.stderr.write(err.code === 'ENOENT' ? `${command} not found\n` : `${command}: ${err.message}\n`);
  process.exit(127);
});
if (child.pid !== undefined) process.stdout.write(`${LINE_PREFIX}${JSON.stringify({ type: 'guarded', pid: child.pid })}\n`);
child.once('exit', (code, signal) => {
  if (!stopAsked) {
    for (const pid of groupMembers()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
  // A shell's convention: 128 + the signal's number when the server was killed by one.
  process.exit(code ?? (signal !== null ? 128 + (constants.signals[signal] ?? 0) : 1));
});

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'] as const) {
  process.on(sig, () => {
    // SIGHUP is nginx's reload, passed on: not a stop.
    if (sig !== 'SIGHUP') stopAsked = true;
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  });
}

let orphaned = false;
const parentGone = () => {
  if (orphaned) return;
  orphaned = true;
  stopAsked = true;
  child.kill('SIGTERM');
  setTimeout(() => {
    // The whole group: the server's own children (nginx workers) too, and this guard.
    try {
      cleanUp();
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
      process.exit(1);
    }
  }, 2000).unref();
};
if (typeof process.send === 'function') process.once('disconnect', parentGone);
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) parentGone();
}, 500).unref();
