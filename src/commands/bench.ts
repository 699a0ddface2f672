// `servebench bench` (`npm run bench`): the main job. Parses its flags and runs src/run's runBench: every
// suite of the registry in sequence, one results folder; prints the summary (or results.json) and the exit code.

import { join, resolve } from 'node:path';
import { checkModelFiles, predictForModelFile } from '../load/model-options.js';
import type { Command } from 'commander';
import { parseChoiceList } from '../options.js';
import { renderBenchTerminal } from '../report/run-report.js';
import { SUITE_NAMES, toJson } from '../results/index.js';
import { defaultReportsDir } from '../paths.js';
import { runBench } from '../run/bench.js';
import { addGateOptions, finishWithGates, type GateFlags, parseGates } from './gates.js';
import { suiteList } from '../run/registry.js';
import { suites as registry } from './suites.js';

interface BenchCliOptions extends GateFlags {
  quick?: boolean;
  suites?: string;
  skip?: string;
  out?: string;
  json?: boolean;
  model?: string;
}

export function register(program: Command): void {
  addGateOptions(
    program
      .command('bench')
      .description(
        'the main job: hardware, kernels, capacity, load, experiments (queue, autoscale, faults) and profile suites ' +
          'into one results folder (reports/bench-<stamp>/)',
      )
      .option('--quick', 'shorter variants of every suite (a few minutes in all)')
      .option('--suites <list>', `suites to run, comma-separated: ${SUITE_NAMES.join(', ')}`)
      .option('--skip <list>', 'suites to leave out, comma-separated')
      .option('--out <dir>', 'the run folder (default: a new reports/bench-<time>/ under the working folder)')
      .option('--json', 'print results.json on stdout instead of the summary')
      .option(
        '--model <file>',
        'run the serving suites (load, profile) on your model: an .onnx file (predict onnx) or a .mjs/.js/.cjs module (predict module)',
      ),
    true,
  ).action(async (opts: BenchCliOptions) => {
    let suites = opts.suites === undefined ? [...SUITE_NAMES] : parseChoiceList('--suites', opts.suites, SUITE_NAMES);
    if (opts.skip !== undefined) {
      const skip = parseChoiceList('--skip', opts.skip, SUITE_NAMES);
      suites = suites.filter((s) => !skip.includes(s));
    }
    const gates = parseGates(opts, defaultReportsDir());
    const model = opts.model === undefined ? undefined : { file: resolve(opts.model), predict: predictForModelFile('--model', opts.model) };
    // A model that cannot be read stops the run here (exit 2), not one suite after another.
    if (model !== undefined) await checkModelFiles([model.predict], { modelFile: model.file });
    const { results, outDir } = await runBench(suiteList(registry), {
      quick: opts.quick === true,
      suites,
      ...(model === undefined ? {} : { model }),
      ...(opts.out === undefined ? {} : { outDir: opts.out }),
    });
    const files = ['results.json', 'results.md', 'results.html'].map((f, i) => `${i === 0 ? 'results: ' : '         '}${join(outDir, f)}`);
    process.stdout.write(opts.json === true ? toJson(results) : `${renderBenchTerminal(results)}\n${files.join('\n')}\n`);
    finishWithGates(results, join(outDir, 'results.json'), gates, defaultReportsDir(), opts.json === true);
    if (results.data.suites.some((s) => s.state !== 'completed')) process.exitCode = 1;
  });
}
