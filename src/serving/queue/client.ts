// How a scoring process uses the queue: it pushes a request's model jobs on the jobs list in one LPUSH and
// waits for their results on its own reply list. One reader per process (a dedicated connection blocked in
// BLMPOP, or BRPOP before Redis 7) takes the results in batches and hands each to the request waiting for
// its job id, so the Redis connections stay two per process whatever the number of requests in flight.
// A request whose jobs do not come back before the deadline gets a 504 naming the queue; while Redis is
// down, a 503.

import { Redis } from 'ioredis';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../../errors.js';
import type { QueueJob, QueueResult } from '../../results/serving.js';
import type { QueueClientConfig } from '../config.js';
import type { HttpError } from '../http-error.js';
import { epochMs } from '../http.js';
import { decodeResult, modelFailure, processTag, queueTimeout, queueUnavailable, queueWhere } from './protocol.js';

/** Results taken per reader call (BLMPOP's COUNT). */
const REPLY_BATCH = 256;
/** The reader's block, s: short, so a closing client stops soon. */
const REPLY_BLOCK_S = 1;

interface Pending {
  resolve(r: { result: QueueResult; roundTripMs: number }): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  sentAt: number;
}

export interface JobSpec {
  model: QueueJob['model'];
  features: number[];
  n?: number | undefined;
}

export class QueueClient {
  readonly replyKey: string;
  private readonly where: string;
  private readonly cmd: Redis;
  private readonly reader: Redis;
  private readonly pending = new Map<string, Pending>();
  private readonly tag = processTag();
  private seq = 0;
  private closed = false;
  private readerLoop: Promise<void> | undefined;
  private useBlmpop = true;
  private lastError: string | undefined;
  /** Results that came after their request had given up (a 504 already sent), or that could not be read. */
  lateResults = 0;
  badResults = 0;

  constructor(private readonly config: QueueClientConfig) {
    this.replyKey = `${config.replyPrefix}${this.tag}`;
    this.where = queueWhere(config.url, config.jobsKey);
    const common = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: Math.max(1000, Math.min(config.timeoutMs, 5000)),
      // Keep coming back after Redis restarts; meanwhile requests fail fast with a 503.
      retryStrategy: (times: number) => Math.min(times * 100, 1000),
    };
    // A hanging Redis must not hold a request past its deadline.
    this.cmd = new Redis(config.url, { ...common, commandTimeout: config.timeoutMs });
    // The reader blocks by design: no command timeout on its connection.
    this.reader = new Redis(config.url, common);
    for (const c of [this.cmd, this.reader]) {
      c.on('error', (err: Error) => {
        this.lastError = err.message;
      });
    }
  }

  /** Connect both connections and start the reader. Fails (clearly) when Redis cannot be reached. */
  async connect(): Promise<void> {
    try {
      await Promise.all([this.cmd.connect(), this.reader.connect()]);
    } catch (err) {
      throw queueUnavailable(this.where, errorMessage(err));
    }
    this.readerLoop = this.readReplies();
  }

  /** Jobs in flight in this process (waiting for a result). */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Push the jobs (one LPUSH, so they queue side by side) and resolve each with its result and round trip.
   * Each promise rejects with a 504 at the deadline, or a 503 when Redis refuses the push or goes away.
   */
  submit(specs: readonly JobSpec[]): Promise<{ result: QueueResult; roundTripMs: number }>[] {
    const now = epochMs();
    const sentAt = performance.now();
    const jobs: QueueJob[] = specs.map((s) => ({
      id: `${this.tag}:${++this.seq}`,
      model: s.model,
      features: s.features,
      ...(s.n === undefined ? {} : { n: s.n }),
      reply: this.replyKey,
      enqueuedAtMs: now,
      deadlineAtMs: now + this.config.timeoutMs,
    }));
    const promises = jobs.map(
      (job) =>
        new Promise<{ result: QueueResult; roundTripMs: number }>((resolve, reject) => {
          const timer = setTimeout(() => {
            if (!this.pending.delete(job.id)) return;
            reject(queueTimeout(this.where, `no model worker answered job ${job.id} (${job.model}) within ${this.config.timeoutMs} ms`));
          }, this.config.timeoutMs);
          this.pending.set(job.id, { resolve, reject, timer, sentAt });
        }),
    );
    if (this.closed) {
      this.failAll(jobs, queueUnavailable(this.where, 'the scoring process is shutting down'));
      return promises;
    }
    this.cmd.lpush(this.config.jobsKey, ...jobs.map((j) => JSON.stringify(j))).catch((err: unknown) => {
      const message = errorMessage(err);
      const e = /timed out/i.test(message)
        ? queueTimeout(this.where, `Redis did not accept the jobs within ${this.config.timeoutMs} ms`)
        : queueUnavailable(this.where, this.lastError ?? message);
      this.failAll(jobs, e);
    });
    return promises;
  }

  private failAll(jobs: readonly QueueJob[], err: HttpError): void {
    for (const j of jobs) {
      const p = this.pending.get(j.id);
      if (p === undefined) continue;
      this.pending.delete(j.id);
      clearTimeout(p.timer);
      p.reject(err);
    }
  }

  private deliver(raw: string): void {
    const r = decodeResult(raw);
    if (r === undefined) {
      this.badResults++;
      return;
    }
    const p = this.pending.get(r.id);
    if (p === undefined) {
      this.lateResults++;
      return;
    }
    this.pending.delete(r.id);
    clearTimeout(p.timer);
    if ('error' in r) p.reject(modelFailure(r));
    else p.resolve({ result: r, roundTripMs: performance.now() - p.sentAt });
  }

  /** The one reader: results in batches off this process's reply list, dispatched by job id. */
  private async readReplies(): Promise<void> {
    let backoffMs = 50;
    while (!this.closed) {
      try {
        if (this.useBlmpop) {
          const r = (await this.reader.call('BLMPOP', String(REPLY_BLOCK_S), '1', this.replyKey, 'RIGHT', 'COUNT', String(REPLY_BATCH))) as
            | [string, string[]]
            | null;
          if (r !== null) for (const raw of r[1]) this.deliver(raw);
        } else {
          const r = await this.reader.brpop(this.replyKey, REPLY_BLOCK_S);
          if (r !== null) this.deliver(r[1]);
        }
        backoffMs = 50;
      } catch (err) {
        if (this.closed) return;
        const message = errorMessage(err);
        if (this.useBlmpop && /unknown command/i.test(message)) {
          // Redis before 7.0: one result per call instead of a batch.
          this.useBlmpop = false;
          continue;
        }
        // The connection went away: results already pushed may be lost with it (a restarted Redis starts
        // empty), so every request waiting now gets its 503 instead of waiting out its deadline.
        const cause = this.lastError ?? message;
        const waiting = [...this.pending.entries()];
        this.pending.clear();
        for (const [, p] of waiting) {
          clearTimeout(p.timer);
          p.reject(queueUnavailable(this.where, cause));
        }
        await new Promise((r) => setTimeout(r, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 1000);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(queueUnavailable(this.where, 'the scoring process is shutting down'));
    }
    this.pending.clear();
    // The reply list would outlive this process on a shared Redis.
    await this.cmd.del(this.replyKey).catch(() => undefined);
    this.cmd.disconnect();
    this.reader.disconnect();
    await this.readerLoop?.catch(() => undefined);
  }
}
