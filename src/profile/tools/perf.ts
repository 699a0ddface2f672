// perf record (optional): on-CPU samples of every process and thread, JIT frames named through node's perf
// maps and the addon's Rust frames by name; `perf script` output is read into one profile per process.

import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Supervisor } from '../../processes/index.js';
import type { ProfileSummary } from '../../results/profile.js';
import { PerfScriptReader } from '../perf-script.js';
import { mergeProfiles, type StackProfile } from '../stacks.js';
import { summarize } from '../summary.js';
import { drawFlameGraph, filesUnder, listArtefacts, processLabel, relTo, toolFailed } from './output.js';
import { launched, type ProfilerAdapter, requireNode, softExitImport } from './types.js';

const PERF_DATA = 'perf.data';
/** Sampling frequency: a prime, so sampling does not beat with periodic work. */
const PERF_HZ = 499;

export const perf: ProfilerAdapter = {
  name: 'perf',
  followsClusterWorkers: true,
  // perf record stops on SIGINT once its workload has exited (the soft-exit preload sees to that).
  stopWith: 'signal',
  wrap(cmd, ctx, dir) {
    requireNode(cmd, 'perf');
    // -k mono: sample times on the monotonic clock, so the load window can be cut out exactly.
    // --perf-basic-prof: node writes /tmp/perf-<pid>.map so JIT frames get names;
    // --interpreted-frames-native-stack gives interpreted functions their own frames too.
    return launched(
      ctx,
      dir,
      [
        ctx.paths.perf,
        'record',
        '-F',
        String(PERF_HZ),
        '-g',
        '-k',
        'mono',
        '-o',
        join(dir, PERF_DATA),
        '--',
        cmd.command,
        '--perf-basic-prof',
        '--interpreted-frames-native-stack',
        ...softExitImport(),
        ...cmd.args,
      ],
      cmd.env,
    );
  },
  async collect(ctx) {
    const data = filesUnder(ctx.dir).filter((f) => basename(f) === PERF_DATA);
    if (data.length === 0) throw toolFailed(ctx, 'perf wrote no perf.data');
    const warnings: string[] = [];
    const summaries: ProfileSummary[] = [];
    for (const file of data) {
      const reader = new PerfScriptReader(ctx.windowUs === undefined ? {} : { windowUs: ctx.windowUs });
      const sup = new Supervisor();
      const seenPids = new Set<number>();
      try {
        const proc = await sup.start({
          name: 'perf-script',
          command: ctx.paths.perf,
          args: ['script', '-i', file, '-F', 'comm,pid,tid,time,ip,sym,dso'],
          keepOutputBytes: 8192,
          stopTimeoutMs: 2000,
        });
        proc.onLine((l) => {
          reader.line(l);
          const m = /^\S.*?\s+(\d+)\/\d+\s+\d+\.\d+:/.exec(l);
          if (m !== null) seenPids.add(Number(m[1]));
        });
        const exit = await proc.waitForExit(180_000).catch(async (err: unknown) => {
          await proc.stop();
          throw err;
        });
        if (exit.code !== 0) warnings.push(`perf script exited with code ${exit.code}: ${proc.output().trim().split('\n').slice(-3).join(' / ')}`);
      } finally {
        await sup.stopAll();
        // The JIT maps node wrote for perf are ours (the processes this case started): remove them.
        for (const pid of seenPids) rmSync(`/tmp/perf-${pid}.map`, { force: true });
      }
      // perf records only its workload and the workload's children: every process here is ours.
      const procs = reader.finish(Math.round(1e6 / PERF_HZ));
      const all: StackProfile[] = [];
      const pids: number[] = [];
      for (const p of procs) {
        const label = `${processLabel(ctx, p.pid)} (${p.comm})`;
        const summary = summarize(p.profile, { source: 'perf-script', process: label, pids: [p.pid] });
        summaries.push(summary);
        drawFlameGraph(ctx, join(dirname(file), `flamegraph-perf-${p.pid}.html`), p.profile, summary, `perf, ${label}`);
        all.push(p.profile);
        pids.push(p.pid);
      }
      if (all.length > 1) {
        const merged = mergeProfiles(all);
        const summary = summarize(merged, { source: 'perf-script', process: `all ${all.length} processes`, pids });
        summaries.push(summary);
        drawFlameGraph(ctx, join(dirname(file), 'flamegraph-perf-all.html'), merged, summary, 'perf, all processes');
      }
      if (procs.length === 0) warnings.push(`perf recorded no samples of the profiled processes in ${relTo(ctx, file)}`);
    }
    return { artefacts: listArtefacts(ctx), summaries, warnings };
  },
};
