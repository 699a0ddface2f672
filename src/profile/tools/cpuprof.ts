// node --cpu-prof: every process and thread (cluster workers included) writes a V8 CPU profile; servebench
// draws a flame graph and a summary per profile, plus one of all cluster workers merged.

import { basename, join } from 'node:path';
import { packageRoot } from '../../paths.js';
import type { ProfileSummary } from '../../results/profile.js';
import { cpuProfileToStacks, loadCpuProfile } from '../cpuprofile.js';
import { mergeProfiles, type StackProfile } from '../stacks.js';
import { summarize } from '../summary.js';
import { drawFlameGraph, filesUnder, listArtefacts, processLabel, relTo, toolFailed } from './output.js';
import { PROFILED_ENV, type ProfilerAdapter, requireNode, softExitImport } from './types.js';

const CPUPROF_DIR = 'cpuprofile';
/** servebench's JavaScript wrapper of the addon, as the profiled (compiled) processes load it. */
const NATIVE_WRAPPERS = [join(packageRoot, 'dist', 'src', 'kernels', 'native.js'), join(packageRoot, 'src', 'kernels', 'native.ts')];

export const cpuprof: ProfilerAdapter = {
  name: 'cpuprof',
  followsClusterWorkers: true,
  // The soft-exit preload makes every profiled process exit normally on SIGINT, so V8 writes its profile.
  stopWith: 'signal',
  wrap(cmd, _ctx, dir) {
    requireNode(cmd, '--cpu-prof');
    // Cluster workers and worker threads inherit these flags (execArgv), so each writes its own profile.
    return {
      command: cmd.command,
      args: ['--cpu-prof', '--cpu-prof-dir', join(dir, CPUPROF_DIR), ...softExitImport(), ...cmd.args],
      env: { ...cmd.env, [PROFILED_ENV]: 'cpuprof' },
    };
  },
  async collect(ctx) {
    const files = filesUnder(ctx.dir).filter((f) => f.endsWith('.cpuprofile'));
    if (files.length === 0) throw toolFailed(ctx, 'no .cpuprofile was written (a profiled process must exit by itself, not be killed by a signal)');
    const warnings: string[] = [];
    const summaries: ProfileSummary[] = [];
    const workerProfiles: StackProfile[] = [];
    const workerPids: number[] = [];
    const profiles: { file: string; pid: number; thread: number; profile: StackProfile }[] = [];
    for (const file of files) {
      // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
      const m = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(basename(file));
      const pid = m === null ? 0 : Number(m[1]);
      const thread = m === null ? 0 : Number(m[2]);
      try {
        const profile = cpuProfileToStacks(loadCpuProfile(file), {
          ...(ctx.windowUs === undefined ? {} : { windowUs: ctx.windowUs }),
          addonFunctions: ctx.addonFunctions,
          addonWrappers: NATIVE_WRAPPERS,
          // A worker thread in Atomics.wait is a pool worker waiting for a task: idle, not blocking requests.
          atomicsWait: thread === 0 ? 'blocked' : 'idle',
        });
        profiles.push({ file, pid, thread, profile });
      } catch (err) {
        warnings.push(`could not read ${relTo(ctx, file)}: ${(err as Error).message}`);
      }
    }
    // Main threads first (pid order), then worker threads.
    profiles.sort((a, b) => (a.thread === 0 ? 0 : 1) - (b.thread === 0 ? 0 : 1) || a.pid - b.pid || a.thread - b.thread);
    for (const p of profiles) {
      const label = processLabel(ctx, p.pid, p.thread);
      const summary = summarize(p.profile, { source: 'v8-cpuprofile', process: label, pids: [p.pid] });
      summaries.push(summary);
      drawFlameGraph(ctx, p.file.replace(/\.cpuprofile$/, '.html').replace(/CPU\./, 'flamegraph-CPU.'), p.profile, summary, label);
      if (p.thread === 0 && ctx.roles.get(p.pid) !== undefined && !/primary/.test(ctx.roles.get(p.pid)!) && ctx.roles.size > 1) {
        workerProfiles.push(p.profile);
        workerPids.push(p.pid);
      }
    }
    if (workerProfiles.length > 1) {
      const merged = mergeProfiles(workerProfiles);
      const label = `all ${workerProfiles.length} workers`;
      const summary = summarize(merged, { source: 'v8-cpuprofile', process: label, pids: workerPids });
      summaries.push(summary);
      drawFlameGraph(ctx, join(ctx.dir, 'flamegraph-all-workers.html'), merged, summary, label);
    }
    return { artefacts: listArtefacts(ctx), summaries, warnings };
  },
};
