// `servebench load --generator-processes N`: N engine processes, each its share of the load (rate R/N with seed
// base + i, or its share of the connections), merged exactly into one run: one histogram whose count is the
// processes' successes summed, the requested rate delivered (a relation with a wide margin, never a time), and
// each process's part kept. Options that cannot be split are refused naming them. One test server for the file.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptionError } from '../src/errors.js';
import { processShares } from '../src/load/generator-processes.js';
import { planLoad } from '../src/load/plan.js';
import { runLoadSuite } from '../src/load/suite.js';
import { Supervisor } from '../src/processes/index.js';
import { setQuiet } from '../src/progress.js';
import { histogramCount } from '../src/results/histogram.js';
import type { LoadRun } from '../src/results/load.js';
import { startTestServer, type TestServer } from './load-fixtures.js';
import { withDefinitions } from './load-definitions.js';

const sup = new Supervisor();
let server: TestServer;

beforeAll(async () => {
  setQuiet(true);
  server = await startTestServer(sup, 'ok');
}, 30_000);

afterAll(async () => {
  setQuiet(false);
  await sup.stopAll();
});

type Completed = Extract<LoadRun, { state: 'completed' }>;

function onlyRun(runs: readonly LoadRun[]): Completed {
  expect(runs).toHaveLength(1);
  const run = runs[0]!;
  if (run.state !== 'completed') throw new Error(`run ${run.state}: ${JSON.stringify(run)}`);
  return run;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('load --generator-processes 2', () => {
  it('an open loop: two processes at R/2 with seeds base + i deliver R, merged into one histogram', async () => {
    const rate = 200;
    const data = await runLoadSuite(
      withDefinitions({
        target: { url: server.url },
        scenarios: ['sustained'],
        rateRps: rate,
        generatorProcesses: 2,
        durationMs: 1500,
        warmupMs: 300,
        seed: 7,
      }),
    );
    expect(data.options.generatorProcesses).toBe(2);
    const run = onlyRun(data.runs);
    const parts = run.generatorProcesses!;
    expect(parts.map((p) => [p.index, p.state, p.load, p.seed])).toEqual([
      [0, 'completed', rate / 2, 7],
      [1, 'completed', rate / 2, 8],
    ]);
    expect(new Set(parts.map((p) => p.pid)).size).toBe(2);
    expect(parts.every((p) => p.pid !== process.pid)).toBe(true);
    // One merged result: its histogram holds every success of both processes, and its rps is theirs summed.
    expect(run.requests.successes).toBe(sum(parts.map((p) => p.successes!)));
    expect(histogramCount(run.latencyHistogramUs!)).toBe(run.requests.successes);
    expect(run.rps).toBeCloseTo(sum(parts.map((p) => p.rps!)), 0);
    // The rate asked for, delivered: Poisson arrivals over a short window, so a wide relative margin.
    expect(run.rps / rate).toBeGreaterThan(0.75);
    expect(run.rps / rate).toBeLessThan(1.25);
    expect(run.load).toMatchObject({ kind: 'open', rateRps: rate });
  }, 60_000);

  it('a closed loop: the connections shared out (3 = 2 + 1), one merged run', async () => {
    const data = await runLoadSuite(
      withDefinitions({ target: { url: server.url }, scenarios: ['sustained'], connections: 3, generatorProcesses: 2, durationMs: 1000, warmupMs: 200 }),
    );
    const run = onlyRun(data.runs);
    expect(run.generatorProcesses!.map((p) => p.load)).toEqual([2, 1]);
    expect(run.load).toMatchObject({ kind: 'closed', connections: 3 });
    expect(histogramCount(run.latencyHistogramUs!)).toBe(sum(run.generatorProcesses!.map((p) => p.successes!)));
    expect(run.failures.total).toBe(0);
  }, 60_000);
});

describe("the processes' shares add up to the step", () => {
  it('an open loop: rate R/N each, seeds base + i, the in-flight bound and the minimum requests split', () => {
    const load = { kind: 'open', engine: 'native', rateRps: 1000, arrivals: 'poisson', maxInFlight: 10, seed: 41, threads: 3 } as const;
    const shares = processShares(load, 3, { minRequests: 20 });
    expect(sum(shares.map((s) => (s.load.kind === 'open' ? s.load.rateRps : 0)))).toBeCloseTo(1000, 9);
    expect(shares.map((s) => (s.load.kind === 'open' ? [s.load.seed, s.load.maxInFlight, s.load.threads] : []))).toEqual([
      [41, 4, 1],
      [42, 3, 1],
      [43, 3, 1],
    ]);
    expect(sum(shares.map((s) => s.minRequests))).toBeGreaterThanOrEqual(20);
  });

  it('a closed loop: the connections split as floor(C/N), the first C mod N one more; --amount split', () => {
    const load = { kind: 'closed', engine: 'autocannon', connections: 7, pipelining: 1, workers: 0 } as const;
    const shares = processShares(load, 2, { minRequests: 20, amount: 101 });
    expect(shares.map((s) => (s.load.kind === 'closed' ? s.load.connections : 0))).toEqual([4, 3]);
    expect(sum(shares.map((s) => s.amount!))).toBeGreaterThanOrEqual(101);
  });
});

describe('--generator-processes: what cannot be split is refused, naming the option', () => {
  it.each<[string, Parameters<typeof withDefinitions>[0], RegExp]>([
    [
      "autocannon's worker threads",
      { target: { url: 'http://127.0.0.1:9/' }, connections: 4, generatorProcesses: 2, generatorWorkers: 2, engine: 'autocannon' },
      /^--generator-workers: cannot go with --generator-processes/,
    ],
    ['the autoscale experiment', { scenarios: ['autoscale'], generatorProcesses: 2 }, /^--generator-processes: autoscale's arrivals follow its rate profile/],
    ['more than 64', { target: { url: 'http://127.0.0.1:9/' }, generatorProcesses: 65 }, /^--generator-processes: must be an integer between 1 and 64/],
  ])('%s', (_, options, message) => {
    let thrown: unknown;
    try {
      planLoad(withDefinitions(options));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(OptionError);
    expect((thrown as Error).message).toMatch(message);
  });
});
