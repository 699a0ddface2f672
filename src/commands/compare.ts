// `servebench compare BASE NEW`: two results files compared figure by figure (baseline, new, change with its
// interval, verdict), environment differences first. With --fail-on-regression it exits EXIT_REGRESSION (4)
// when a figure is significantly worse by more than the allowance.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseChoice } from '../options.js';
import { warn } from '../progress.js';
import { COMPARE_FORMATS, renderComparison } from '../report/compare.js';
import { EXIT_REGRESSION, compareResults, regressionsBeyond } from '../results/compare/index.js';
import { parseCompareOptions } from '../results/compare/options.js';
import { readResults } from '../results/index.js';

interface CompareCliFlags {
  format: string;
  significance?: string;
  noiseFloor?: string;
  failOnRegression?: string;
}

export function register(program: Command): void {
  program
    .command('compare')
    .description('compare two results files (bench, kernels, load, capacity, profile): per figure the change, its interval and a verdict')
    .argument('<base>', 'the baseline results file')
    .argument('<new>', 'the new results file')
    .option('--format <format>', `one of ${COMPARE_FORMATS.join(', ')}`, 'terminal')
    .option('--fail-on-regression <share>', `exit ${EXIT_REGRESSION} when a figure is significantly worse by more than this, e.g. 5%`)
    .option('--significance <level>', 'two-sided level of the tests (default 0.05)')
    .option('--noise-floor <share>', 'changes up to this are never a verdict, whatever the tests say (default 2%; the measured spread raises it)')
    .action((baseFile: string, newFile: string, flags: CompareCliFlags) => {
      const format = parseChoice('--format', flags.format, COMPARE_FORMATS);
      const { options, allowance } = parseCompareOptions(flags);
      const base = readResults(resolve(baseFile));
      const next = readResults(resolve(newFile));
      const comparison = compareResults(base, next, options, { base: baseFile, new: newFile });
      const regressions = allowance === undefined ? [] : regressionsBeyond(comparison, allowance);
      process.stdout.write(renderComparison(comparison, format, allowance === undefined ? {} : { allowance, regressions }));
      if (!comparison.sameHost) warn('compare', 'the host changed: every figure is not comparable, so none can be a regression');
      if (regressions.length > 0) process.exitCode = EXIT_REGRESSION;
    });
}
