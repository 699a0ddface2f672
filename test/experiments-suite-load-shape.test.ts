// The experiments suite on its own gives the data a load run naming the experiments gives (the bench's
// `experiments` section): same options echo, configurations, flags and figures. Without Redis and nginx
// every experiment is skipped as data, so nothing starts and the two runs compare exactly.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { experiments, scenarios } from '../benchmarks/scenarios/index.js';
import { runExperimentsSuite } from '../src/experiments/suite.js';
import { runLoadSuite } from '../src/load/suite.js';
import { setQuiet } from '../src/progress.js';
import type { LoadData } from '../src/results/load.js';
import { withDefinitions } from './load-definitions.js';

const saved = { PATH: process.env.PATH, REDIS_URL: process.env.REDIS_URL, SERVEBENCH_NGINX: process.env.SERVEBENCH_NGINX };
beforeEach(() => {
  delete process.env.REDIS_URL;
  process.env.PATH = mkdtempSync(join(tmpdir(), 'servebench-empty-path-'));
  process.env.SERVEBENCH_NGINX = join(process.env.PATH, 'nginx');
  setQuiet(true);
});
afterEach(() => {
  setQuiet(false);
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** The data without its wall-clock duration, as JSON (key order included). */
const comparable = (d: LoadData) => JSON.stringify({ ...d, durationMs: 0 });

describe('runExperimentsSuite', () => {
  it('gives what `servebench load --scenario queue-workers,autoscale,faults` gives', async () => {
    const suite = await runExperimentsSuite({ quick: true, definitions: experiments, loadDefinitions: scenarios });
    const load = await runLoadSuite(withDefinitions({ scenarios: ['queue-workers', 'autoscale', 'faults'], quick: true }));
    expect(comparable(suite)).toBe(comparable(load));
    expect(suite.options).toMatchObject({ scenarios: ['queue-workers', 'autoscale', 'faults'], repeats: 2, quick: true });
    expect(suite.configurations.map((c) => [c.id, c.state])).toEqual([
      ['queue/w1/io', 'skipped'],
      ['queue/w2/io', 'skipped'],
      ['autoscale/hpa/io', 'skipped'],
      ['autoscale/fixed-1/io', 'skipped'],
      ['faults/async/cluster/io', 'skipped'],
    ]);
    expect(suite.queueWorkers?.skipped).toMatch(/the queue path needs a real Redis/);
    expect(suite.autoscale?.skipped).toMatch(/autoscaling resizes an nginx upstream/);
    expect(suite.faults?.skipped).toMatch(/faults runs on the Redis feature store .*no redis-server is on PATH/);
    expect(suite.faults?.faults.map((f) => f.state)).toEqual(experiments.faults.schedule.quick.map(() => 'skipped'));
  });

  it('runs the experiments named, with the options a load run takes', async () => {
    const suite = await runExperimentsSuite({
      experiments: ['autoscale'],
      rateRps: 40,
      errorBudget: 0.05,
      definitions: experiments,
      loadDefinitions: scenarios,
    });
    const load = await runLoadSuite(withDefinitions({ scenarios: ['autoscale'], rateRps: 40, errorBudget: 0.05 }));
    expect(comparable(suite)).toBe(comparable(load));
    expect(suite.options).toMatchObject({ scenarios: ['autoscale'], engine: 'open', rateRps: 40, errorBudget: 0.05, repeats: 1 });
    expect(suite.queueWorkers).toBeUndefined();
  });

  it('refuses options that do not fit the experiments before anything starts', async () => {
    const defs = { definitions: experiments, loadDefinitions: scenarios };
    await expect(runExperimentsSuite({ ...defs, experiments: ['queue-workers'], rateRps: 10 })).rejects.toThrow(/--rate: queue-workers runs a closed loop/);
    await expect(runExperimentsSuite({ ...defs, experiments: ['autoscale'], connections: 10 })).rejects.toThrow(/--connections: autoscale follows/);
  });
});
