// The queue path's wire format and names: the keys a system uses on its Redis, a job and a result as JSON,
// their checks on the way in (a worker must survive a malformed job; a scoring process a malformed result),
// and the errors a request gets when the queue fails it (503 down, 504 no answer in time).

import { randomBytes } from 'node:crypto';
import type { QueueErrorResult, QueueJob, QueueResult } from '../../results/serving.js';
import { HttpError } from '../http-error.js';
import { UpstreamError } from '../upstream.js';

/** The keys of one system on its Redis: a run-specific prefix, so a shared Redis is never confused. */
export interface QueueKeys {
  prefix: string;
  jobsKey: string;
  replyPrefix: string;
}

export function queueKeys(runTag = `${process.pid}:${Date.now().toString(36)}`): QueueKeys {
  const prefix = `servebench:queue:${runTag}:`;
  return { prefix, jobsKey: `${prefix}jobs`, replyPrefix: `${prefix}reply:` };
}

/** A tag unique to one scoring process (pid alone repeats across hosts and restarts). */
export function processTag(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Parse a job taken off the list; a description of what is wrong for anything else. */
export function decodeJob(raw: string, featureCount: number): { job: QueueJob } | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { error: 'not JSON' };
  }
  const j = v as Partial<QueueJob> | null;
  if (typeof j !== 'object' || j === null) return { error: 'not a JSON object' };
  if (typeof j.id !== 'string' || j.id === '') return { error: 'id: expected a string' };
  if (j.model !== 'model-a' && j.model !== 'model-b') return { error: `model: expected model-a or model-b (job ${j.id})` };
  if (typeof j.reply !== 'string' || j.reply === '') return { error: `reply: expected a list name (job ${j.id})` };
  if (!Array.isArray(j.features) || j.features.length !== featureCount || !j.features.every(isNum))
    return { error: `features: expected ${featureCount} numbers (job ${j.id})` };
  if (j.n !== undefined && (!Number.isInteger(j.n) || j.n < 1)) return { error: `n: expected a positive integer (job ${j.id})` };
  if (!isNum(j.enqueuedAtMs) || !isNum(j.deadlineAtMs)) return { error: `enqueuedAtMs, deadlineAtMs: expected epoch ms (job ${j.id})` };
  return { job: j as QueueJob };
}

/**
 * Parse a result off a reply list: a prediction, or the error of a predict that failed; undefined for anything
 * that is neither (dropped and counted).
 */
export function decodeResult(raw: string): QueueResult | QueueErrorResult | undefined {
  try {
    const r = JSON.parse(raw) as (Partial<QueueResult> & Partial<QueueErrorResult>) | null;
    if (typeof r !== 'object' || r === null || typeof r.id !== 'string') return undefined;
    const e = r.error;
    if (typeof e === 'object' && e !== null && isNum(e.status) && typeof e.code === 'string' && typeof e.message === 'string') return r as QueueErrorResult;
    return isNum(r.prediction) ? (r as QueueResult) : undefined;
  } catch {
    return undefined;
  }
}

/** The error a request gets when a model worker answered its job with a failed predict: a 502 naming the model. */
export function modelFailure(r: QueueErrorResult): HttpError {
  return new UpstreamError(
    'model',
    'bad_answer',
    `model worker pid ${r.served.pid} answered job ${r.id} (${r.model}) with ${r.error.status} ${r.error.code}: ${r.error.message}`,
  );
}

/** Where the queue is, for messages: 'the model job queue (list K on redis at URL)'. */
export function queueWhere(url: string, jobsKey: string): string {
  return `the model job queue (list ${jobsKey} on redis at ${url})`;
}

export function queueUnavailable(where: string, cause: string): HttpError {
  return new HttpError(503, 'queue_unavailable', `${where} is unavailable: ${cause}`);
}

export function queueTimeout(where: string, message: string): HttpError {
  return new HttpError(504, 'queue_timeout', `${where}: ${message}`);
}
