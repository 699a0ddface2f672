// Progress for the user, always on stderr so stdout stays machine-readable (--json). Plain lines everywhere;
// on a terminal also a live status line under them (suite k of N, elapsed, estimated time left, the last
// step's rps and p99), redrawn in place, and colour unless NO_COLOR is set. Piped or redirected, stderr gets
// the plain lines only: no escape codes, no status line.

/** Where progress goes: process.stderr, or a test's fake terminal. */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The live status line's fields; each is optional. */
export interface Status {
  /** What runs, e.g. 'bench' or 'load'. */
  label?: string;
  /** The suite under way and how many the run has. */
  suite?: { index: number; total: number; name: string };
  /** Estimated time left, ms. */
  etaMs?: number;
  /** The last measured step and its figures. */
  step?: { label: string; rps: number; p99Us: number };
}

let quiet = false;
let sink: ProgressSink = process.stderr;
let status: Status | undefined;
let statusStartedAt = 0;
let statusShown = false;
let ticker: NodeJS.Timeout | undefined;

/** Silence progress output (for --json runs piped elsewhere, or tests). */
export function setQuiet(value: boolean): void {
  quiet = value;
}

/** Send progress somewhere else (tests); returns a function that restores the previous sink. */
export function setProgressSink(next: ProgressSink): () => void {
  const previous = sink;
  eraseStatus();
  sink = next;
  return () => {
    eraseStatus();
    sink = previous;
  };
}

const live = (): boolean => sink.isTTY === true;

/** Colour only on a terminal, and never with NO_COLOR (https://no-color.org) or TERM=dumb. */
function colourOn(): boolean {
  return live() && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
}

const paint = (code: string, text: string): string => (colourOn() ? `\x1b[${code}m${text}\x1b[0m` : text);

function eraseStatus(): void {
  if (!statusShown) return;
  sink.write('\r\x1b[2K');
  statusShown = false;
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function figure(us: number): string {
  return us >= 1e6 ? `${(us / 1e6).toFixed(2)} s` : us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${Math.round(us)} µs`;
}

/** The status line's text (no colour), cut to the terminal's width. */
export function statusText(s: Status, elapsedMs: number, columns = 120): string {
  const parts = [s.label ?? 'servebench'];
  if (s.suite !== undefined) parts.push(`suite ${s.suite.index} of ${s.suite.total} (${s.suite.name})`);
  parts.push(`elapsed ${clock(elapsedMs)}`);
  if (s.etaMs !== undefined) parts.push(`about ${clock(s.etaMs)} left`);
  if (s.step !== undefined) parts.push(`${s.step.label}: ${s.step.rps.toFixed(1)} rps, p99 ${figure(s.step.p99Us)}`);
  const text = parts.join(' · ');
  return text.length > columns - 1 ? `${text.slice(0, Math.max(0, columns - 2))}…` : text;
}

function drawStatus(): void {
  if (!live() || quiet || status === undefined) return;
  const text = statusText(status, Date.now() - statusStartedAt, sink.columns ?? 120);
  sink.write(`\r\x1b[2K${paint('2', text)}`);
  statusShown = true;
}

/** Update the live status line (a terminal only; elsewhere nothing is drawn). The first call starts its clock. */
export function setStatus(patch: Status): void {
  if (status === undefined) statusStartedAt = Date.now();
  status = { ...status, ...patch };
  if (!live()) return;
  drawStatus();
  if (ticker === undefined) {
    ticker = setInterval(drawStatus, 1000);
    ticker.unref();
  }
}

/** Remove the status line (at the end of a run, before the results are printed). */
export function clearStatus(): void {
  eraseStatus();
  status = undefined;
  if (ticker !== undefined) clearInterval(ticker);
  ticker = undefined;
}

function line(text: string): void {
  eraseStatus();
  sink.write(`${text}\n`);
  drawStatus();
}

/** One progress line on stderr, prefixed with the suite name. */
export function progress(suite: string, message: string): void {
  if (quiet) return;
  line(`${paint('36', `[${suite}]`)} ${message}`);
}

/** A warning the user must see even in quiet mode (a doubtful figure, a skipped part). */
export function warn(suite: string, message: string): void {
  line(`${paint('36', `[${suite}]`)} ${paint('33', 'warning:')} ${message}`);
}
