// A queue model worker (seed 001's ml_service): takes one job at a time off the jobs list (BRPOP), runs
// the job's model (the same Model family as the model APIs: io, cpu, onnx, module), and pushes the result,
// or the error naming the model when its predict failed, on the reply list the job names. Predictions
// equal the model APIs' for the same features (same models and settings), so every path scores alike. A
// job whose deadline has passed when it is taken is dropped: its request already had its 504, and working
// on it would only delay the jobs behind it.

import { Redis } from 'ioredis';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../../errors.js';
import type { PredictTiming, QueueErrorResult, QueueJob, QueueResult } from '../../results/serving.js';
import { queueModelSettings, type QueueWorkerConfig } from '../config.js';
import { HttpError } from '../http-error.js';
import { epochMs } from '../http.js';
import { ProcessMeter } from '../metrics.js';
import { createModel, type AsyncModel } from '../models/index.js';
import { decodeJob } from './protocol.js';

/** How long BRPOP blocks before looking again (so a stop is noticed), s. */
const TAKE_BLOCK_S = 1;
/** A reply list nobody reads any more (its scoring process died) goes away after this long, ms. */
const REPLY_TTL_MS = 60_000;

/** The meter of a worker: the usual ProcessMetrics plus the share of the interval spent on jobs. */
export class WorkerMeter extends ProcessMeter {
  expiredJobs = 0;
  private busyMs = 0;
  private busySince: number | undefined;
  private lastSampleAt = performance.now();

  jobStarted(): void {
    this.busySince = performance.now();
  }

  jobEnded(): void {
    if (this.busySince !== undefined) this.busyMs += performance.now() - this.busySince;
    this.busySince = undefined;
  }

  override sample(intervalMs: number): ReturnType<ProcessMeter['sample']> {
    const m = super.sample(intervalMs);
    const now = performance.now();
    let busy = this.busyMs;
    if (this.busySince !== undefined) {
      busy += now - this.busySince;
      this.busySince = now;
    }
    const span = now - this.lastSampleAt;
    this.lastSampleAt = now;
    this.busyMs = 0;
    m.busyShare = span > 0 ? Math.min(1, busy / span) : 0;
    m.expiredJobs = this.expiredJobs;
    return m;
  }
}

/**
 * The two models a worker runs (model-a's and model-b's jobs), each the model a model API would run (the same
 * family, settings and rule: predictions agree across paths; tests check parity), made for the queue: one job
 * at a time, run inline and awaited.
 */
class QueuePredictor {
  private readonly models: Record<QueueJob['model'], AsyncModel>;

  constructor(config: QueueWorkerConfig) {
    this.models = {
      'model-a': createModel(queueModelSettings(config, 'model-a'), 'queue'),
      'model-b': createModel(queueModelSettings(config, 'model-b'), 'queue'),
    };
  }

  /** Load the models (and build the default vector) before the first job. */
  async warm(): Promise<void> {
    await this.models['model-a'].warm();
    await this.models['model-b'].warm();
  }

  async close(): Promise<void> {
    await Promise.all([this.models['model-a'].close(), this.models['model-b'].close()]);
  }

  /** The job's result, or the error its request gets (a predict that failed, naming the model). */
  async run(job: QueueJob, takenAtEpochMs: number, workerPid: number): Promise<QueueResult | QueueErrorResult> {
    const t0 = performance.now();
    const queueMs = Math.max(0, takenAtEpochMs - job.enqueuedAtMs);
    const served = { service: 'model-worker', pid: workerPid, path: 'queue', topology: 'single' } as const;
    const model = this.models[job.model];
    try {
      const out = await model.run({ features: job.features, n: job.n });
      const timing: PredictTiming = { predictMs: out.predictMs, totalMs: performance.now() - t0, queueMs };
      return { id: job.id, model: job.model, prediction: out.prediction, predict: model.predict, ...out.extra, timing, served };
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, 'model_failed', `${job.model}: ${errorMessage(err)}`);
      return { id: job.id, model: job.model, error: { status: e.status, code: e.code, message: e.message }, served };
    }
  }
}

export interface QueueWorker {
  /** Resolves when the loop has ended (after stop(), once the job in hand is answered). */
  done: Promise<void>;
  stop(): void;
  /** Take no job for `ms` (a hang fault); the job in hand is finished first. */
  hold(ms: number): void;
}

/** Connect and take jobs until stopped; a Redis outage is waited out (with back-off), never fatal. */
export async function runQueueWorker(config: QueueWorkerConfig, meter: WorkerMeter, log: (line: string) => void = () => undefined): Promise<QueueWorker> {
  const predictor = new QueuePredictor(config);
  await predictor.warm();
  let lastError: string | undefined;
  const redis = new Redis(config.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 5000,
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
  });
  redis.on('error', (err: Error) => {
    lastError = err.message;
  });
  await redis.connect();
  let stopping = false;
  let heldUntil = 0;
  const done = (async () => {
    let backoffMs = 50;
    while (!stopping) {
      const held = heldUntil - Date.now();
      if (held > 0) {
        await new Promise((r) => setTimeout(r, Math.min(held, 1000)));
        continue;
      }
      let item: [string, string] | null;
      try {
        item = await redis.brpop(config.jobsKey, TAKE_BLOCK_S);
        backoffMs = 50;
      } catch (err) {
        if (stopping) break;
        log(`redis: ${lastError ?? errorMessage(err)}; retrying in ${backoffMs} ms`);
        await new Promise((r) => setTimeout(r, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 1000);
        continue;
      }
      if (item === null) continue;
      const takenAt = epochMs();
      meter.jobStarted();
      try {
        const decoded = decodeJob(item[1], config.featureCount);
        if ('error' in decoded) {
          meter.response(400);
          log(`dropped a malformed job: ${decoded.error}`);
          continue;
        }
        const job = decoded.job;
        if (takenAt > job.deadlineAtMs) {
          meter.expiredJobs++;
          continue;
        }
        const result = await predictor.run(job, takenAt, process.pid);
        try {
          await redis.multi().lpush(job.reply, JSON.stringify(result)).pexpire(job.reply, REPLY_TTL_MS).exec();
          if ('error' in result) {
            meter.response(result.error.status, result.error.code);
            log(`job ${job.id}: ${result.error.message}`);
          } else {
            meter.recordPredict(result.timing);
            meter.response(200);
          }
        } catch (err) {
          // The answer is lost with the connection; its request gets a 503 or 504, never a hang.
          meter.response(503);
          log(`could not push the result of job ${job.id}: ${errorMessage(err)}`);
        }
      } catch (err) {
        meter.response(500);
        log(`job failed: ${errorMessage(err)}`);
      } finally {
        meter.jobEnded();
      }
    }
    redis.disconnect();
    await predictor.close().catch(() => undefined);
  })();
  return {
    done,
    stop: () => {
      stopping = true;
    },
    hold: (ms) => {
      heldUntil = Math.max(heldUntil, Date.now() + ms);
    },
  };
}
