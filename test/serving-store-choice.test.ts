// Which feature store a system uses: a given Redis (REDIS_URL / redisUrl), else a redis-server it starts,
// else the embedded store with a note saying why. Every result names the store.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { Supervisor, freePort } from '../src/processes/index.js';
import { startSystem } from '../src/serving/system.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

async function scoreOk(url: string): Promise<{ store: string }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entity":"e3"}' });
  expect(r.status).toBe(200);
  return ((await r.json()) as { served: { store: string } }).served;
}

describe('feature store choice', () => {
  it('uses a given Redis, under its own key prefix, and removes its keys afterwards', async () => {
    const port = await freePort();
    await sup.start({
      name: 'external-redis',
      command: 'redis-server',
      args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      ready: { kind: 'tcp', host: '127.0.0.1', port },
    });
    const url = `redis://127.0.0.1:${port}`;
    const sys = await startSystem({ path: 'async', topology: 'single', predict: 'io', store: 'redis', redisUrl: url, entities: 30, metricsIntervalMs: 0 });
    expect(sys.store.kind).toBe('redis');
    expect(sys.store.detail).toMatch(new RegExp(`redis [\\d.]+ at ${url} \\(given by REDIS_URL or --redis-url; keys under servebench:`));
    expect(sys.processes.some((p) => p.role === 'feature-store')).toBe(false);
    expect((await scoreOk(sys.scoringUrl)).store).toBe('redis');
    const client = new Redis(url);
    expect(await client.dbsize()).toBe(30);
    await sys.stop();
    expect(await client.dbsize()).toBe(0);
    client.disconnect();
  });

  it('falls back to the embedded store, with a note, when no Redis can be had', async () => {
    const saved = { PATH: process.env.PATH, REDIS_URL: process.env.REDIS_URL };
    process.env.PATH = '/nonexistent';
    delete process.env.REDIS_URL;
    let sys;
    try {
      sys = await startSystem({ path: 'sync', topology: 'single', predict: 'io', store: 'redis', metricsIntervalMs: 0 });
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.REDIS_URL !== undefined) process.env.REDIS_URL = saved.REDIS_URL;
    }
    try {
      expect(sys.store.kind).toBe('memory');
      expect(sys.store.detail).toMatch(/embedded in-process store/);
      expect(sys.notes.join('\n')).toMatch(/REDIS_URL is not set and no redis-server is on PATH: using the embedded in-process store/);
      expect(sys.describe().notes).toEqual(sys.notes);
      expect((await scoreOk(sys.scoringUrl)).store).toBe('memory');
    } finally {
      await sys.stop();
    }
  });
});
