// The batching settings of a model API (`--batching max-size=B,max-wait=W`): parsed from the command line's
// text, or checked when given as values, with errors that name the setting and its range (exit 2). Defaults
// for a setting left out live here too.

import { OptionError } from '../../errors.js';
import type { BatchingSettings } from '../../results/serving.js';

/** The option, as errors name it. */
const OPTION = '--batching';

const BATCHING_LIMITS = {
  maxSize: { min: 1, max: 1024 },
  maxWaitMs: { min: 0, max: 1000 },
} as const;

/** The option's help text (serve, load, bench). */
export const BATCHING_HELP =
  'model APIs (sync, async paths): predict requests in batches of up to max-size=B (1..1024, default 32), none waiting past ' +
  'max-wait=W ms (0..1000, default 5), e.g. max-size=16,max-wait=2ms';

/** A setting left out of --batching takes this. */
export const BATCHING_DEFAULTS: BatchingSettings = { maxSize: 32, maxWaitMs: 5 };

const KEYS = { 'max-size': 'maxSize', 'max-wait': 'maxWaitMs' } as const;
type Key = keyof typeof KEYS;

/** Check settings given as values (the programmatic API): integers (max-wait may be fractional) in range. */
export function checkBatching(b: BatchingSettings): BatchingSettings {
  const size = BATCHING_LIMITS.maxSize;
  if (!Number.isInteger(b.maxSize) || b.maxSize < size.min || b.maxSize > size.max) {
    throw new OptionError(`${OPTION} max-size`, `must be an integer between ${size.min} and ${size.max}, got ${b.maxSize}`);
  }
  const wait = BATCHING_LIMITS.maxWaitMs;
  if (!Number.isFinite(b.maxWaitMs) || b.maxWaitMs < wait.min || b.maxWaitMs > wait.max) {
    throw new OptionError(`${OPTION} max-wait`, `must be between ${wait.min} and ${wait.max} ms, got ${b.maxWaitMs} ms`);
  }
  return { maxSize: b.maxSize, maxWaitMs: b.maxWaitMs };
}

/** max-wait's value: milliseconds, bare ('5') or with a unit ('5ms', '0.005s'). */
function parseWait(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(raw);
  if (m === null) throw new OptionError(`${OPTION} max-wait`, `expected milliseconds such as 5 or 5ms (or 0.005s), got '${raw}'`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

function parseSize(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new OptionError(`${OPTION} max-size`, `expected an integer between 1 and 1024, got '${raw}'`);
  return Number(raw);
}

/**
 * `max-size=B,max-wait=W` (either may be left out: BATCHING_DEFAULTS), e.g. 'max-size=32,max-wait=5ms'.
 * An unknown setting, a setting given twice, or a value out of range is an OptionError naming it.
 */
export function parseBatching(text: string): BatchingSettings {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new OptionError(OPTION, `expected max-size=B,max-wait=W (e.g. max-size=32,max-wait=5ms), got '${text}'`);
  const seen = new Set<Key>();
  const out: BatchingSettings = { ...BATCHING_DEFAULTS };
  for (const part of parts) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!(key in KEYS)) {
      throw new OptionError(OPTION, `unknown setting '${key}': the settings are max-size (1..1024 requests) and max-wait (0..1000 ms)`);
    }
    const k = key as Key;
    if (seen.has(k)) throw new OptionError(`${OPTION} ${k}`, 'given twice');
    seen.add(k);
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (value === '') throw new OptionError(`${OPTION} ${k}`, `expected ${k}=<value>, got '${part}'`);
    if (k === 'max-size') out.maxSize = parseSize(value);
    else out.maxWaitMs = parseWait(value);
  }
  return checkBatching(out);
}

/** 'max-size=32,max-wait=5ms': the settings as the option writes them. */
export function formatBatching(b: BatchingSettings): string {
  return `max-size=${b.maxSize},max-wait=${b.maxWaitMs}ms`;
}
