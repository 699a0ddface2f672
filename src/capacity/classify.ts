// The outcome classifier: from what a probe process left behind (its report, if it could send one; its exit
// code or signal; the last lines it printed; whether it ran out of time) to one ProbeOutcomeKind and a
// one-line detail. Pure, so every rule is unit-tested (test/capacity-classify.test.ts).
//
// Why it reads stderr: a JS heap that outgrows its limit is not an exception JS can catch. V8 prints a
// fatal line and aborts the process (SIGABRT), so the parent is the only one who can tell what happened.

import type { ErrorInfo } from '../errors.js';
import type { ProbeOutcomeKind, ProbeStage } from '../results/capacity.js';
import type { ProbeReport } from './protocol.js';

export interface ProbeEvidence {
  /** The child's final report, when it sent one. */
  report?: ProbeReport | undefined;
  /** The last stage the child announced. */
  stage: ProbeStage;
  exit: { code: number | null; signal: string | null } | null;
  /** The probe was still running at its time limit (and was then killed). */
  timedOut: boolean;
  timeoutMs?: number | undefined;
  /** The last bytes the child wrote to stdout and stderr. */
  output: string;
  /** The child could not be started, or the parent failed while watching it. */
  error?: ErrorInfo | undefined;
}

export interface Classification {
  outcome: ProbeOutcomeKind;
  detail: string;
}

const HEAP_OOM = /JavaScript heap out of memory/;
const INVALID_SIZE = /Fatal JavaScript invalid size error/;
const PROCESS_OOM = /Fatal process out of memory/;
const FATAL_LINE = /FATAL ERROR:.*|Fatal JavaScript invalid size error.*|Fatal process out of memory.*|# Fatal error.*/;

/** Signals a process raises on itself when it aborts (V8's fatal errors, abort(), a trap). */
const SELF_ABORT = new Set(['SIGABRT', 'SIGTRAP', 'SIGILL']);

/** The line V8 printed before aborting, if any. */
export function fatalLine(output: string): string | undefined {
  const lines = output.split('\n').map((l) => l.trim());
  // "# Fatal error in , line 0" is a header; the line that names the error comes after it.
  const specific = lines.find((l) => /FATAL ERROR:|Fatal JavaScript|Fatal process out of memory/.test(l));
  return (specific ?? lines.find((l) => FATAL_LINE.test(l)))?.replace(/^#\s*/, '');
}

function lastLine(output: string): string | undefined {
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\d+: 0x[0-9a-f]+/.test(l))
    .pop();
}

/** Where the child was, in words. */
const STAGE_WORDS: Record<ProbeStage, string> = {
  started: 'during start-up and warm-up',
  warmed: 'while building the input',
  built: 'while running the kernel',
  computed: 'while checking the result',
  checked: 'after the check',
};

function exitText(exit: ProbeEvidence['exit']): string {
  if (exit === null) return 'no exit status';
  return exit.signal !== null ? `ended by ${exit.signal}` : `exited with code ${exit.code}`;
}

export function classifyProbe(e: ProbeEvidence): Classification {
  if (e.error !== undefined && e.report === undefined) return { outcome: 'errored', detail: e.error.message.split('\n')[0] ?? e.error.message };
  if (e.timedOut) {
    const limit = e.timeoutMs === undefined ? 'its time limit' : `${Math.round(e.timeoutMs / 1000)} s`;
    return { outcome: 'timeout', detail: `still running after ${limit}, ${STAGE_WORDS[e.stage]}; killed` };
  }
  if (e.report !== undefined) {
    const r = e.report;
    if (r.outcome === 'ok') return { outcome: 'ok', detail: r.detail };
    if (r.outcome === 'allocation-failed')
      return { outcome: 'allocation-failed', detail: `RangeError: ${r.error.message}, ${STAGE_WORDS[r.stage]} (caught; the process lives)` };
    return { outcome: 'errored', detail: `${r.error.code}: ${r.error.message}`.split('\n')[0]! };
  }
  const fatal = fatalLine(e.output);
  const where = `${exitText(e.exit)} ${STAGE_WORDS[e.stage]}`;
  if (HEAP_OOM.test(e.output)) {
    // "Reached heap limit": V8's own limit (--max-old-space-size) was hit. "CALL_AND_RETRY_LAST": a
    // last-resort GC freed too little and the OS refused V8 more pages (RLIMIT_DATA came first).
    const cause = /Reached heap limit/.test(e.output)
      ? "V8's heap limit reached"
      : /CALL_AND_RETRY_LAST/.test(e.output)
        ? 'the OS refused the heap more pages'
        : 'the heap could not grow';
    return { outcome: 'js-heap-exhausted', detail: `${cause}: ${fatal ?? 'JavaScript heap out of memory'} (${where})` };
  }
  if (INVALID_SIZE.test(e.output)) {
    return { outcome: 'array-length-limit', detail: `${fatal ?? 'Fatal JavaScript invalid size error'}: past V8's maximum Array length (${where})` };
  }
  if (PROCESS_OOM.test(e.output)) {
    return { outcome: 'crashed', detail: `V8 out of memory outside the JS heap: ${fatal ?? 'Fatal process out of memory'} (${where})` };
  }
  const signal = e.exit?.signal ?? null;
  if (signal !== null && !SELF_ABORT.has(signal)) {
    const why = signal === 'SIGKILL' ? ' (the OOM killer, or a kill from outside)' : '';
    return { outcome: 'killed', detail: `killed by ${signal}${why} ${STAGE_WORDS[e.stage]}` };
  }
  const said = fatal ?? lastLine(e.output);
  if (signal !== null) return { outcome: 'crashed', detail: `aborted (${signal}) ${STAGE_WORDS[e.stage]}${said === undefined ? '' : `: ${said}`}` };
  if (e.exit !== null && e.exit.code !== 0) return { outcome: 'crashed', detail: `${where}${said === undefined ? '' : `: ${said}`}` };
  return { outcome: 'errored', detail: `${where} without a report${said === undefined ? '' : `: ${said}`}` };
}
