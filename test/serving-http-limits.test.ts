// The limits of every service's HTTP contract, on the sync and the async path: JSON nested too deep or
// holding too long a string is a 400 naming the limit (checked before anything walks it: 10,000 levels no
// longer crash the error message); error messages quote a short excerpt of what was sent, never all of it;
// a body must say it is JSON (415 otherwise; a charset=utf-8 parameter is fine); a client that is slow to
// send its headers or its body gets a 408 once the configured deadline has passed, and the server goes on.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../src/results/serving.js';
import { startSystem } from '../src/serving/system.js';
import type { RunningSystem } from '../src/serving/types.js';

async function post(url: string, body: string, contentType?: string): Promise<{ status: number; text: string; json: ErrorResponse }> {
  const r = await fetch(url, { method: 'POST', headers: contentType === undefined ? {} : { 'content-type': contentType }, body });
  const text = await r.text();
  return { status: r.status, text, json: JSON.parse(text) as ErrorResponse };
}

/** Send `text` on a raw connection and wait for the server to answer and close it. */
function rawUntilClosed(port: number, text: string): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const s = connect(port, '127.0.0.1', () => s.write(text));
    let answer = '';
    s.on('data', (d) => (answer += d.toString()));
    s.on('close', () => resolve({ ms: Date.now() - t0, answer }));
    s.on('error', reject);
  });
}

const HEADERS_MS = 600;
const BODY_MS = 700;
const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe.each(['sync', 'async'] as const)('HTTP limits on the %s path', (path) => {
  let sys: RunningSystem;
  let urls: { service: string; url: string }[];
  beforeAll(async () => {
    sys = await startSystem({
      path,
      topology: 'single',
      predict: 'io',
      store: 'memory',
      entities: 100,
      metricsIntervalMs: 0,
      timeoutsMs: { headers: HEADERS_MS, body: BODY_MS },
    });
    urls = [
      { service: 'scoring', url: sys.scoringUrl },
      { service: 'model-a', url: `${sys.baseUrls.modelA}/predict` },
    ];
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('refuses JSON nested deeper than 32 levels, 10,000 levels included, naming the limit', async () => {
    for (const { url } of urls) {
      for (const body of [`{"entity":${deep(10_000)}}`, `{"features":${deep(33)}}`, deep(6000)]) {
        const r = await post(url, body, 'application/json');
        expect(r.status).toBe(400);
        expect(r.json.error.code).toBe('json_too_deep');
        expect(r.json.error.message).toMatch(/JSON nested more than 32 levels deep .*the limit is 32/);
      }
      // 32 levels are fine as far as the limit goes (the field is still of the wrong type).
      const ok = await post(url, `{"entity":${deep(31)},"features":${deep(31)}}`, 'application/json');
      expect(ok.status).toBe(400);
      expect(ok.json.error.code).not.toBe('json_too_deep');
    }
  });

  it('refuses a string over 1024 characters, quoting only its beginning', async () => {
    for (const { url } of urls) {
      const r = await post(url, JSON.stringify({ entity: 'e1', features: [`${'x'.repeat(5000)}`] }), 'application/json');
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('json_string_too_long');
      expect(r.json.error.message).toMatch(/more than 1024 characters .*the limit is 1024; it begins "x{80}…"/);
      expect(r.text.length).toBeLessThan(1000);
    }
  });

  it('quotes a bounded excerpt of what was sent: a 50 KB body, a 10 KB unknown path', async () => {
    const big: Record<string, string> = {};
    for (let i = 0; i < 25; i++) big[`k${i}`] = 'v'.repeat(1000);
    for (const { url } of urls) {
      const r = await post(url, JSON.stringify({ entity: big, features: big }), 'application/json');
      expect(r.status).toBe(400);
      expect(r.json.error.message).toMatch(/got an object \{"k0":"v+…/);
      expect(r.text.length).toBeLessThan(1000);
    }
    const nowhere = await fetch(`${sys.baseUrls.scoring}/${'p'.repeat(10_000)}`);
    const text = await nowhere.text();
    expect(nowhere.status).toBe(404);
    expect(text.length).toBeLessThan(1000);
    expect((JSON.parse(text) as ErrorResponse).error.message).toMatch(/no route "\/p{79}…"/);
  });

  it('requires a JSON content type on bodies (415), with a charset=utf-8 parameter allowed', async () => {
    for (const { url, service } of urls) {
      const body = service === 'scoring' ? '{"entity":"e1"}' : JSON.stringify({ features: [1, 2, 3, 4, 5, 6, 7, 8] });
      for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
        const r = await post(url, body, type);
        expect(r.status).toBe(415);
        expect(r.json.error.code).toBe('unsupported_media_type');
      }
      for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;Charset="UTF-8"']) {
        expect((await post(url, body, type)).status).toBe(200);
      }
    }
  });

  it('answers 408 to a client slow with its headers or its body, after the deadline, and serves on', async () => {
    const port = Number(new URL(sys.baseUrls.scoring).port);
    const headers = await rawUntilClosed(port, 'POST /score HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n');
    expect(headers.answer).toMatch(/^HTTP\/1\.1 408 .*"code":"request_timeout"/s);
    expect(headers.ms).toBeGreaterThanOrEqual(HEADERS_MS);
    const body = await rawUntilClosed(port, 'POST /score HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"enti');
    expect(body.answer).toMatch(/^HTTP\/1\.1 408 .*"code":"body_timeout".*did not arrive within 700 ms/s);
    expect(body.ms).toBeGreaterThanOrEqual(BODY_MS);
    expect((await post(sys.scoringUrl, '{"entity":"e1"}', 'application/json')).status).toBe(200);
  });
});
