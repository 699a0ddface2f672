// 0x: a V8 tick log of the scoring process, turned into 0x's own flame graph; servebench summarises the
// preprocessed tick log, whose VM states tell a blocked wait from running code.

import { basename, join } from 'node:path';
import type { ProfileSummary } from '../../results/profile.js';
import { summarize } from '../summary.js';
import { tickLogToStacks } from '../tick-log.js';
import { filesUnder, listArtefacts, processLabel, relTo, toolFailed } from './output.js';
import { launched, type ProfilerAdapter, requireNode } from './types.js';

export const zeroX: ProfilerAdapter = {
  name: '0x',
  followsClusterWorkers: false,
  // 0x's preload exits the process on SIGINT; 0x then turns the tick log into its flame graph.
  stopWith: 'signal',
  wrap(cmd, ctx, dir) {
    requireNode(cmd, '0x');
    // -D is the output folder (-o would open a browser); -q keeps its status line quiet, errors still print.
    return launched(ctx, dir, [ctx.paths.node, ctx.paths.zeroX, '-q', '-D', join(dir, '0x'), '--', cmd.command, ...cmd.args], cmd.env);
  },
  async collect(ctx) {
    const files = filesUnder(ctx.dir);
    const graphs = files.filter((f) => basename(f) === 'flamegraph.html');
    if (graphs.length === 0) throw toolFailed(ctx, '0x wrote no flame graph');
    const warnings: string[] = [];
    const summaries: ProfileSummary[] = [];
    for (const log of files.filter((f) => /^isolate-.*\.log\.json$/.test(basename(f)))) {
      const pid = /-(\d+)-v8\.log\.json$/.exec(basename(log))?.[1];
      try {
        summaries.push(
          summarize(tickLogToStacks(log), {
            source: 'v8-tick-log',
            process: processLabel(ctx, pid === undefined ? undefined : Number(pid)),
            pids: pid === undefined ? [] : [Number(pid)],
          }),
        );
      } catch (err) {
        warnings.push(`could not summarise ${relTo(ctx, log)}: ${(err as Error).message}`);
      }
    }
    if (summaries.length === 0 && warnings.length === 0) warnings.push('0x left no preprocessed tick log (isolate-*.log.json) to summarise');
    return { artefacts: listArtefacts(ctx), summaries, warnings };
  },
};
