// What a measuring command does after its results file is written: keep the run as a named baseline
// (--save-baseline), compare it with one (--baseline, --fail-on-regression) and check the k6-style
// thresholds (--threshold). Every result is written before a gate can set the exit code.

import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ServebenchError } from '../errors.js';
import { renderComparison } from '../report/compare.js';
import { renderThresholdsTerminal } from '../report/thresholds.js';
import {
  type CompareOptions,
  checkThresholds,
  compareResults,
  EXIT_REGRESSION,
  EXIT_THRESHOLD_CROSSED,
  regressionsBeyond,
  type Threshold,
  thresholdsPassed,
} from '../results/compare/index.js';
import { readResults, type ResultEnvelope, type ResultKind } from '../results/index.js';

export interface Gates {
  /** k6-style thresholds; a crossed one exits EXIT_THRESHOLD_CROSSED. */
  thresholds?: Threshold[];
  /** A baseline name (reports/baselines/NAME/) or a results file or folder to compare the run with. */
  baseline?: string;
  /** Keep this run as reports/baselines/NAME/. */
  saveBaseline?: string;
  /** With a baseline: a significant regression beyond this share exits EXIT_REGRESSION. */
  failOnRegression?: number;
  compare?: CompareOptions;
}

export interface GateOutcome {
  /** What to print (after the run's own summary). */
  text: string;
  exitCode?: number;
}

const NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;

/** Where named baselines live: reports/baselines/NAME/ beside the run folders. */
export function baselineDir(reportsDir: string, name: string): string {
  if (!NAME.test(name)) throw new ServebenchError('SB_ERR_INPUT', `baseline name '${name}': use letters, digits, '.', '_' and '-' (at most 64)`);
  return join(reportsDir, 'baselines', name);
}

/** The baseline's results file: a file, a run folder holding `file`, or a saved name. */
function baselineFile(ref: string, file: string, reportsDir: string): string {
  const direct = resolve(ref);
  if (existsSync(direct)) return statSync(direct).isDirectory() ? join(direct, file) : direct;
  const named = join(baselineDir(reportsDir, ref), file);
  if (existsSync(named)) return named;
  throw new ServebenchError('SB_ERR_INPUT', `--baseline ${ref}: no such results file, run folder or saved baseline (looked for ${direct} and ${named})`);
}

/** Apply the gates to a written run; returns what to print and the exit code they set, if any. */
export function applyGates(result: ResultEnvelope<ResultKind, unknown>, file: string, gates: Gates, reportsDir: string): GateOutcome {
  const parts: string[] = [];
  let exitCode: number | undefined;
  if (gates.saveBaseline !== undefined) {
    const dir = baselineDir(reportsDir, gates.saveBaseline);
    mkdirSync(dir, { recursive: true });
    copyFileSync(file, join(dir, basename(file)));
    parts.push(`baseline '${gates.saveBaseline}' saved: ${join(dir, basename(file))}\n`);
  }
  if (gates.baseline !== undefined) {
    const baseFile = baselineFile(gates.baseline, basename(file), reportsDir);
    const comparison = compareResults(readResults(baseFile), result, gates.compare, { base: baseFile, new: file });
    const allowance = gates.failOnRegression;
    const regressions = allowance === undefined ? [] : regressionsBeyond(comparison, allowance);
    parts.push(renderComparison(comparison, 'terminal', allowance === undefined ? {} : { allowance, regressions }));
    if (regressions.length > 0) exitCode = EXIT_REGRESSION;
  }
  if (gates.thresholds !== undefined && gates.thresholds.length > 0) {
    const verdicts = checkThresholds(result, gates.thresholds);
    parts.push(renderThresholdsTerminal(verdicts));
    if (!thresholdsPassed(verdicts)) exitCode = EXIT_THRESHOLD_CROSSED;
  }
  return { text: parts.join('\n'), ...(exitCode === undefined ? {} : { exitCode }) };
}
