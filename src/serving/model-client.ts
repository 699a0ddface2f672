// How the scoring handler calls a model API: undici keep-alive connection pools, a deadline per call, and
// failures turned into 503/504/502 errors naming the model and the cause. Used directly by the async
// path and, inside its worker thread, by the sync path's blocking client.

import { Pool, errors as undiciErrors } from 'undici';
import type { PredictResponse } from '../results/serving.js';
import { UpstreamError } from './upstream.js';

export interface ModelCallResult {
  status: number;
  /** The model's answer, parsed. */
  response: PredictResponse;
}

export class ModelClient {
  private readonly pool: Pool;
  private readonly origin: string;

  /**
   * @param name 'model-a' or 'model-b', for messages
   * @param baseUrl e.g. http://127.0.0.1:PORT
   * @param connections keep-alive connections at most (the async path runs many calls at once)
   */
  constructor(
    readonly name: string,
    baseUrl: string,
    private readonly timeoutMs: number,
    connections: number,
  ) {
    this.origin = new URL(baseUrl).origin;
    this.pool = new Pool(this.origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 60_000,
      connectTimeout: Math.min(timeoutMs, 10_000),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  /** POST /predict with a JSON body (already serialized). */
  async predict(body: string): Promise<ModelCallResult> {
    let statusCode: number;
    let text: string;
    try {
      const res = await this.pool.request({
        path: '/predict',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      statusCode = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw this.classify(err);
    }
    if (statusCode !== 200) throw this.badStatus(statusCode, text);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new UpstreamError('model', 'bad_answer', `model API ${this.name} at ${this.origin} answered with malformed JSON`);
    }
    const p = parsed as Partial<PredictResponse>;
    if (typeof p.prediction !== 'number')
      throw new UpstreamError('model', 'bad_answer', `model API ${this.name} at ${this.origin} answered without a prediction`);
    return { status: statusCode, response: parsed as PredictResponse };
  }

  private classify(err: unknown): UpstreamError {
    const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
    const where = `model API ${this.name} at ${this.origin}`;
    if (
      e.name === 'TimeoutError' ||
      e.name === 'AbortError' ||
      err instanceof undiciErrors.HeadersTimeoutError ||
      err instanceof undiciErrors.BodyTimeoutError ||
      err instanceof undiciErrors.ConnectTimeoutError
    ) {
      return new UpstreamError('model', 'timeout', `${where} did not answer within ${this.timeoutMs} ms`);
    }
    const code = e.code ?? e.cause?.code;
    const msg = e.message ?? String(err);
    return new UpstreamError('model', 'unavailable', `${where} is unavailable: ${code !== undefined && !msg.includes(code) ? `${code} ` : ''}${msg}`);
  }

  private badStatus(status: number, text: string): UpstreamError {
    const where = `model API ${this.name} at ${this.origin}`;
    let detail = '';
    try {
      const j = JSON.parse(text) as { error?: { message?: string } };
      if (typeof j.error?.message === 'string') detail = `: ${j.error.message}`;
    } catch {
      // not JSON (e.g. nginx's HTML error page): the status says enough
    }
    // nginx answers 502/503 when no worker behind it is reachable, 504 when they do not answer in time.
    if (status === 502 || status === 503) return new UpstreamError('model', 'unavailable', `${where} is unavailable: it answered ${status}${detail}`);
    if (status === 504) return new UpstreamError('model', 'timeout', `${where} timed out: it answered 504${detail}`);
    return new UpstreamError('model', 'bad_answer', `${where} answered ${status}${detail}`);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
