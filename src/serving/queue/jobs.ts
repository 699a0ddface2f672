// The scoring handler on the jobs path: the asynchronous job pattern over the queue path's Redis list. POST
// /score checks the request, writes a pending record on the broker and answers 202 with the job's id at once;
// the job then runs as on the queue path (features, a model-a and a model-b job, their results) and its
// record becomes the ScoreResponse (or the error that ended it). GET /jobs/<id> answers 200 with a finished
// job, 202 while it runs, 404 for an id it never gave, 400 for a malformed id and 410 once the record expired:
// records are kept jobTtlMs from submission (Redis PX), never forever.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { errorMessage } from '../../errors.js';
import type { ErrorResponse, ScoreResponse } from '../../results/serving.js';
import type { ScoringServiceConfig } from '../config.js';
import { HttpError } from '../http-error.js';
import type { RequestContext } from '../http.js';
import type { ProcessMeter } from '../metrics.js';
import { featureReader, parseScoreRequest, scoringServer, type ScoringService } from '../scoring.js';
import { QueueClient } from './client.js';
import { scoreThroughQueue } from './score-through-queue.js';
import { queueUnavailable, queueWhere } from './protocol.js';

/** A job id: its submission time (epoch ms, base 36), then 12 random hex digits. */
const JOB_ID = /^([0-9a-z]{6,12})-[0-9a-f]{12}$/;

interface JobBase {
  id: string;
  /** The job's URL path (also the 202's Location header). */
  location: string;
  submittedAtMs: number;
  expiresAtMs: number;
}

type JobRecord =
  | (JobBase & { status: 'pending' })
  | (JobBase & { status: 'done'; result: ScoreResponse; doneAtMs: number })
  | (JobBase & { status: 'failed'; error: ErrorResponse['error']; doneAtMs: number });

function sendRecord(res: ServerResponse, status: number, record: JobRecord): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(record);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), location: record.location });
  res.end(text);
}

export function createJobsScoringService(config: ScoringServiceConfig, meter: ProcessMeter): ScoringService {
  const q = config.queue;
  if (q === undefined) throw new Error('the jobs path needs its queue settings (config.queue): this process is started by servebench');
  const ttlMs = config.jobs?.ttlMs ?? 60_000;
  const features = featureReader(config);
  const queue = new QueueClient(q);
  const where = queueWhere(q.url, q.jobsKey);
  const records = new Redis(q.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (t: number) => Math.min(t * 100, 1000),
  });
  const keyOf = (id: string) => `${q.jobsKey.replace(/jobs$/, '')}job:${id}`;
  const served = { service: 'scoring', pid: process.pid, path: config.path, topology: config.topology, store: config.store.kind } as const;

  /** Run a submitted job to its end and keep its outcome for what is left of its TTL. */
  const run = async (base: JobBase, entity: string, n: number | undefined, startMs: number): Promise<void> => {
    let record: JobRecord;
    try {
      const r = await scoreThroughQueue(features, queue, entity, n);
      const timing = { featureReadMs: r.featuresReadAt - startMs, modelAMs: r.modelAMs, modelBMs: r.modelBMs, totalMs: performance.now() - startMs };
      const result: ScoreResponse = {
        entity,
        score: r.score,
        predictions: r.predictions,
        timing,
        models: r.models,
        served,
      };
      meter.recordScore(timing);
      record = { ...base, status: 'done', result, doneAtMs: Date.now() };
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, 'internal', errorMessage(err));
      record = { ...base, status: 'failed', error: { status: e.status, code: e.code, message: e.message }, doneAtMs: Date.now() };
    }
    const left = base.expiresAtMs - Date.now();
    if (left > 0) await records.set(keyOf(base.id), JSON.stringify(record), 'PX', Math.ceil(left)).catch(() => undefined);
  };

  const submit = async (ctx: RequestContext): Promise<void> => {
    const { entity, n } = parseScoreRequest(ctx.body, config);
    const submittedAtMs = Date.now();
    const id = `${submittedAtMs.toString(36)}-${randomBytes(6).toString('hex')}`;
    const base: JobBase = { id, location: `/jobs/${id}`, submittedAtMs, expiresAtMs: submittedAtMs + ttlMs };
    const pending: JobRecord = { ...base, status: 'pending' };
    try {
      await records.set(keyOf(id), JSON.stringify(pending), 'PX', ttlMs);
    } catch (err) {
      throw queueUnavailable(where, errorMessage(err));
    }
    sendRecord(ctx.res, 202, pending);
    void run(base, entity, n, ctx.startMs);
  };

  const status = async (_req: IncomingMessage, res: ServerResponse, id: string): Promise<void> => {
    const m = JOB_ID.exec(id);
    if (m === null)
      throw new HttpError(400, 'bad_job_id', `job id: expected <time>-<12 hex digits> as POST /score gave it, got ${JSON.stringify(id.slice(0, 80))}`);
    let raw: string | null;
    try {
      raw = await records.get(keyOf(id));
    } catch (err) {
      throw queueUnavailable(where, errorMessage(err));
    }
    if (raw === null) {
      const submittedAtMs = Number.parseInt(m[1]!, 36);
      if (Date.now() >= submittedAtMs + ttlMs) {
        throw new HttpError(410, 'job_expired', `job ${id} has expired: a job and its result are kept ${ttlMs} ms from submission`);
      }
      throw new HttpError(404, 'unknown_job', `no job ${id} on this system`);
    }
    const record = JSON.parse(raw) as JobRecord;
    sendRecord(res, record.status === 'pending' ? 202 : 200, record);
  };

  return {
    server: scoringServer(config, meter, submit, () => ({ jobs: { ttlMs, jobsKey: q.jobsKey, inFlight: queue.inFlight } }), { '/jobs/': status }),
    warm: async () => {
      await features.connect();
      await queue.connect();
      await records.connect();
    },
    close: async () => {
      features.close();
      await queue.close();
      records.disconnect();
    },
  };
}
