// The memory budget of a probe (and of the model API in the server check): RLIMIT_DATA set by util-linux's
// prlimit, which then execs node, plus V8's --max-old-space-size for the JS heap's share.
//
// Why RLIMIT_DATA: since Linux 4.7 it bounds every private writable mapping (brk, anonymous mmap), so one
// limit covers the JS heap, ArrayBuffers (malloc/calloc -> mmap), thread stacks and the addon's memory.
// Past it malloc fails: an ArrayBuffer throws "RangeError: Array buffer allocation failed" and V8's heap
// cannot grow. It counts address space, not resident pages, so it is a hard, early bound: a probe can never
// take more than the budget, and the machine never swaps or meets its OOM killer for it. Each run checks it
// (verifyLimit): a child is asked for an ArrayBuffer just over the budget and must be refused. cgroups are
// not used: on this machine they are cgroup v1 and the process's memory group belongs to the harness.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ServebenchError, toErrorInfo } from '../errors.js';
import { compiledEntry } from '../paths.js';
import { exitDescription, type Supervisor } from '../processes/index.js';
import type { MemoryLimitMechanism } from '../results/capacity.js';
import { formatBytes, heapLimitMiB } from './settings.js';
import { isProbeReport, type ProbeJob } from './protocol.js';

/** How to start node under a budget. */
export interface MemoryLimit {
  budgetBytes: number;
  prlimit: string;
  tool: string;
  v8MaxOldSpaceMiB: number;
}

/** Find prlimit and its version; throws SB_ERR_MISSING_TOOL when it is not installed. */
export async function findMemoryLimit(budgetBytes: number): Promise<MemoryLimit> {
  try {
    const { stdout } = await promisify(execFile)('prlimit', ['--version'], { timeout: 5000 });
    return { budgetBytes, prlimit: 'prlimit', tool: stdout.trim().split('\n')[0] ?? 'prlimit', v8MaxOldSpaceMiB: heapLimitMiB(budgetBytes) };
  } catch (err) {
    throw new ServebenchError(
      'SB_ERR_MISSING_TOOL',
      `prlimit (util-linux) is needed to give each probe a hard memory budget and was not found or did not run: ${toErrorInfo(err).message.split('\n')[0]}`,
      { cause: err },
    );
  }
}

/** The command line that runs `node [nodeArgs]` under the budget (node's path is this process's). */
export function limitedNode(limit: MemoryLimit, nodeArgs: readonly string[], node: string = process.execPath): { command: string; args: string[] } {
  return {
    command: limit.prlimit,
    args: [`--data=${limit.budgetBytes}`, '--', node, `--max-old-space-size=${limit.v8MaxOldSpaceMiB}`, ...nodeArgs],
  };
}

/**
 * Check that the limit really bounds a child: one asks for an (untouched) ArrayBuffer of the budget plus
 * 64 MiB and must be refused; the answer, with the child's start-up VmData, is the verification text.
 */
export async function verifyLimit(sup: Supervisor, limit: MemoryLimit): Promise<MemoryLimitMechanism> {
  const job: ProbeJob = { mode: 'verify', bytes: limit.budgetBytes + 64 * 1024 * 1024 };
  const base = { kind: 'rlimit-data' as const, tool: limit.tool, dataLimitBytes: limit.budgetBytes, v8MaxOldSpaceMiB: limit.v8MaxOldSpaceMiB };
  try {
    const cmd = limitedNode(limit, [compiledEntry('src/capacity/probe-main'), JSON.stringify(job)]);
    const proc = await sup.start({ name: 'capacity-verify', command: cmd.command, args: cmd.args, ipc: true, stopTimeoutMs: 2000 });
    const exit = await proc.waitForExit(30_000).catch(async () => {
      await proc.stop();
      return undefined;
    });
    const report = proc.messages.find(isProbeReport);
    if (report === undefined) {
      const how = exit === undefined ? 'did not finish in 30 s' : exitDescription(exit);
      return {
        ...base,
        verified: false,
        verification: `a child under the limit ${how} without answering: ${proc.output().trim().split('\n').slice(-3).join(' | ')}`,
      };
    }
    const vmData = report.memory.vmDataBytes === null ? '' : ` (its data segment at start: ${formatBytes(report.memory.vmDataBytes)})`;
    if (report.outcome === 'allocation-failed') {
      return {
        ...base,
        verified: true,
        verification: `a child under the limit was refused an ArrayBuffer of ${formatBytes(job.bytes)}: RangeError: ${report.error.message}${vmData}`,
      };
    }
    if (report.outcome === 'ok') {
      return {
        ...base,
        verified: false,
        verification: `a child under the limit was granted an ArrayBuffer of ${formatBytes(job.bytes)}: RLIMIT_DATA does not bound allocations here${vmData}`,
      };
    }
    return { ...base, verified: false, verification: `the check failed: ${report.error.message}` };
  } catch (err) {
    return { ...base, verified: false, verification: `the check could not run: ${toErrorInfo(err).message.split('\n')[0]}` };
  }
}
