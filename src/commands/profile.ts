// `servebench profile`: start the serving system with its scoring process under a profiler (0x, clinic doctor,
// flame, bubbleprof, heap-profiler, node --cpu-prof, perf), drive it with load, and write the artefacts,
// profile.json (summaries extracted from the profile data) and profile.md to profiles/<run>/. With no
// options: both request paths with 0x and clinic doctor (what `npm run profile` runs).

import { join } from 'node:path';
import type { Command } from 'commander';
import { parseChoice, parseChoiceList, parseDuration, parseInteger } from '../options.js';
import { defaultProfilesDir, runStamp } from '../paths.js';
import { PROFILE_DEFAULTS, type ProfileOptions, resolveProfileOptions } from '../profile/options.js';
import { progress, setQuiet } from '../progress.js';
import { renderProfileMarkdown } from '../report/profile.js';
import { toJson } from '../results/index.js';
import { KERNEL_NAMES, MATRIX_PATHS, PREDICT_KINDS, PROFILE_SERVICES, PROFILE_TOOLS, STORE_KINDS, TOPOLOGIES } from '../results/vocab.js';
import { runSuiteToFile } from '../run/run-suite.js';
import { profileSuite } from '../run/suites/profile.js';

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

/** The flags as the suite's options (each checked here, naming the flag). */
function profileOptions(opts: ProfileCliOptions): ProfileOptions {
  const service = parseChoice('--service', opts.service, PROFILE_SERVICES);
  const store = parseChoice('--store', opts.store, STORE_KINDS);
  return {
    tools: parseChoiceList('--tool', opts.tool, PROFILE_TOOLS),
    paths: parseChoiceList('--path', opts.path, MATRIX_PATHS),
    service,
    predict: parseChoice('--predict', opts.predict, PREDICT_KINDS),
    topology: parseChoice('--topology', opts.topology, TOPOLOGIES),
    ...(service === 'model' ? {} : { store }),
    ...(opts.kernel === undefined ? {} : { kernel: parseChoice('--kernel', opts.kernel, KERNEL_NAMES) }),
    ...(opts.n === undefined ? {} : { n: parseInteger('--n', opts.n, 1, 1_000_000_000) }),
    ...(opts.workers === undefined ? {} : { workers: parseInteger('--workers', opts.workers, 1, 64) }),
    durationMs: parseDuration('--duration', opts.duration, 500, 600_000),
    connections: parseInteger('--connections', opts.connections, 1, 10_000),
  };
}

export function register(program: Command): void {
  program
    .command('profile')
    .description(
      'profile the request paths under load: flame graphs (0x, --cpu-prof, perf), clinic doctor/flame/bubbleprof/heap-profiler reports, ' +
        'and summaries extracted from the profile data, in profiles/<run>/',
    )
    .option('--tool <list>', `profilers, comma-separated: ${PROFILE_TOOLS.join(', ')}`, PROFILE_DEFAULTS.tools.join(','))
    .option('--path <list>', `request paths, comma-separated: ${MATRIX_PATHS.join(', ')}`, PROFILE_DEFAULTS.paths.join(','))
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
    .option('--store <kind>', `feature store: ${STORE_KINDS.join(' or ')}`, PROFILE_DEFAULTS.store)
    .option('--duration <time>', 'load per case while profiled, e.g. 10s (500ms..10m)', `${PROFILE_DEFAULTS.durationMs / 1000}s`)
    .option('--connections <count>', 'connections of the closed-loop load (1..10000)', String(PROFILE_DEFAULTS.connections))
    .option('--out <dir>', 'the run folder (default: profiles/<timestamp>)')
    .option('--json', 'print profile.json on stdout instead of the summary')
    .option('--markdown', 'print the Markdown summary instead of the terminal one')
    .option('--quiet', 'no progress lines on stderr')
    .action(async (opts: ProfileCliOptions) => {
      if (opts.quiet === true) setQuiet(true);
      const options = profileOptions(opts);
      // Validate everything (combinations too) before capturing the environment or making the run folder.
      resolveProfileOptions(options);
      const run = await runSuiteToFile(profileSuite, options, { outDir: opts.out ?? join(defaultProfilesDir(), runStamp()) });
      progress('profile', `wrote ${run.file} and profile.md`);
      if (opts.json === true) process.stdout.write(toJson(run.result));
      else process.stdout.write(opts.markdown === true ? renderProfileMarkdown(run.result.data) : profileSuite.terminal(run.result));
      // A failed case is data in the results, and a non-zero exit for whoever ran the command.
      if (run.failed) process.exitCode = 1;
    });
}
