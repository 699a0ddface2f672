// The queue path's options, checked at the edge: --model-workers and --queue-timeout belong to --path queue;
// `servebench serve --path queue --model-workers 2` starts it, serves, and stops everything on SIGINT.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseServeOptions } from '../src/commands/serve.js';
import { OptionError } from '../src/errors.js';
import { packageRoot } from '../src/paths.js';
import { Supervisor, waitUntil } from '../src/processes/index.js';
import type { ScoreResponse } from '../src/results/serving.js';
import { resolveSystemOptions } from '../src/serving/options.js';
import type { SystemOptions } from '../src/serving/types.js';

const cli = join(packageRoot, 'bin', 'servebench.js');
const sup = new Supervisor();
afterAll(() => sup.stopAll());
const base: SystemOptions = { path: 'queue', topology: 'single', predict: 'io', store: 'memory' };

describe('queue path options', () => {
  it('fills its defaults and says how it runs', () => {
    const o = resolveSystemOptions(base);
    expect(o.modelWorkers).toBe(1);
    expect(o.timeoutsMs.queue).toBe(5000);
    const cpu = resolveSystemOptions({ ...base, predict: 'cpu', modelWorkers: 2 });
    expect(cpu).toMatchObject({ modelWorkers: 2, kernel: 'typed', placement: 'inline' });
    // A Redis URL is the broker's even with the embedded feature store.
    expect(resolveSystemOptions({ ...base, redisUrl: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it.each([
    [{ ...base, path: 'async' as const, modelWorkers: 2 }, '--model-workers', /applies only to --path queue/],
    [{ ...base, modelWorkers: 0 }, '--model-workers', /between 1 and 64/],
    [{ ...base, path: 'sync' as const, timeoutsMs: { queue: 100 } }, '--queue-timeout', /applies only to --path queue/],
    [{ ...base, path: 'async' as const, redisUrl: 'redis://127.0.0.1:1' }, '--redis-url', /--store redis \(or to --path queue/],
  ])('rejects %j naming %s', (opts, option, message) => {
    let err: unknown;
    try {
      resolveSystemOptions(opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OptionError);
    expect((err as OptionError).option).toBe(option);
    expect((err as Error).message).toMatch(message);
  });

  it('the serve command parses them', () => {
    const raw = { path: 'queue', topology: 'single', predict: 'io', store: 'redis' };
    expect(parseServeOptions({ ...raw, modelWorkers: '2', queueTimeout: '1500ms' })).toMatchObject({
      path: 'queue',
      modelWorkers: 2,
      timeoutsMs: { queue: 1500 },
    });
    expect(() => parseServeOptions({ ...raw, path: 'async', modelWorkers: '2' })).toThrow(/--model-workers: applies only to --path queue/);
    expect(() => parseServeOptions({ ...raw, modelWorkers: 'two' })).toThrow(/--model-workers/);
    expect(() => parseServeOptions({ ...raw, path: 'async', queueTimeout: '1s' })).toThrow(/--queue-timeout: applies only to --path queue/);
    expect(() => parseServeOptions({ ...raw, modelTimeout: '1s' })).toThrow(/--model-timeout: the queue path calls no model API/);
    expect(() => parseServeOptions({ ...raw, path: 'fast' })).toThrow(/--path: must be one of sync, async; got 'fast' \(or queue/);
  });

  it('servebench serve --path queue --model-workers 2 serves and stops everything on SIGINT', async () => {
    const proc = await sup.start({
      name: 'serve-queue',
      command: process.execPath,
      args: [cli, 'serve', '--path', 'queue', '--model-workers', '2', '--store', 'memory'],
      ready: { kind: 'line', pattern: /^http:\/\/127\.0\.0\.1:\d+\/score$/ },
      readyTimeoutMs: 30_000,
    });
    const out = proc.output();
    const url = /^(http:\/\/127\.0\.0\.1:\d+\/score)$/m.exec(out)![1]!;
    expect(out).toMatch(/\[serve\] queue: 2 model worker\(s\) on list \S+ at redis:\/\/127\.0\.0\.1:\d+ \(redis-server .* started by servebench/);
    expect(out).toMatch(/LLEN servebench:queue:\S+:jobs/);
    const pids = [...out.matchAll(/\b[\w-]+=(\d+)\b/g)].map((m) => Number(m[1]));
    expect(pids.length).toBeGreaterThanOrEqual(4);
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entity":"e1"}' });
    expect(r.status).toBe(200);
    expect(((await r.json()) as ScoreResponse).served).toMatchObject({ path: 'queue' });
    proc.signal('SIGINT');
    expect((await proc.waitForExit(20_000)).code).toBe(130);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitUntil(() => pids.every((p) => !alive(p)), 5000, 'every process serve started to exit');
  });

  it('rejects --model-workers on another path with exit code 2', async () => {
    const err = await promisify(execFile)(process.execPath, [cli, 'serve', '--path', 'async', '--model-workers', '2'], { timeout: 20_000 }).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(err?.code).toBe(2);
    expect(err?.stderr).toMatch(/--model-workers: applies only to --path queue/);
  });
});
