// Bad input never brings a server down: each gets a 4xx JSON error naming the problem, and the same
// process answers the next request. Checked on the blocking (sync) and the non-blocking (async) path.
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../src/results/serving.js';
import { startModelApi, startSystem } from '../src/serving/system.js';
import type { RunningModelApi, RunningSystem } from '../src/serving/types.js';

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; json: ErrorResponse & Record<string, unknown> }> {
  const r = await fetch(url, { method: 'POST', headers, body });
  return { status: r.status, json: (await r.json()) as ErrorResponse & Record<string, unknown> };
}

/** Raw HTTP, for what fetch will not send (a lying content-length, a malformed request line). */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.end(text));
    let out = '';
    s.on('data', (d) => (out += d.toString()));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

/** A body of `bytes` bytes streamed in chunks, without a content-length (chunked). */
function postChunked(url: string, bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => undefined);
    const chunk = Buffer.alloc(16 * 1024, 'x');
    for (let sent = 0; sent < bytes; sent += chunk.length) req.write(chunk);
    req.end();
  });
}

describe.each(['sync', 'async'] as const)('bad input on the %s path', (path) => {
  let sys: RunningSystem;
  let model: RunningModelApi;
  beforeAll(async () => {
    [sys, model] = await Promise.all([
      startSystem({ path, topology: 'single', predict: 'io', store: 'memory', entities: 100, metricsIntervalMs: 0, bodyLimitBytes: 4096 }),
      startModelApi({ path, topology: 'single', predict: 'cpu', n: 1000, nMax: 5000, metricsIntervalMs: 0 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([sys?.stop(), model?.stop()]);
  });

  it.each([
    ['malformed JSON', '{"entity": "e1"', 400, 'bad_json', /malformed JSON/],
    ['an empty body', '', 400, 'bad_json', /empty body/],
    ['a JSON array', '["e1"]', 400, 'bad_body', /expected a JSON object, got an array/],
    ['a missing entity', '{}', 400, 'bad_field', /entity: required/],
    ['a number entity', '{"entity": 5}', 400, 'bad_field', /entity: expected a string .* got number 5/],
    ['an unknown entity', '{"entity": "e100"}', 404, 'unknown_entity', /unknown entity "e100".*e0 to e99/],
    ['n with the io predict', '{"entity": "e1", "n": 10}', 400, 'bad_field', /n: applies only to a cpu predict/],
  ])('/score with %s', async (_what, body, status, code, message) => {
    const r = await post(sys.scoringUrl, body);
    expect(r.status).toBe(status);
    expect(r.json.error.code).toBe(code);
    expect(r.json.error.message).toMatch(message);
  });

  it('/score with a body over the limit (declared, and streamed without a length)', async () => {
    const r = await post(sys.scoringUrl, JSON.stringify({ entity: 'e1', pad: 'x'.repeat(10_000) }));
    expect(r.status).toBe(413);
    expect(r.json.error.message).toMatch(/over the limit of 4096 bytes/);
    const s = await postChunked(sys.scoringUrl, 1024 * 1024);
    expect(s.status).toBe(413);
  });

  it('wrong routes, methods and malformed HTTP', async () => {
    const base = sys.baseUrls.scoring;
    expect((await fetch(`${base}/nope`, { method: 'POST', body: '{}' })).status).toBe(404);
    const g = await fetch(`${base}/score`);
    expect(g.status).toBe(405);
    expect(((await g.json()) as ErrorResponse).error.message).toMatch(/use POST/);
    const port = Number(new URL(base).port);
    expect(await raw(port, 'THIS IS NOT HTTP\r\n\r\n')).toMatch(/^HTTP\/1\.1 400.*malformed HTTP request/s);
  });

  it.each([
    ['a wrong vector length', { features: [1, 2, 3] }, 'bad_vector_length', /features: expected 8 numbers, got 3/],
    ['a wrong type in the vector', { features: [1, 2, 3, 4, 5, 6, 7, 'x'] }, 'bad_field', /features\[7\]: expected a finite number, got the string "x"/],
    ['features not an array', { features: 'abc' }, 'bad_field', /features: expected an array of 8 numbers/],
    ['n above the cap', { features: [1, 2, 3, 4, 5, 6, 7, 8], n: 5001 }, 'n_out_of_range', /n: must be between 1 and 5000, got 5001/],
    ['n not an integer', { features: [1, 2, 3, 4, 5, 6, 7, 8], n: 1.5 }, 'bad_field', /n: expected an integer/],
  ])('/predict with %s', async (_what, body, code, message) => {
    const r = await post(model.predictUrl, JSON.stringify(body));
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe(code);
    expect(r.json.error.message).toMatch(message);
  });

  it('the same processes still answer correctly afterwards', async () => {
    const before = sys.processes.map((p) => p.pid).sort();
    const r = await post(sys.scoringUrl, '{"entity":"e1"}');
    expect(r.status).toBe(200);
    const p = await post(model.predictUrl, JSON.stringify({ features: [1, 2, 3, 4, 5, 6, 7, 8], n: 5000 }));
    expect(p.status).toBe(200);
    expect(p.json).toMatchObject({ n: 5000, kernel: expect.any(String) });
    expect(sys.processes.map((x) => x.pid).sort()).toEqual(before);
  });
});
