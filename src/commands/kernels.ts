// `servebench kernels`: the mean-kernel micro-benchmark (naive, typed, native, native-parallel,
// native-async) over sizes 1e3..1e8, each measured in fresh processes, with the bandwidth roofline.
// Writes <out>/kernels.json; prints the table (or the JSON envelope with --json).

import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import { MAX_N } from '../kernels/settings.js';
import { KERNEL_NAMES, type KernelName } from '../kernels/types.js';
import { parseChoiceList, parseInteger, parseIntegerList } from '../options.js';
import { defaultReportsDir } from '../paths.js';
import { progress, warn } from '../progress.js';
import { toJson } from '../results/index.js';
import { runSuiteToFile } from '../run/run-suite.js';
import { addGateOptions, finishWithGates, type GateFlags, parseGates } from './gates.js';
import { suites } from './suites.js';

interface KernelsCliOptions extends GateFlags {
  quick?: boolean;
  sizes?: string;
  smallSizes?: string;
  kernels?: string;
  processes?: string;
  time?: string;
  seed?: string;
  json?: boolean;
  out?: string;
}

export function register(program: Command): void {
  addGateOptions(
    program
      .command('kernels')
      .description('micro-benchmark the mean kernels (naive, typed, native, native-parallel, native-async) against the memory-read roofline')
      .option('--quick', 'sizes 1e3..1e7, 2 processes per case, shorter budgets (about a minute)')
      .option('--sizes <list>', `comma-separated sizes, e.g. 1e3,1e5,1e7 (1..${MAX_N})`)
      .option('--small-sizes <list>', "extra small sizes for the call overhead and the crossover, or 'none' (default 1,10,100)")
      .option('--kernels <list>', `comma-separated kernels among ${KERNEL_NAMES.join(', ')}`)
      .option('--processes <n>', 'fresh processes per (kernel, n), 2..20 (default 3; 2 with --quick)')
      .option('--time <ms>', 'tinybench time budget per kernel per process, 10..60000 ms (default 250; 120 with --quick)')
      .option('--seed <n>', 'seed of the input values', '3')
      .option('--json', 'print the kernels.json envelope on stdout instead of the table')
      .option('--out <dir>', 'the run folder (default: a new reports/kernels-<time>/ under the working folder)'),
    true,
  ).action(async (opts: KernelsCliOptions) => {
    const sizes = opts.sizes === undefined ? undefined : parseIntegerList('--sizes', opts.sizes, 1, MAX_N);
    const smallSizes =
      opts.smallSizes === undefined ? undefined : opts.smallSizes.trim() === 'none' ? [] : parseIntegerList('--small-sizes', opts.smallSizes, 1, MAX_N);
    const kernels = opts.kernels === undefined ? undefined : parseChoiceList<KernelName>('--kernels', opts.kernels, KERNEL_NAMES);
    const processes = opts.processes === undefined ? undefined : parseInteger('--processes', opts.processes, 2, 20);
    const timePerKernelMs = opts.time === undefined ? undefined : parseInteger('--time', opts.time, 10, 60_000);
    const seed = parseInteger('--seed', opts.seed ?? '3', 0, 2 ** 32 - 1);
    if (kernels !== undefined && kernels.length === 0) throw new OptionError('--kernels', 'needs at least one kernel');
    const options = {
      quick: opts.quick === true,
      ...(sizes === undefined ? {} : { sizes }),
      ...(smallSizes === undefined ? {} : { smallSizes }),
      ...(kernels === undefined ? {} : { kernels }),
      ...(processes === undefined ? {} : { processes }),
      ...(timePerKernelMs === undefined ? {} : { timePerKernelMs }),
      seed,
    };
    const gates = parseGates(opts, defaultReportsDir());
    const run = await runSuiteToFile(suites.kernels, options, opts.out === undefined ? {} : { outDir: opts.out });
    progress('kernels', `wrote ${run.file}`);
    for (const f of run.result.data.flags) if (f.kind !== 'noisy') warn('kernels', `${f.subject} ${f.kind}: ${f.message}`);
    if (opts.json === true) process.stdout.write(toJson(run.result));
    else process.stdout.write(`${suites.kernels.terminal(run.result)}\nwrote ${run.file}\n`);
    // A failed case is data in the file, but the run did not do all it was asked: exit 1.
    finishWithGates(run.result, run.file, gates, defaultReportsDir(), opts.json === true);
    if (run.failed) process.exitCode = 1;
  });
}
