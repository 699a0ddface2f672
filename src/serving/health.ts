// What GET /health checks beyond "the process answers": each dependency of a service, so that a dead
// feature store or model API shows as a 503 naming it, not as a 200 while every request fails. Redis is
// checked with a PING on a connection of its own, a model API with its own /health; each with a short
// deadline, and the answer is cached for a moment (and shared by concurrent callers) so /health stays cheap.

import { request } from 'node:http';
import { Redis } from 'ioredis';
import { errorMessage } from '../errors.js';
import type { ScoringServiceConfig } from './config.js';

/** A dependency as /health reports it: answering, refusing (or answering an error), or not answering in time. */
export type DependencyState = 'ok' | 'down' | 'timeout';

/** What a service's /health found: each dependency's state, and a line per problem (none: healthy). */
export interface HealthCheck {
  dependencies?: Record<string, DependencyState>;
  problems: string[];
  /** More facts to report, e.g. { modelLoaded: true }. */
  facts?: Record<string, unknown>;
}

interface Probe {
  name: string;
  check(): Promise<{ state: DependencyState; detail?: string }>;
  close(): void;
}

/** How long a dependency may take to answer its check. */
const CHECK_TIMEOUT_MS = 1000;
/** How long an answer is reused. */
const CACHE_MS = 500;

/** Redis answers PING within the deadline. */
function redisProbe(name: string, url: string, timeoutMs: number): Probe {
  let client: Redis | undefined;
  let lastError: string | undefined;
  const open = (): Redis => {
    const c = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: timeoutMs,
      connectTimeout: timeoutMs,
      retryStrategy: (times: number) => Math.min(times * 100, 1000),
    });
    c.on('error', (err: Error) => {
      lastError = err.message;
    });
    return c;
  };
  return {
    name,
    async check() {
      client ??= open();
      const where = `redis at ${url}`;
      try {
        if (client.status === 'wait') await client.connect();
        await client.ping();
        return { state: 'ok' };
      } catch (err) {
        const message = errorMessage(err);
        if (/timed out|timeout/i.test(message)) return { state: 'timeout', detail: `${where} did not answer PING within ${timeoutMs} ms` };
        return { state: 'down', detail: `${where} is down: ${lastError ?? message}` };
      }
    },
    close: () => client?.disconnect(),
  };
}

/** GET <baseUrl>/health answers 2xx within the deadline. */
function httpProbe(name: string, baseUrl: string, timeoutMs: number): Probe {
  const url = `${baseUrl}/health`;
  return {
    name,
    check: () =>
      new Promise((resolve) => {
        const req = request(url, { method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
          res.resume();
          const s = res.statusCode ?? 0;
          resolve(s >= 200 && s < 300 ? { state: 'ok' } : { state: 'down', detail: `${url} answered ${s}` });
        });
        req.on('timeout', () => {
          req.destroy();
          resolve({ state: 'timeout', detail: `${url} did not answer within ${timeoutMs} ms` });
        });
        req.on('error', (err: NodeJS.ErrnoException) => resolve({ state: 'down', detail: `${url} is down: ${err.code ?? err.message}` }));
        req.end();
      }),
    close: () => undefined,
  };
}

/** Checks a set of dependencies together; results are cached for a moment and shared by concurrent callers. */
export class DependencyHealth {
  private cached: { at: number; result: HealthCheck } | undefined;
  private inFlight: Promise<HealthCheck> | undefined;

  constructor(
    private readonly probes: Probe[],
    private readonly fixed: Record<string, DependencyState> = {},
  ) {}

  check(): Promise<HealthCheck> {
    if (this.cached !== undefined && Date.now() - this.cached.at < CACHE_MS) return Promise.resolve(this.cached.result);
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async run(): Promise<HealthCheck> {
    const results = await Promise.all(this.probes.map(async (p) => ({ name: p.name, ...(await p.check()) })));
    const dependencies: Record<string, DependencyState> = { ...this.fixed };
    const problems: string[] = [];
    for (const r of results) {
      dependencies[r.name] = r.state;
      if (r.state !== 'ok') problems.push(`${r.name} is ${r.state === 'timeout' ? 'not answering' : 'down'}: ${r.detail ?? r.state}`);
    }
    const result: HealthCheck = { dependencies, problems };
    this.cached = { at: Date.now(), result };
    return result;
  }

  close(): void {
    for (const p of this.probes) p.close();
  }
}

/**
 * The scoring handler's dependencies: its feature store (featureStore; the embedded one is always ok), and
 * its two model APIs (modelA, modelB), or on the queue path the queue's Redis (queue).
 */
export function scoringDependencies(config: ScoringServiceConfig): DependencyHealth {
  const redisTimeout = Math.min(config.timeoutsMs.featureRead, CHECK_TIMEOUT_MS);
  const probes: Probe[] = [];
  const fixed: Record<string, DependencyState> = {};
  if (config.store.kind === 'redis') probes.push(redisProbe('featureStore', config.store.url, redisTimeout));
  else fixed.featureStore = 'ok';
  if (config.queue !== undefined) probes.push(redisProbe('queue', config.queue.url, CHECK_TIMEOUT_MS));
  else {
    const modelTimeout = Math.min(config.timeoutsMs.model, CHECK_TIMEOUT_MS);
    probes.push(httpProbe('modelA', config.models.a, modelTimeout), httpProbe('modelB', config.models.b, modelTimeout));
  }
  return new DependencyHealth(probes, fixed);
}
