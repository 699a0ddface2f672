// `servebench capacity`: for each mean kernel, the largest n whose cpu predict fits a fresh process under a
// hard memory budget, how it fails past it, bytes per value, the derived capacity at C concurrent requests,
// and a measured check against a real model API. Writes <out>/capacity.json; prints the table (or the JSON
// envelope with --json).

import type { Command } from 'commander';
import { DEFAULT_BUDGET_BYTES, formatBytes, resolveCapacitySettings } from '../capacity/settings.js';
import { OptionError } from '../errors.js';
import { KERNEL_NAMES, type KernelName } from '../kernels/types.js';
import { parseByteSize, parseChoice, parseChoiceList, parseDuration, parseInteger, parseIntegerList, parseNumber } from '../options.js';
import { PREDICT_KINDS } from '../results/vocab.js';
import { defaultReportsDir } from '../paths.js';
import { progress, warn } from '../progress.js';
import { toJson } from '../results/index.js';
import { runSuiteToFile } from '../run/run-suite.js';
import { addGateOptions, finishWithGates, type GateFlags, parseGates } from './gates.js';
import { suites } from './suites.js';

interface CapacityCliOptions extends GateFlags {
  quick?: boolean;
  memoryBudget?: string;
  kernels?: string;
  tolerance?: string;
  maxProbes?: string;
  startN?: string;
  concurrency?: string;
  serverCheck?: boolean;
  probeTimeout?: string;
  seed?: string;
  predict?: string;
  model?: string;
  onnxThreads?: string;
  json?: boolean;
  out?: string;
}

/** A tolerance as a fraction or a percentage: '0.05' or '5%'. */
function parseTolerance(raw: string): number {
  const pct = raw.trim().endsWith('%');
  const v = parseNumber('--tolerance', pct ? raw.trim().slice(0, -1) : raw);
  return pct ? v / 100 : v;
}

export function register(program: Command): void {
  addGateOptions(
    program
      .command('capacity')
      .description('find, per mean kernel, the largest n a cpu predict fits under a hard memory budget, and how it fails past it (seed 003)')
      .option(
        '--quick',
        '1 GiB budget, tolerance 10%, at most 9 probes per kernel, no probes of the derived figures, server check for naive and typed only (under a minute)',
      )
      .option(
        '--memory-budget <size>',
        `memory of each probe process and of the checked model API, e.g. 2GiB, 512MiB (128MiB..64GiB; default ${formatBytes(DEFAULT_BUDGET_BYTES)})`,
      )
      .option('--kernels <list>', `comma-separated kernels among ${KERNEL_NAMES.join(', ')} (default all)`)
      .option('--tolerance <x>', 'stop when the capacity is known within this, e.g. 5% or 0.05 (0.5%..50%; default 5%, 10% with --quick)')
      .option('--max-probes <n>', 'probes per kernel at most, 4..40 (default 16; 9 with --quick)')
      .option('--start-n <n>', 'the first n tried (default a round number at most budget / 32)')
      .option('--concurrency <list>', 'concurrent requests to derive the capacity for, 1..64 each; the largest is also checked on a model API', '1,4')
      .option('--no-server-check', 'skip the check against a real model API')
      .option('--probe-timeout <duration>', 'base time limit of one probe, plus 250 ns per value (1s..1h; default 20s)')
      .option('--seed <n>', 'seed of the values', '3')
      .option(
        '--predict <kind>',
        `whose capacity: cpu (the kernels' n; default), onnx (an ONNX model's largest input batch), io or module (the question does not apply, and says why)`,
      )
      .option('--model <file>', 'onnx: the .onnx model (default: the shipped models/model-a.onnx); module: the predict module')
      .option('--onnx-threads <N>', "onnx: intra-op threads of the probes' sessions (default 1)")
      .option('--json', 'print the capacity.json envelope on stdout instead of the table')
      .option('--out <dir>', 'the run folder (default: a new reports/capacity-<time>/ under the working folder)'),
    false,
  ).action(async (opts: CapacityCliOptions) => {
    const budgetBytes = opts.memoryBudget === undefined ? undefined : parseByteSize('--memory-budget', opts.memoryBudget);
    const kernels = opts.kernels === undefined ? undefined : parseChoiceList<KernelName>('--kernels', opts.kernels, KERNEL_NAMES);
    if (kernels !== undefined && kernels.length === 0) throw new OptionError('--kernels', 'needs at least one kernel');
    const tolerance = opts.tolerance === undefined ? undefined : parseTolerance(opts.tolerance);
    const maxProbesPerKernel = opts.maxProbes === undefined ? undefined : parseInteger('--max-probes', opts.maxProbes, 4, 40);
    const startN = opts.startN === undefined ? undefined : parseInteger('--start-n', opts.startN, 1000);
    const concurrency = parseIntegerList('--concurrency', opts.concurrency ?? '1,4', 1, 64);
    const probeTimeoutBaseMs = opts.probeTimeout === undefined ? undefined : parseDuration('--probe-timeout', opts.probeTimeout, 1000, 3_600_000);
    const seed = parseInteger('--seed', opts.seed ?? '3', 0, 2 ** 32 - 1);
    const options = {
      quick: opts.quick === true,
      concurrency,
      seed,
      serverCheck: opts.serverCheck !== false,
      ...(budgetBytes === undefined ? {} : { budgetBytes }),
      ...(kernels === undefined ? {} : { kernels }),
      ...(tolerance === undefined ? {} : { tolerance }),
      ...(maxProbesPerKernel === undefined ? {} : { maxProbesPerKernel }),
      ...(startN === undefined ? {} : { startN }),
      ...(probeTimeoutBaseMs === undefined ? {} : { probeTimeoutBaseMs }),
      ...(opts.predict === undefined ? {} : { predict: parseChoice('--predict', opts.predict, PREDICT_KINDS) }),
      ...(opts.model === undefined ? {} : { modelFile: opts.model }),
      ...(opts.onnxThreads === undefined ? {} : { onnxThreads: parseInteger('--onnx-threads', opts.onnxThreads, 1, 256) }),
    };
    // Validate everything (the budget against free memory too) before capturing the environment.
    resolveCapacitySettings(options);
    const gates = parseGates(opts, defaultReportsDir());
    const run = await runSuiteToFile(suites.capacity, options, opts.out === undefined ? {} : { outDir: opts.out });
    progress('capacity', `wrote ${run.file}`);
    for (const f of run.result.data.flags) if (f.kind === 'errored') warn('capacity', `${f.subject}: ${f.message}`);
    if (opts.json === true) process.stdout.write(toJson(run.result));
    else process.stdout.write(`${suites.capacity.terminal(run.result)}\nwrote ${run.file}\n`);
    // An errored kernel or server point is data in the file, but the run did not do all it was asked: exit 1.
    finishWithGates(run.result, run.file, gates, defaultReportsDir(), opts.json === true);
    if (run.failed) process.exitCode = 1;
  });
}
