// The options of a comparison as written on a command line (`--significance 0.05`, `--noise-floor 2%`,
// `--fail-on-regression 5%`), checked once: an OptionError names the option and what it accepts.

import { OptionError } from '../../errors.js';
import { type CompareOptions, DEFAULT_COMPARE_OPTIONS } from './types.js';

/**
 * A share written as a percentage ('5%') or a fraction ('0.05'), from 0 to `max` (a fraction: 1 is 100%;
 * a regression allowance may pass it: a latency can triple).
 */
function parseShare(option: string, raw: string, max = 1): number {
  const text = raw.trim();
  const pctForm = text.endsWith('%');
  const body = pctForm ? text.slice(0, -1).trim() : text;
  const v = Number(body);
  if (body === '' || !Number.isFinite(v)) throw new OptionError(option, `expected a percentage such as 5% or a fraction such as 0.05; got '${raw}'`);
  if (!pctForm && v > 1) throw new OptionError(option, `'${raw}' reads as a fraction above 1; write ${v}% for a percentage`);
  const share = pctForm ? v / 100 : v;
  if (share < 0 || share > max) throw new OptionError(option, `must be between 0% and ${max * 100}%; got '${raw}'`);
  return share;
}

export interface CompareCliOptions {
  significance?: string;
  noiseFloor?: string;
  failOnRegression?: string;
}

/** The comparison's options, and the regression allowance when --fail-on-regression was given. */
export function parseCompareOptions(raw: CompareCliOptions): { options: CompareOptions; allowance?: number } {
  const options: CompareOptions = { ...DEFAULT_COMPARE_OPTIONS };
  if (raw.significance !== undefined) {
    const v = Number(raw.significance.trim());
    if (raw.significance.trim() === '' || !(v > 0 && v < 0.5)) {
      throw new OptionError('--significance', `expected a level such as 0.05 or 0.01 (above 0, below 0.5); got '${raw.significance}'`);
    }
    options.significance = v;
  }
  if (raw.noiseFloor !== undefined) options.noiseFloor = parseShare('--noise-floor', raw.noiseFloor);
  if (raw.failOnRegression === undefined) return { options };
  return { options, allowance: parseShare('--fail-on-regression', raw.failOnRegression, 100) };
}
