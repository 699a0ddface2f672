// `servebench bench` (`npm run bench`): the main job. Runs the suites in sequence (hardware, kernels, load,
// profile) on one environment block, and makes their results the sections of one results.json in a run
// folder, rewritten after every suite so an interrupted or failed run keeps what finished.

import { join } from 'node:path';
import type { Command } from 'commander';
import { captureEnv } from '../env/index.js';
import { toErrorInfo } from '../errors.js';
import { runHardwareSuite } from '../env/index.js';
import { runKernelsSuite } from '../kernels/suite.js';
import { runCapacitySuite } from '../capacity/suite.js';
import { experiments, scenarios } from '../../benchmarks/scenarios/index.js';
import { runExperimentsSuite } from '../experiments/suite.js';
import { runLoadSuite } from '../load/suite.js';
import { runProfileSuite } from '../profile/suite.js';
import { parseChoiceList } from '../options.js';
import { defaultProfilesDir, defaultReportsDir, ensureDir, runStamp } from '../paths.js';
import { onShutdown } from '../processes/index.js';
import { progress } from '../progress.js';
import { renderBenchHtml, renderBenchMarkdown, renderBenchTerminal, type BenchResults } from '../report/results.js';
import { renderHardwareHtml } from '../report/hardware.js';
import { benchCharts, chartsHtml, chartsMarkdown, chartsNote, renderCharts, writeChartFiles } from '../report/charts.js';
import { envelope } from '../results/index.js';
import type { BenchData, SuiteName, SuiteRecord } from '../results/bench.js';
import type { EnvBlock } from '../results/env.js';
import { toJson, writeFileAtomic, writeJsonAtomic } from '../results/write.js';
import { version } from '../version.js';

export const BENCH_SUITES: readonly SuiteName[] = ['hardware', 'kernels', 'capacity', 'load', 'experiments', 'profile'];

export interface BenchOptions {
  /** Shorter variants of every suite. @default false */
  quick?: boolean;
  /** Suites to run, in the fixed order. @default all */
  suites?: SuiteName[];
  /** The run folder. @default reports/bench-<stamp> */
  outDir?: string;
  /** Folder for the profile suite's run. @default profiles/<stamp> */
  profilesDir?: string;
  /** Called whenever results.json is rewritten. */
  onWrite?: (results: BenchResults) => void;
}

interface SuiteContext {
  quick: boolean;
  env: EnvBlock;
  stamp: string;
  profilesDir: string;
  signal: AbortSignal;
  /** A suite reports its partial data here, so an interrupt can save it. */
  partial: (data: unknown) => void;
}

type SuiteRunner = (ctx: SuiteContext) => Promise<unknown>;

const RUNNERS: Record<SuiteName, SuiteRunner> = {
  hardware: (ctx) => runHardwareSuite({ env: ctx.env, ...(ctx.quick ? { bandwidthRepeats: 3, noiseWindowMs: 500 } : {}) }),
  kernels: (ctx) => runKernelsSuite({ quick: ctx.quick }, { signal: ctx.signal, onUpdate: ctx.partial }),
  load: (ctx) => runLoadSuite({ quick: ctx.quick, definitions: scenarios, signal: ctx.signal, onUpdate: ctx.partial }),
  experiments: (ctx) =>
    runExperimentsSuite({ quick: ctx.quick, definitions: experiments, loadDefinitions: scenarios, signal: ctx.signal, onUpdate: ctx.partial }),
  profile: (ctx) => runProfileSuite({ outDir: join(ctx.profilesDir, ctx.stamp), ...(ctx.quick ? { durationMs: 5000 } : {}) }),
  capacity: (ctx) => runCapacitySuite({ quick: ctx.quick }, { signal: ctx.signal, onUpdate: ctx.partial }),
};

/** Run the bench: returns the results (also written to outDir/results.json after every suite). */
export async function runBench(options: BenchOptions = {}): Promise<{ results: BenchResults; outDir: string }> {
  const stamp = runStamp();
  const outDir = ensureDir(options.outDir ?? join(defaultReportsDir, `bench-${stamp}`));
  const suites = BENCH_SUITES.filter((s) => (options.suites ?? BENCH_SUITES).includes(s));
  const quick = options.quick ?? false;
  progress('bench', `run folder ${outDir}; suites ${suites.join(', ')}${quick ? ' (quick)' : ''}`);
  const env = await captureEnv();
  const data: BenchData = { quick, suites: [], sections: {} };
  const results: BenchResults = envelope('bench', env, data, version);
  const file = join(outDir, 'results.json');
  const save = () => {
    writeJsonAtomic(file, results);
    options.onWrite?.(results);
  };

  const abort = new AbortController();
  // The suite under way; `record` is set once an interrupt has written it down as interrupted.
  let current: { suite: SuiteName; startedAt: Date; partial: unknown; record?: SuiteRecord } | undefined;
  const offShutdown = onShutdown(() => {
    abort.abort();
    if (current !== undefined && current.record === undefined) {
      if (current.partial !== undefined) (data.sections as Record<string, unknown>)[current.suite] = current.partial;
      current.record = {
        suite: current.suite,
        state: 'interrupted',
        startedAt: current.startedAt.toISOString(),
        durationMs: Date.now() - current.startedAt.getTime(),
      };
      data.suites.push(current.record);
    }
    save();
    process.stderr.write(`servebench: partial results saved in ${file}\n`);
  });

  try {
    for (const suite of suites) {
      const runner = RUNNERS[suite];
      const startedAt = new Date();
      current = { suite, startedAt, partial: undefined };
      progress('bench', `suite ${suite}: started`);
      let record: SuiteRecord;
      try {
        const section = await runner({
          quick,
          env,
          stamp,
          profilesDir: options.profilesDir ?? defaultProfilesDir,
          signal: abort.signal,
          partial: (d) => {
            if (current !== undefined) current.partial = d;
          },
        });
        (data.sections as Record<string, unknown>)[suite] = section;
        record = {
          suite,
          state: abort.signal.aborted ? 'interrupted' : 'completed',
          startedAt: startedAt.toISOString(),
          durationMs: Date.now() - startedAt.getTime(),
        };
      } catch (err) {
        record = { suite, state: 'errored', startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), error: toErrorInfo(err) };
        progress('bench', `suite ${suite}: errored: ${record.error?.message ?? ''}`);
      }
      // An interrupt may have written this suite down already: the suite's own final data replaces that.
      const written = current.record;
      current = undefined;
      if (written !== undefined) Object.assign(written, record, { state: 'interrupted' });
      else data.suites.push(record);
      progress('bench', `suite ${suite}: ${record.state} in ${(record.durationMs / 1000).toFixed(0)} s`);
      save();
      if (abort.signal.aborted) break;
    }
  } finally {
    offShutdown();
  }
  // Charts are drawn from the saved data only, after measuring; without vega the reports say why.
  const charts = await renderCharts(benchCharts(data));
  const chartFiles = writeChartFiles(join(outDir, 'charts'), charts);
  progress('bench', chartsNote(charts) ?? `charts: ${chartFiles.length} written to ${join(outDir, 'charts')}`);
  writeFileAtomic(join(outDir, 'results.md'), renderBenchMarkdown(results, chartsMarkdown(chartFiles, 'charts', chartsNote(charts))));
  writeFileAtomic(join(outDir, 'results.html'), renderBenchHtml(results, chartsHtml(charts)));
  if (data.sections.hardware !== undefined) {
    writeFileAtomic(
      join(outDir, 'hardware.html'),
      renderHardwareHtml({ env, data: data.sections.hardware, createdAt: results.createdAt, servebench: { version } }),
    );
  }
  return { results, outDir };
}

interface BenchCliOptions {
  quick?: boolean;
  suites?: string;
  skip?: string;
  out?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('bench')
    .description(
      'the main job: hardware, kernels, capacity, load, experiments (queue, autoscale) and profile suites into one results folder (reports/bench-<stamp>/)',
    )
    .option('--quick', 'shorter variants of every suite (a few minutes in all)')
    .option('--suites <list>', `suites to run, comma-separated: ${BENCH_SUITES.join(', ')}`)
    .option('--skip <list>', 'suites to leave out, comma-separated')
    .option('--out <dir>', 'the run folder (default reports/bench-<timestamp>)')
    .option('--json', 'print results.json on stdout instead of the summary')
    .action(async (opts: BenchCliOptions) => {
      let suites = opts.suites === undefined ? [...BENCH_SUITES] : parseChoiceList('--suites', opts.suites, BENCH_SUITES);
      if (opts.skip !== undefined) {
        const skip = parseChoiceList('--skip', opts.skip, BENCH_SUITES);
        suites = suites.filter((s) => !skip.includes(s));
      }
      const { results, outDir } = await runBench({ quick: opts.quick === true, suites, ...(opts.out === undefined ? {} : { outDir: opts.out }) });
      if (opts.json === true) process.stdout.write(toJson(results));
      else
        process.stdout.write(
          `${renderBenchTerminal(results)}\nresults: ${join(outDir, 'results.json')}\n         ${join(outDir, 'results.md')}\n         ${join(outDir, 'results.html')}\n`,
        );
      if (results.data.suites.some((s) => s.state !== 'completed')) process.exitCode = 1;
    });
}
