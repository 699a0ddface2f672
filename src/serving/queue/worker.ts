// A queue model worker (seed 001's ml_service): takes one job at a time off the jobs list (BRPOP), runs
// the predict of the job's model (the io wait, or a cpu mean kernel), and pushes the result on the reply
// list the job names. Predictions equal the model APIs' for the same features (same weights and rule),
// so every path scores alike. A job whose deadline has passed when it is taken is dropped: its request
// already had its 504, and working on it would only delay the jobs behind it.

import { Redis } from 'ioredis';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../../errors.js';
import { getKernel, type Kernel } from '../../kernels/index.js';
import type { PredictTiming, QueueJob, QueueResult } from '../../results/serving.js';
import { uniform, type Rng } from '../../stats/random.js';
import type { QueueWorkerConfig } from '../config.js';
import { epochMs } from '../http.js';
import { ProcessMeter } from '../metrics.js';
import { linearScore, modelWeights, sigmoid, VectorCache, waitFor, waitRng } from '../predict.js';
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

/** The predict of both models, as model-api.ts computes it (same weights and rule, from predict.ts; tests check parity). */
class QueuePredictor {
  private readonly weights: Record<QueueJob['model'], Float64Array>;
  private readonly rng: Rng;
  private readonly kernel: Kernel | undefined;
  private readonly vectors: VectorCache;

  constructor(private readonly config: QueueWorkerConfig) {
    this.weights = {
      'model-a': modelWeights(config.seed, 'model-a', config.featureCount),
      'model-b': modelWeights(config.seed, 'model-b', config.featureCount),
    };
    this.rng = waitRng(config.seed, config.name);
    this.vectors = new VectorCache(config.seed);
    if (config.predict === 'cpu') {
      this.kernel = getKernel(config.kernel ?? 'typed');
      const avail = this.kernel.availability();
      if (!avail.available) throw new Error(`kernel ${this.kernel.name} is unavailable: ${avail.reason}`);
    }
  }

  /** Build the default vector before the first job. */
  warm(): void {
    if (this.kernel !== undefined) this.vectors.get(this.kernel.name, this.config.n);
  }

  private linear(model: QueueJob['model'], features: number[]): number {
    return linearScore(this.weights[model], features);
  }

  async run(job: QueueJob, takenAtEpochMs: number, workerPid: number): Promise<QueueResult> {
    const t0 = performance.now();
    const queueMs = Math.max(0, takenAtEpochMs - job.enqueuedAtMs);
    const served = { service: 'model-worker', pid: workerPid, path: 'queue', topology: 'single' } as const;
    const timing = (predictMs: number): PredictTiming => ({ predictMs, totalMs: performance.now() - t0, queueMs });
    if (this.config.predict === 'io') {
      const { min, max } = this.config.ioWaitMs;
      await waitFor(uniform(this.rng, min, max));
      return {
        id: job.id,
        model: job.model,
        prediction: sigmoid(this.linear(job.model, job.features)),
        predict: 'io',
        timing: timing(performance.now() - t0),
        served,
      };
    }
    const k = this.kernel!;
    const size = Math.min(job.n ?? this.config.n, this.config.nMax);
    const arg = this.vectors.get(k.name, size);
    const t1 = performance.now();
    const mean = await k.mean(arg);
    const predictMs = performance.now() - t1;
    return {
      id: job.id,
      model: job.model,
      prediction: sigmoid(this.linear(job.model, job.features) + mean),
      predict: 'cpu',
      kernel: k.name,
      placement: k.mode === 'async' ? 'native-async' : 'inline',
      n: size,
      mean,
      timing: timing(predictMs),
      served,
    };
  }
}

export interface QueueWorker {
  /** Resolves when the loop has ended (after stop(), once the job in hand is answered). */
  done: Promise<void>;
  stop(): void;
}

/** Connect and take jobs until stopped; a Redis outage is waited out (with back-off), never fatal. */
export async function runQueueWorker(config: QueueWorkerConfig, meter: WorkerMeter, log: (line: string) => void = () => undefined): Promise<QueueWorker> {
  const predictor = new QueuePredictor(config);
  predictor.warm();
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
  const done = (async () => {
    let backoffMs = 50;
    while (!stopping) {
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
          meter.recordPredict(result.timing);
          meter.response(200);
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
  })();
  return {
    done,
    stop: () => {
      stopping = true;
    },
  };
}
