// The fault schedule's language: `--fault 'at=5s kill model-a'`, `'at=8s pause redis 3s'`, `'at=12s hang
// model-b 2s'` (repeatable), and the default schedules of benchmarks/scenarios/faults.ts written the same way.
// Pure: a bad expression is an OptionError that quotes it and says what is wrong (the CLI exits 2).

import { OptionError } from '../errors.js';
import type { FaultSpec } from '../results/faults.js';
import { FAULT_ACTIONS, FAULT_TARGETS, isOneOf } from '../results/vocab.js';

const FORM = "'at=<time> <kill|pause|hang> <target> [<duration>]'";
const EXAMPLE = "'at=5s kill model-a' or 'at=8s pause redis 3s'";
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };
/** The latest a fault may come, and the longest a pause or hang may last. */
const MAX_AT_MS = 3_600_000;
const MAX_DURATION_MS = 600_000;

/** '5s', '500ms', '1.5s', '2m' (a bare number is seconds), in ms; undefined when it is not one. */
function durationMs(raw: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw);
  return m === null ? undefined : Math.round(Number(m[1]) * UNITS[m[2] ?? 's']!);
}

/** Parse one expression; `option` names where it came from ('--fault', or the scenario definition). */
export function parseFault(expression: string, option = '--fault'): FaultSpec {
  const text = expression.trim().replace(/\s+/g, ' ');
  function fail(what: string): never {
    throw new OptionError(option, `'${expression}': ${what}`);
  }
  if (text === '') fail(`empty; expected ${FORM}, e.g. ${EXAMPLE}`);
  const words = text.split(' ');
  const atWord = words.findIndex((w) => w.startsWith('at='));
  if (atWord === -1) fail(`no time; start with at=<time>, e.g. ${EXAMPLE}`);
  const [timeWord] = words.splice(atWord, 1);
  const atRaw = (timeWord ?? '').slice(3);
  const atMs = durationMs(atRaw);
  if (atMs === undefined) fail(`at=${atRaw} is not a time; expected e.g. at=5s, at=500ms or at=1.5s`);
  if (atMs > MAX_AT_MS) fail(`at=${atRaw} is past the longest schedule (${MAX_AT_MS / 60_000} minutes)`);
  const [action, target, duration, ...extra] = words;
  if (action === undefined) fail(`no action; expected ${FORM}, e.g. ${EXAMPLE}`);
  if (!isOneOf(FAULT_ACTIONS, action)) fail(`unknown action '${action}'; expected ${FAULT_ACTIONS.join(', ')}`);
  if (target === undefined) fail(`no target after ${action}; expected one of ${FAULT_TARGETS.join(', ')}`);
  if (!isOneOf(FAULT_TARGETS, target)) fail(`unknown target '${target}'; expected one of ${FAULT_TARGETS.join(', ')}`);
  if (extra.length > 0) fail(`unexpected '${extra.join(' ')}' at the end; expected ${FORM}`);
  const spec: FaultSpec = { atMs, action, target, expression: text };
  if (action === 'kill') {
    if (duration !== undefined) fail(`kill takes no duration (a killed part stays down until it is restarted); got '${duration}'`);
    return spec;
  }
  if (duration === undefined) fail(`${action} needs a duration, e.g. 'at=${atRaw} ${action} ${target} 3s'`);
  const ms = durationMs(duration);
  if (ms === undefined || ms === 0) fail(`'${duration}' is not a duration; expected e.g. 3s or 500ms`);
  if (ms > MAX_DURATION_MS) fail(`${action} of ${duration} is longer than ${MAX_DURATION_MS / 60_000} minutes`);
  return { ...spec, durationMs: ms };
}

/** Parse a schedule: every expression checked, in time order (a stable sort: faults at the same time keep theirs). */
export function parseFaultSchedule(expressions: readonly string[], option = '--fault'): FaultSpec[] {
  return expressions.map((e) => parseFault(e, option)).sort((a, b) => a.atMs - b.atMs);
}

/** When the last fault of a schedule is over (its time, plus its duration for a pause or hang), ms. */
export function scheduleEndMs(schedule: readonly FaultSpec[]): number {
  return Math.max(0, ...schedule.map((f) => f.atMs + (f.durationMs ?? 0)));
}
