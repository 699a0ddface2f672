// The generator's file-descriptor budget: one descriptor per connection, so 10,000+ connections need a
// high limit. Node raises its own soft limit to the hard limit at startup, so the hard limit is the cap;
// Node cannot call setrlimit itself, but util-linux's `prlimit` can raise a running process's limits (the
// hard one needs CAP_SYS_RESOURCE, and stays under fs.nr_open). When that fails the error says what the
// cap is and why. Servers started afterwards inherit the raised limit.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { ServebenchError } from '../errors.js';
import type { FdLimitInfo } from '../results/load.js';
import { readOpenFileLimit } from './proc.js';

const run = promisify(execFile);

/** Descriptors kept free for everything else the process holds (files, IPC, the servers' pipes). */
export const FD_HEADROOM = 512;

/** Descriptors a run with this many connections needs in the generator process. */
export function fdsNeeded(connections: number): number {
  return connections + FD_HEADROOM;
}

/**
 * Make sure this process may open `needed` descriptors, raising the soft (and if need be the hard) limit
 * with prlimit. Throws a clear error when the limit cannot be raised far enough.
 */
export async function ensureFdLimit(needed: number): Promise<FdLimitInfo> {
  const before = readOpenFileLimit();
  if (before === undefined) {
    return { soft: 'unknown', hard: 'unknown', needed, raised: false, note: 'open-file limit unknown (no /proc/self/limits on this system); not raised' };
  }
  const enough = (v: number | 'unlimited') => v === 'unlimited' || v >= needed;
  if (enough(before.soft)) {
    return { soft: before.soft, hard: before.hard, needed, raised: false, note: `the soft limit (${before.soft}) already allows ${needed} descriptors` };
  }
  const nrOpen = readNrOpen();
  const want = Math.max(needed, 1024);
  const newHard = enough(before.hard) ? before.hard : want;
  const attempt = `prlimit --pid ${process.pid} --nofile=${want}:${newHard}`;
  let failure = '';
  if (nrOpen !== undefined && want > nrOpen) {
    failure = `fs.nr_open is ${nrOpen}, below the ${want} needed (raise it with sysctl fs.nr_open)`;
  } else {
    try {
      await run('prlimit', ['--pid', String(process.pid), `--nofile=${want}:${newHard}`], { timeout: 5000 });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      failure = e.code === 'ENOENT' ? 'prlimit (util-linux) is not installed' : `\`${attempt}\` failed: ${(e.stderr ?? e.message).trim()}`;
      if (hasCapSysResource() === false) failure += ' (this process lacks CAP_SYS_RESOURCE, which raising the hard limit needs: e.g. in a container)';
    }
  }
  const after = readOpenFileLimit() ?? before;
  if (enough(after.soft)) {
    return { soft: after.soft, hard: after.hard, needed, raised: true, note: `raised from ${before.soft}:${before.hard} with \`${attempt}\`` };
  }
  throw new ServebenchError(
    'SB_ERR_OPTION',
    `this load needs about ${needed} open files in the generator process (one per connection + ${FD_HEADROOM}), ` +
      `but its limit is ${after.soft} (soft) / ${after.hard} (hard) and could not be raised: ${failure || 'the limit did not change'}. ` +
      `Raising the hard limit needs root (CAP_SYS_RESOURCE); run \`ulimit -n ${needed}\` in the shell first, or use fewer connections.`,
  );
}

/** Whether this process has CAP_SYS_RESOURCE (bit 24 of CapEff), or undefined when unknown. */
function hasCapSysResource(): boolean | undefined {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m === null ? undefined : (BigInt(`0x${m[1]}`) & (1n << 24n)) !== 0n;
  } catch {
    return undefined;
  }
}

function readNrOpen(): number | undefined {
  try {
    return Number(readFileSync('/proc/sys/fs/nr_open', 'utf8').trim());
  } catch {
    return undefined;
  }
}
