// Failure counting shared by both engines: every failed request falls in exactly one kind, so the kinds
// add up to the total.

import type { FailureCounts } from '../results/load.js';

export type FailureKind = keyof FailureCounts['byKind'];

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Which kind an error thrown by an HTTP client belongs to (timeouts, resets, or other errors). */
export function classifyError(err: unknown): Exclude<FailureKind, 'non2xx'> {
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const name = typeof e?.name === 'string' ? e.name : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (TIMEOUT_CODES.has(code) || name === 'TimeoutError' || /timed out/i.test(message)) return 'timeouts';
  if (RESET_CODES.has(code) || /socket hang up|other side closed|reset/i.test(message)) return 'resets';
  if (e?.cause !== undefined && e.cause !== err) {
    const inner = classifyError(e.cause);
    if (inner !== 'errors') return inner;
  }
  return 'errors';
}

/** Mutable failure counters with the error codes seen, for messages. */
export class FailureCounter {
  readonly byKind = { errors: 0, timeouts: 0, non2xx: 0, resets: 0 };
  /** Error codes (or status codes for non2xx) seen, with counts: helps to say what went wrong. */
  readonly codes = new Map<string, number>();

  add(kind: FailureKind, code: string): void {
    this.byKind[kind]++;
    this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
  }

  get total(): number {
    const k = this.byKind;
    return k.errors + k.timeouts + k.non2xx + k.resets;
  }

  counts(): FailureCounts {
    return { total: this.total, byKind: { ...this.byKind } };
  }
}

/** A short code naming an error, for the codes map. */
export function errorCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown } | null;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.name === 'string') return e.name;
  return 'unknown';
}
