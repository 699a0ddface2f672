// The faults experiment's findings in plain words, one sentence per fault: "after model-a (model-a-primary)
// was killed at 5.0 s, 12 requests failed (503 x12), the first 3 ms after it, and the service was back in
// 0.4 s; model-a-primary restarted after 380 ms down (restart 1)".

import type { FaultOutcome } from '../results/faults.js';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** '503 x12, ECONNRESET x2', most frequent first. */
function codesText(codes: Record<string, number>): string {
  return Object.entries(codes)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `${code} x${n}`)
    .join(', ');
}

/** What was done, and to which processes: 'model-a (model-a-primary) was killed at 5.0 s'. */
function whatHappened(o: FaultOutcome): string {
  const names = o.processes.map((p) => p.name).join(', ');
  const who = names === '' || names === o.target ? o.target : `${o.target} (${names})`;
  const at = secs(o.appliedAtMs ?? o.atMs);
  const lasting = o.durationMs === undefined ? '' : ` for ${secs(o.durationMs)}`;
  if (o.action === 'kill') return `${who} was killed at ${at}`;
  if (o.action === 'pause') return `${who} was paused${lasting} at ${at}`;
  return `${who} hung${lasting} from ${at}`;
}

function failuresText(o: FaultOutcome): string {
  const n = o.failures.total;
  if (n === 0) return 'no request failed';
  const first = o.firstFailureMs === null ? '' : `, the first ${o.firstFailureMs} ms after it`;
  return `${n} request${n === 1 ? '' : 's'} failed (${codesText(o.failureCodes)})${first}`;
}

function recoveryText(o: FaultOutcome, windowMs: number): string {
  if (o.recoveryMs === null) {
    const until =
      o.intervalEndMs === null || o.intervalEndMs >= windowMs ? `the end of the window (${secs(windowMs)})` : `the next fault (${secs(o.intervalEndMs)})`;
    return `, and the service had not recovered by ${until}`;
  }
  if (o.recoveryMs === 0) return o.failures.total === 0 ? '' : ', and requests sent after it stayed within the error budget';
  return `, and the service was back in ${secs(o.recoveryMs)}`;
}

function restartsText(o: FaultOutcome, gaveUp: readonly string[]): string {
  const parts = o.restarts.map((r) => `${r.process} restarted${r.downMs === null ? '' : ` after ${Math.round(r.downMs)} ms down`} (restart ${r.restarts})`);
  for (const p of gaveUp) parts.push(`${p} was given up on (it stays down)`);
  return parts.length === 0 ? '' : `; ${parts.join('; ')}`;
}

/** One fault's finding; `gaveUp` names the processes whose restarts gave up in its span. */
export function describeFault(o: FaultOutcome, windowMs: number, gaveUp: readonly string[] = []): string {
  if (o.state === 'skipped') return `${o.expression}: not applied (${o.reason ?? 'not reached'})`;
  if (o.state === 'errored') return `${o.expression}: not applied: ${o.reason ?? 'the system refused it'}`;
  return `after ${whatHappened(o)}, ${failuresText(o)}${recoveryText(o, windowMs)}${restartsText(o, gaveUp)}`;
}
