// The outcome classifier: each way a probe process can end (its report, V8's fatal lines, signals, a
// timeout, a failed start) maps to one outcome kind with a detail that says what happened.

import { describe, expect, it } from 'vitest';
import { classifyProbe, fatalLine, type ProbeEvidence } from '../src/capacity/classify.js';
import type { ProbeReport } from '../src/capacity/protocol.js';
import type { ProbeMemory } from '../src/results/capacity.js';

const memory: ProbeMemory = {
  baselineRssBytes: 50e6,
  baselineDataBytes: 80e6,
  peakRssBytes: 60e6,
  growthRssBytes: 10e6,
  heapUsedBytes: 4e6,
  heapTotalBytes: 6e6,
  heapLimitBytes: 2e9,
  arrayBuffersBytes: 0,
  externalBytes: 1e6,
  vmDataBytes: 80e6,
};
const base: ProbeEvidence = { stage: 'warmed', exit: { code: null, signal: 'SIGABRT' }, timedOut: false, output: '' };

// What V8 11 (Node 20) prints, abridged: the fatal line sits between GC traces and a native stack.
const HEAP_LIMIT = `
<--- Last few GCs --->
[123:0x55]  319 ms: Mark-Compact 191.3 (192.9) -> 115.8 (120.3) MB, 2.89 / 0.00 ms  allocation failure; scavenge might not succeed

<--- JS stacktrace --->

FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
----- Native stack trace -----

 1: 0xca5580 node::Abort() [node]
 2: 0xb781f9  [node]`;
const OS_REFUSED = HEAP_LIMIT.replace('Reached heap limit', 'CALL_AND_RETRY_LAST');
const INVALID_SIZE = `
#
# Fatal error in , line 0
# Fatal JavaScript invalid size error 169220804 (see crbug.com/1201626)
#
#FailureMessage Object: 0x7fffe5e0c8c0
----- Native stack trace -----`;

const report = (r: Partial<ProbeReport> & Pick<ProbeReport, 'outcome'>): ProbeReport =>
  ({ type: 'capacity-report', pid: 1, stage: 'checked', memory, buildMs: 1, kernelMs: 1, ...r }) as ProbeReport;

describe('classifyProbe', () => {
  it('takes a report when the child sent one', () => {
    expect(classifyProbe({ ...base, exit: { code: 0, signal: null }, report: report({ outcome: 'ok', mean: 0.1, reference: 0.1, detail: 'agrees' }) })).toEqual(
      { outcome: 'ok', detail: 'agrees' },
    );
    const alloc = classifyProbe({
      ...base,
      exit: { code: 3, signal: null },
      report: report({ outcome: 'allocation-failed', stage: 'warmed', error: { code: 'RangeError', message: 'Array buffer allocation failed' } }),
    });
    expect(alloc.outcome).toBe('allocation-failed');
    expect(alloc.detail).toMatch(/^RangeError: Array buffer allocation failed, while building the input \(caught/);
    const wrong = classifyProbe({
      ...base,
      exit: { code: 4, signal: null },
      report: report({ outcome: 'errored', error: { code: 'SB_ERR_INTERNAL', message: 'wrong result: mean 1' } }),
    });
    expect(wrong).toEqual({ outcome: 'errored', detail: 'SB_ERR_INTERNAL: wrong result: mean 1' });
  });

  it("reads V8's fatal heap errors from the output: its own limit, or the OS refusing pages", () => {
    const limit = classifyProbe({ ...base, output: HEAP_LIMIT });
    expect(limit.outcome).toBe('js-heap-exhausted');
    expect(limit.detail).toBe(
      "V8's heap limit reached: FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory (ended by SIGABRT while building the input)",
    );
    const os = classifyProbe({ ...base, output: OS_REFUSED, stage: 'built' });
    expect(os.outcome).toBe('js-heap-exhausted');
    expect(os.detail).toMatch(/^the OS refused the heap more pages: FATAL ERROR: CALL_AND_RETRY_LAST .* while running the kernel\)$/);
  });

  it("classifies V8's array length abort (SIGTRAP) apart from memory", () => {
    const c = classifyProbe({ ...base, exit: { code: null, signal: 'SIGTRAP' }, output: INVALID_SIZE });
    expect(c.outcome).toBe('array-length-limit');
    expect(c.detail).toMatch(/^Fatal JavaScript invalid size error 169220804 .*maximum Array length/);
    expect(fatalLine(INVALID_SIZE)).toBe('Fatal JavaScript invalid size error 169220804 (see crbug.com/1201626)');
  });

  it('calls a signal from outside killed, and an unexplained abort or exit crashed', () => {
    expect(classifyProbe({ ...base, exit: { code: null, signal: 'SIGKILL' } })).toEqual({
      outcome: 'killed',
      detail: 'killed by SIGKILL (the OOM killer, or a kill from outside) while building the input',
    });
    expect(classifyProbe({ ...base, exit: { code: null, signal: 'SIGSEGV' } }).outcome).toBe('killed');
    const abort = classifyProbe({ ...base, output: "thread '<unnamed>' panicked at src/mean.rs:10\nfatal runtime error: failed to initiate panic" });
    expect(abort).toEqual({ outcome: 'crashed', detail: 'aborted (SIGABRT) while building the input: fatal runtime error: failed to initiate panic' });
    expect(classifyProbe({ ...base, exit: { code: 1, signal: null }, output: 'Error: boom\n' })).toEqual({
      outcome: 'crashed',
      detail: 'exited with code 1 while building the input: Error: boom',
    });
    expect(classifyProbe({ ...base, output: 'Fatal process out of memory: Zone' }).outcome).toBe('crashed');
  });

  it('a timeout wins over the kill that ended it; a start failure or a silent clean exit is errored', () => {
    expect(classifyProbe({ ...base, exit: { code: null, signal: 'SIGKILL' }, timedOut: true, timeoutMs: 30_000 })).toEqual({
      outcome: 'timeout',
      detail: 'still running after 30 s, while building the input; killed',
    });
    expect(classifyProbe({ ...base, exit: null, error: { code: 'SB_ERR_MISSING_TOOL', message: 'capacity: prlimit not found' } })).toEqual({
      outcome: 'errored',
      detail: 'capacity: prlimit not found',
    });
    expect(classifyProbe({ ...base, exit: { code: 0, signal: null } }).outcome).toBe('errored');
  });
});
