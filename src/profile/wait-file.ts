// Child entry point: clinic's --on-port command for the tools stopped that way. clinic starts it once the
// profiled server listens and, when it exits, stops the profiled process through clinic's own channel
// (doctor and flame emit 'beforeExit', heap-profiler stops sampling over its IPC socket): a clean flush that
// does not depend on how the service handles signals. It exits when the suite creates the stop file, or
// after the time limit so a forgotten run still ends. argv: <stop file> <limit ms>

import { existsSync } from 'node:fs';

const [file, limit] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: wait-file <stop file> [limit ms]\n');
  process.exit(2);
}
const deadline = Date.now() + Number(limit ?? 3_600_000);
const timer = setInterval(() => {
  if (existsSync(file) || Date.now() > deadline) {
    clearInterval(timer);
    process.exit(0);
  }
}, 100);
