// `servebench profile`: start the serving system with its scoring process under a profiler (0x, clinic doctor,
// flame, bubbleprof, heap-profiler, node --cpu-prof, perf), drive it with load, and write the artefacts and
// profile.json (summaries extracted from the profile data) to profiles/<run>/. With no options: both request
// paths with 0x and clinic doctor (what `npm run profile` runs).

import { join } from 'node:path';
import type { Command } from 'commander';
import { KERNEL_NAMES, type KernelName } from '../kernels/index.js';
import { parseChoice, parseChoiceList, parseDuration, parseInteger } from '../options.js';
import { PROFILE_DEFAULTS, PROFILE_PATHS, PROFILE_TOOLS } from '../profile/options.js';
import { PROFILE_FILE, runProfileSuite } from '../profile/suite.js';
import { progress, setQuiet } from '../progress.js';
import { renderProfileMarkdown, renderProfileTerminal } from '../report/profile.js';
import { writeFileAtomic } from '../results/write.js';
import { readFileSync } from 'node:fs';

interface ProfileCliOptions {
  tool: string;
  path: string;
  service: string;
  predict: string;
  kernel?: string;
  n?: string;
  topology: string;
  workers?: string;
  store: string;
  duration: string;
  connections: string;
  out?: string;
  json?: boolean;
  markdown?: boolean;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('profile')
    .description(
      'profile the request paths under load: flame graphs (0x, --cpu-prof, perf), clinic doctor/flame/bubbleprof/heap-profiler reports, and summaries extracted from the profile data, in profiles/<run>/',
    )
    .option('--tool <list>', `profilers, comma-separated: ${PROFILE_TOOLS.join(', ')}`, PROFILE_DEFAULTS.tools.join(','))
    .option('--path <list>', 'request paths, comma-separated: sync, async', PROFILE_DEFAULTS.paths.join(','))
    .option(
      '--service <name>',
      'what runs under the profiler: scoring (the whole system runs) or model (one model API alone, where a cpu predict computes)',
      PROFILE_DEFAULTS.service,
    )
    .option('--predict <kind>', 'io (two 40-50 ms model waits) or cpu (a mean over n values)', PROFILE_DEFAULTS.predict)
    .option('--kernel <name>', `cpu predict only: ${KERNEL_NAMES.join(', ')}`)
    .option('--n <count>', 'cpu predict only: values per predict')
    .option('--topology <kind>', 'single, cluster (cpuprof and perf only: they follow cluster workers), nginx', PROFILE_DEFAULTS.topology)
    .option('--workers <count>', 'scoring processes for cluster and nginx (1..64)')
    .option('--store <kind>', 'feature store: memory or redis', PROFILE_DEFAULTS.store)
    .option('--duration <time>', 'load per case while profiled, e.g. 10s (500ms..10m)', `${PROFILE_DEFAULTS.durationMs / 1000}s`)
    .option('--connections <count>', 'connections of the closed-loop load (1..10000)', String(PROFILE_DEFAULTS.connections))
    .option('--out <dir>', 'the run folder (default: profiles/<timestamp>)')
    .option('--json', 'print profile.json on stdout instead of the summary')
    .option('--markdown', 'print the Markdown summary instead of the terminal one')
    .option('--quiet', 'no progress lines on stderr')
    .action(async (opts: ProfileCliOptions) => {
      if (opts.quiet === true) setQuiet(true);
      const tools = parseChoiceList('--tool', opts.tool, PROFILE_TOOLS);
      const paths = parseChoiceList('--path', opts.path, PROFILE_PATHS);
      const service = parseChoice('--service', opts.service, ['scoring', 'model'] as const);
      const predict = parseChoice('--predict', opts.predict, ['io', 'cpu'] as const);
      const topology = parseChoice('--topology', opts.topology, ['single', 'cluster', 'nginx'] as const);
      const store = parseChoice('--store', opts.store, ['memory', 'redis'] as const);
      const kernel: KernelName | undefined = opts.kernel === undefined ? undefined : parseChoice('--kernel', opts.kernel, KERNEL_NAMES);
      const data = await runProfileSuite({
        tools,
        paths,
        service,
        predict,
        topology,
        ...(service === 'model' ? {} : { store }),
        ...(kernel === undefined ? {} : { kernel }),
        ...(opts.n === undefined ? {} : { n: parseInteger('--n', opts.n, 1, 1_000_000_000) }),
        ...(opts.workers === undefined ? {} : { workers: parseInteger('--workers', opts.workers, 1, 64) }),
        durationMs: parseDuration('--duration', opts.duration, 500, 600_000),
        connections: parseInteger('--connections', opts.connections, 1, 10_000),
        ...(opts.out === undefined ? {} : { outDir: opts.out }),
      });
      const md = renderProfileMarkdown(data);
      writeFileAtomic(join(data.outDir, 'profile.md'), md);
      progress('profile', `wrote ${join(data.outDir, PROFILE_FILE)} and profile.md`);
      if (opts.json === true) process.stdout.write(readFileSync(join(data.outDir, PROFILE_FILE), 'utf8'));
      else process.stdout.write(opts.markdown === true ? md : renderProfileTerminal(data));
      // A failed case is data in the results, and a non-zero exit for whoever ran the command.
      if (data.cases.some((c) => c.state === 'errored')) process.exitCode = 1;
    });
}
