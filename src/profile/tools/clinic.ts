// clinic doctor, flame, bubbleprof and heapprofiler: clinic wraps the scoring process and writes its HTML
// report; servebench reads doctor's verdict, and summarises flame's samples and heapprofiler's heap profile.

import { basename, join } from 'node:path';
import { compiledEntry } from '../../paths.js';
import type { DoctorVerdict, ProfileSummary, ProfileToolName } from '../../results/profile.js';
import { readDoctorVerdict } from '../doctor.js';
import { heapProfileToStacks } from '../heap-profile.js';
import { summarize } from '../summary.js';
import { flameSamplesToStacks } from '../tick-log.js';
import { filesUnder, listArtefacts, pidFromName, processLabel, relTo, toolFailed } from './output.js';
import { launched, type ProfilerAdapter, requireNode, STOP_FILE } from './types.js';

/** The profilers that are clinic's subcommands. */
export const CLINIC_TOOLS = ['doctor', 'flame', 'bubbleprof', 'heap'] as const satisfies readonly ProfileToolName[];
type ClinicTool = (typeof CLINIC_TOOLS)[number];

/** The --on-port waiter ends by itself after this long, so a run that never writes the stop file still ends. */
const STOP_FILE_LIMIT_MS = 3_600_000;

/** A word for a POSIX shell: clinic runs its --on-port command through sh -c. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function clinicAdapter(name: ClinicTool): ProfilerAdapter {
  const sub = name === 'heap' ? 'heapprofiler' : name;
  // doctor and flame stop cleanly through --on-port: their samplers flush whatever the service does on a
  // signal. Not bubbleprof (its --on-port stop hangs unless the server closes itself on 'beforeExit') nor
  // heap-profiler (its preload also runs in worker threads, where its --on-port channel fails): these get
  // SIGINT, and need the service not to exit before they have written (see docs/profile.md).
  const stopWith = name === 'doctor' || name === 'flame' ? 'stop-file' : 'signal';
  return {
    name,
    followsClusterWorkers: false,
    stopWith,
    wrap(cmd, ctx, dir) {
      requireNode(cmd, `clinic ${sub}`);
      const onPort =
        stopWith === 'stop-file'
          ? ['--on-port', [ctx.paths.node, compiledEntry('src/profile/wait-file'), join(dir, STOP_FILE), String(STOP_FILE_LIMIT_MS)].map(shellQuote).join(' ')]
          : [];
      // NO_INSIGHT: clinic otherwise waits on a prompt for permission to send usage statistics.
      return launched(ctx, dir, [ctx.paths.node, ctx.paths.clinic, sub, '--open=false', '--dest', dir, ...onPort, '--', cmd.command, ...cmd.args], {
        ...cmd.env,
        NO_INSIGHT: '1',
      });
    },
    async collect(ctx) {
      const files = filesUnder(ctx.dir);
      const reports = files.filter((f) => f.endsWith(`.clinic-${sub}.html`));
      if (reports.length === 0) throw toolFailed(ctx, `clinic ${sub} wrote no report`);
      const warnings: string[] = [];
      const summaries: ProfileSummary[] = [];
      let doctor: DoctorVerdict | undefined;
      for (const report of reports) {
        const pid = pidFromName(basename(report));
        try {
          if (name === 'doctor') doctor = readDoctorVerdict(report);
          if (name === 'flame') {
            const samples = files.find((f) => f.endsWith(`${pid}.clinic-flame-samples`));
            if (samples === undefined) warnings.push(`clinic flame left no samples file beside ${relTo(ctx, report)}`);
            else
              summaries.push(
                summarize(flameSamplesToStacks(samples), {
                  source: 'clinic-flame-samples',
                  process: processLabel(ctx, pid),
                  pids: pid === undefined ? [] : [pid],
                }),
              );
          }
          if (name === 'heap') {
            const data = files.find((f) => basename(f) === `${pid}.clinic-heapprofiler`);
            if (data === undefined) warnings.push(`clinic heapprofiler left no heap profile beside ${relTo(ctx, report)}`);
            else
              summaries.push(
                summarize(heapProfileToStacks(data), { source: 'v8-heap-profile', process: processLabel(ctx, pid), pids: pid === undefined ? [] : [pid] }),
              );
          }
        } catch (err) {
          warnings.push(`could not read ${relTo(ctx, report)}: ${(err as Error).message}`);
        }
      }
      if (reports.length > 1 && name === 'doctor')
        warnings.push(`doctor ran on ${reports.length} processes; the verdict kept is the last one's (each report has its own)`);
      return { artefacts: listArtefacts(ctx), summaries, ...(doctor === undefined ? {} : { doctor }), warnings };
    },
  };
}
