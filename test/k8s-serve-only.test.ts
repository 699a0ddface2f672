// `servebench serve --only <service>`, the entry point of every servebench pod: each service started alone,
// as its own process, finds the others by URL (the sync and async paths) or through Redis (the queue path),
// and together they answer /score; combinations that cannot work exit 2 naming the option.

import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { freePort, Supervisor } from '../src/processes/index.js';
import { needTool } from './needs-tool.js';

const cli = join(packageRoot, 'bin', 'servebench.js');
const sup = new Supervisor();
afterAll(() => sup.stopAll());

/** One service alone; resolves with the URL it prints. */
async function only(service: string, args: string[]): Promise<string> {
  const proc = await sup.start({
    name: service,
    command: process.execPath,
    args: [cli, 'serve', '--only', service, ...args],
    ready: { kind: 'line', pattern: /^(http|redis):\/\/\S+/ },
    readyTimeoutMs: 60_000,
  });
  return /^((?:http|redis):\/\/.+)$/m.exec(proc.output())![1]!;
}

async function score(base: string): Promise<{ status: number; body: { served?: { path: string; service: string }; predictions?: { a: number; b: number } } }> {
  const r = await fetch(`${base}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entity":"e7"}' });
  return { status: r.status, body: (await r.json()) as never };
}

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

describe('servebench serve --only', () => {
  it('model-a, model-b and scoring started apart answer /score together (async path, memory store)', async () => {
    const common = ['--path', 'async', '--predict', 'io', '--store', 'memory'];
    const [a, b] = await Promise.all([only('model-a', [...common, '--port', '0']), only('model-b', [...common, '--port', '0'])]);
    const health = (await (await fetch(`${a}/health`)).json()) as { service: string };
    expect(health.service).toBe('model-a');
    const scoring = await only('scoring', [...common, '--port', '0', '--model-a-url', a, '--model-b-url', b]);
    const r = await score(scoring);
    expect(r.status).toBe(200);
    expect(r.body.served).toMatchObject({ service: 'scoring', path: 'async' });
    expect(r.body.predictions?.a).toEqual(expect.any(Number));
  });

  it('the queue path: scoring and model workers started apart meet on Redis', async (ctx) => {
    needTool(ctx, 'redis-server', hasRedisServer(), 'Debian: apt-get install redis-server');
    const port = await freePort();
    await sup.start({
      name: 'redis-server',
      command: 'redis-server',
      args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      ready: { kind: 'tcp', host: '127.0.0.1', port },
    });
    const common = ['--path', 'queue', '--predict', 'io', '--store', 'redis', '--redis-url', `redis://127.0.0.1:${port}`];
    const jobs = await only('model-worker', common);
    expect(jobs).toMatch(/list servebench:queue:shared:jobs$/);
    const scoring = await only('scoring', [...common, '--port', '0']);
    const r = await score(scoring);
    expect(r.status).toBe(200);
    expect(r.body.served).toMatchObject({ path: 'queue' });
  });

  it.each([
    [['--only', 'scoring', '--store', 'memory'], /--model-a-url: required with --only scoring on the async path/],
    [['--only', 'scoring', '--store', 'memory', '--model-a-url', 'http://a:1'], /--model-b-url: give both --model-a-url and --model-b-url/],
    [['--only', 'model-worker', '--store', 'memory'], /--only: model-worker runs on --path queue/],
    [['--only', 'model-a', '--path', 'queue', '--store', 'memory'], /--only: the queue path has no model API/],
    [['--only', 'model-worker', '--path', 'queue', '--store', 'memory'], /--redis-url: required with --only model-worker on the queue path/],
    [['--only', 'frontend'], /--only: must be one of scoring, model-a, model-b, model-worker/],
    [['--model-a-url', 'http://a:1', '--store', 'memory'], /--model-a-url: applies only with --only scoring/],
    [['--only', 'model-a', '--json'], /--json: applies to the whole system/],
  ])('rejects %j with exit code 2', async (args, message) => {
    const err = await promisify(execFile)(process.execPath, [cli, 'serve', ...args], { timeout: 30_000, env: { ...process.env, REDIS_URL: '' } }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(2);
    expect(err?.stderr).toMatch(message);
  });
});
