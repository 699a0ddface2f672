// Without a Redis (no REDIS_URL, no redis-server on PATH) the queue-workers experiment is skipped as data,
// with the reason, and the run goes on: nothing is started, nothing crashes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runLoadSuite } from '../src/load/suite.js';
import { setQuiet } from '../src/progress.js';
import { renderLoadTerminal } from '../src/report/load.js';
import { withDefinitions } from './load-definitions.js';

const savedPath = process.env.PATH;
const savedRedis = process.env.REDIS_URL;
afterEach(() => {
  process.env.PATH = savedPath;
  if (savedRedis === undefined) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = savedRedis;
});

it('skips queue-workers with the reason when no Redis can be had', async () => {
  delete process.env.REDIS_URL;
  process.env.PATH = mkdtempSync(join(tmpdir(), 'servebench-empty-path-'));
  setQuiet(true);
  const data = await runLoadSuite(withDefinitions({ scenarios: ['queue-workers'] })).finally(() => setQuiet(false));
  expect(data.runs).toEqual([]);
  expect(data.configurations.map((c) => c.state)).toEqual(['skipped', 'skipped']);
  expect(data.configurations[0]!.reason).toMatch(/the queue path needs a real Redis/);
  expect(data.queueWorkers?.skipped).toMatch(/no redis-server is on PATH/);
  expect(data.flags.filter((f) => f.kind === 'skipped')).toHaveLength(2);
  expect(renderLoadTerminal(data)).toMatch(/skipped: the queue path needs a real Redis/);
});
