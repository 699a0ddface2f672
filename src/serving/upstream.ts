// Errors from the parts a service depends on (feature store, model APIs), as the HTTP answers they become:
// 503 when the part is down, 504 when it does not answer in time, 502 when it answers wrongly.

import { HttpError } from './http-error.js';

export type UpstreamFailure = 'unavailable' | 'timeout' | 'bad_answer';

const STATUS: Record<UpstreamFailure, number> = { unavailable: 503, timeout: 504, bad_answer: 502 };

/** A failure of a dependency; `part` is 'feature_store' or 'model'. */
export class UpstreamError extends HttpError {
  readonly failure: UpstreamFailure;
  constructor(part: 'feature_store' | 'model', failure: UpstreamFailure, message: string) {
    super(STATUS[failure], `${part}_${failure}`, message);
    this.name = 'UpstreamError';
    this.failure = failure;
  }
}

/** The serializable form of an upstream failure (it crosses the sync client's thread boundary). */
export interface UpstreamFailureData {
  part: 'feature_store' | 'model';
  failure: UpstreamFailure;
  message: string;
}

export function toFailureData(err: UpstreamError): UpstreamFailureData {
  return { part: err.code.startsWith('feature_store') ? 'feature_store' : 'model', failure: err.failure, message: err.message };
}

export function fromFailureData(d: UpstreamFailureData): UpstreamError {
  return new UpstreamError(d.part, d.failure, d.message);
}
