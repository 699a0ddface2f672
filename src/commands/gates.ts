// The options every measuring command shares for gating CI: --threshold (repeatable), --baseline,
// --save-baseline, --fail-on-regression and the comparison's --significance / --noise-floor. Checked
// before anything is measured (a bad expression exits 2); applied after the results file is written.

import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import { EXIT_REGRESSION, EXIT_THRESHOLD_CROSSED, parseThresholds } from '../results/compare/index.js';
import { parseCompareOptions } from '../results/compare/options.js';
import type { ResultEnvelope, ResultKind } from '../results/index.js';
import { applyGates, baselineDir, type Gates } from '../run/gates.js';

export interface GateFlags {
  threshold?: string[];
  baseline?: string;
  saveBaseline?: string;
  failOnRegression?: string;
  significance?: string;
  noiseFloor?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Add the gate options; thresholds only where they apply (load, kernels, bench). */
export function addGateOptions(command: Command, withThresholds: boolean): Command {
  if (withThresholds) {
    command.option(
      '--threshold <expr>',
      `exit ${EXIT_THRESHOLD_CROSSED} when crossed, k6-style, repeatable: 'p99<200ms', 'rps>=500', 'errors<1%', 'async/single/io:p99<80ms', 'goals'`,
      collect,
    );
  }
  return command
    .option('--save-baseline <name>', 'keep this run as the baseline NAME (reports/baselines/NAME/)')
    .option('--baseline <name|path>', 'compare this run with a saved baseline, a results file or a run folder, right after measuring')
    .option('--fail-on-regression <share>', `with --baseline: exit ${EXIT_REGRESSION} on a significant regression beyond this, e.g. 5%`)
    .option('--significance <level>', 'with --baseline: two-sided level of the tests (default 0.05)')
    .option('--noise-floor <share>', 'with --baseline: changes up to this are never a verdict (default 2%; the measured spread raises it)');
}

/** Check the gate options once, before measuring. */
export function parseGates(flags: GateFlags, reportsDir: string): Gates {
  const { options, allowance } = parseCompareOptions(flags);
  for (const name of ['failOnRegression', 'significance', 'noiseFloor'] as const) {
    if (flags[name] !== undefined && flags.baseline === undefined) {
      throw new OptionError(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, 'applies to a comparison: give --baseline too');
    }
  }
  if (flags.saveBaseline !== undefined) baselineDir(reportsDir, flags.saveBaseline);
  return {
    ...(flags.threshold === undefined ? {} : { thresholds: parseThresholds(flags.threshold) }),
    ...(flags.baseline === undefined ? {} : { baseline: flags.baseline, compare: options }),
    ...(flags.saveBaseline === undefined ? {} : { saveBaseline: flags.saveBaseline }),
    ...(allowance === undefined ? {} : { failOnRegression: allowance }),
  };
}

/** Apply the gates to a written run: print their report (stderr when stdout carries JSON) and set the exit code. */
export function finishWithGates(result: ResultEnvelope<ResultKind, unknown>, file: string, gates: Gates, reportsDir: string, json: boolean): void {
  const outcome = applyGates(result, file, gates, reportsDir);
  if (outcome.text !== '') (json ? process.stderr : process.stdout).write(outcome.text.endsWith('\n') ? outcome.text : `${outcome.text}\n`);
  if (outcome.exitCode !== undefined) process.exitCode = outcome.exitCode;
}
