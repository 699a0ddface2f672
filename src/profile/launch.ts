// Child entry point: runs one profiler (0x, clinic, perf) inside its case folder and keeps its output. The
// profile suite hands it to the serving system as the scoring command (wrapScoring), so it is started by the
// supervisor as a process group leader. It
// - changes to the case folder, since the tools write their temporary files to the working directory
//   (0x isolate logs, clinic doctor's node_trace.*.log, V8's log under --perf-basic-prof);
// - starts the tool in the same process group, so the suite can wait until the whole group (launcher, tool,
//   profiled node, its workers) has exited, and the supervisor's stop or kill reaches all of them;
// - copies the tool's output to tool.log as well as to its own stdout/stderr (the ready line still
//   reaches the serving system), and writes how the tool ended to tool-exit.json;
// - survives SIGINT/SIGTERM itself until the tool has exited, and kills the tool if its parent dies.
// argv: <case folder> -- <command> [args...]

import { spawn } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Names shared with src/profile/tools/types.ts (not imported from there: this entry point stays tiny).
const TOOL_LOG = 'tool.log';
const TOOL_EXIT = 'tool-exit.json';

function main(): void {
  const [dir, dash, command, ...args] = process.argv.slice(2);
  if (dir === undefined || dash !== '--' || command === undefined) {
    process.stderr.write('usage: launch <case folder> -- <command> [args...]\n');
    process.exit(2);
  }
  process.chdir(dir);
  const log = createWriteStream(join(dir, TOOL_LOG), { flags: 'a' });
  // A SIGINT/SIGTERM to the group is for the tool and its workload; this process waits for the tool to finish.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  child.stdout.on('data', (b: Buffer) => {
    process.stdout.write(b);
    log.write(b);
  });
  child.stderr.on('data', (b: Buffer) => {
    process.stderr.write(b);
    log.write(b);
  });
  child.on('error', (err) => {
    writeFileSync(join(dir, TOOL_EXIT), JSON.stringify({ code: null, signal: null, error: err.message }));
    process.stderr.write(`cannot start ${command}: ${err.message}\n`);
    log.end(() => process.exit(127));
  });
  child.on('exit', (code, signal) => {
    writeFileSync(join(dir, TOOL_EXIT), JSON.stringify({ code, signal }));
    log.end(() => process.exit(code ?? 1));
  });
  // If servebench is gone (re-parented), take the tool down with it: nothing outlives a run.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      process.exit(1);
    }
  }, 500).unref();
}

main();
