// Progress lines for the user: always on stderr, so stdout stays machine-readable (--json).

let quiet = false;

/** Silence progress output (for --json runs piped elsewhere, or tests). */
export function setQuiet(value: boolean): void {
  quiet = value;
}

/** One progress line on stderr, prefixed with the suite name. */
export function progress(suite: string, message: string): void {
  if (quiet) return;
  process.stderr.write(`[${suite}] ${message}\n`);
}

/** A warning the user must see even in quiet mode (a doubtful figure, a skipped part). */
export function warn(suite: string, message: string): void {
  process.stderr.write(`[${suite}] warning: ${message}\n`);
}
