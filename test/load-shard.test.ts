// `servebench load --shard i/N`: each shard applies its share of the whole load (rate R/N, or its share of the
// connections) with seed base + i, and echoes options.shard with the whole it split, so the shards' settings
// add up to the load asked for; `merge` refuses shards that did not split one load. Bad input exits 2 naming
// the option. No load is run: the plan and the merge are pure.

import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { toSuiteOptions } from '../src/commands/load.js';
import { planLoad } from '../src/load/plan.js';
import { mergeLoadResults } from '../src/results/merge.js';
import { latencySamples, makeShard } from './merge-fixtures.js';
import { withDefinitions } from './load-definitions.js';

const URL = 'http://127.0.0.1:9/score';
const raw = (over: Record<string, unknown>) => ({ body: [] as string[], header: [] as string[], target: URL, ...over });
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** The echo of shard i of n, planned from the options each pod of the Indexed Job gets. */
function shardEcho(i: number, n: number, load: Record<string, string>) {
  return planLoad(withDefinitions(toSuiteOptions(raw({ shard: `${i}/${n}`, seed: '11', scenario: 'sustained', ...load })))).echo;
}

describe('load --shard: the shards add up to the load asked for', () => {
  it('--rate R: each shard R/N, seed base + i, the whole echoed', () => {
    const echoes = [0, 1, 2].map((i) => shardEcho(i, 3, { rate: '300' }));
    expect(sum(echoes.map((e) => e.rateRps!))).toBeCloseTo(300, 9);
    expect(echoes.map((e) => e.seed)).toEqual([11, 12, 13]);
    echoes.forEach((e, i) => expect(e.shard).toEqual({ index: i, count: 3, total: { rateRps: 300, seed: 11 } }));
  });

  it('--connections C: floor(C/N) each, the first C mod N one more', () => {
    const echoes = [0, 1, 2, 3].map((i) => shardEcho(i, 4, { connections: '10' }));
    expect(echoes.map((e) => e.connections)).toEqual([3, 3, 2, 2]);
    expect(echoes.map((e) => e.seed)).toEqual([11, 12, 13, 14]);
    expect(echoes[3]!.shard).toEqual({ index: 3, count: 4, total: { connections: 10, seed: 11 } });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no --target', { target: undefined, shard: '0/2', rate: '10' }, /^--shard: applies only with --target URL/],
    ['no load to split', { shard: '0/2' }, /^--shard: needs the whole load to split: --rate R/],
    ['fewer connections than shards', { shard: '0/4', connections: '3' }, /^--shard: each of the 4 shards needs at least one connection/],
    ['an index past N', { shard: '2/2', rate: '10' }, /^--shard: i must be between 0 and 1/],
    ['not i/N', { shard: 'half', rate: '10' }, /^--shard: expected i\/N/],
    [
      '--generator-processes with --rate (seeds would repeat)',
      { shard: '0/2', rate: '10', generatorProcesses: '2' },
      /^--generator-processes: cannot go with --shard and --rate/,
    ],
  ])('refuses %s, naming the option', (_, over, message) => {
    expect(() => planLoad(withDefinitions(toSuiteOptions(raw(over))))).toThrow(message);
  });

  it('exits 2 naming the option from the command line', async () => {
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, ['bin/servebench.js', 'load', '--shard', '0/4', '--target', URL, '--connections', '2'], { timeout: 60_000 }, (err, _o, e) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stderr: e });
      });
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/--shard: each of the 4 shards needs at least one connection/);
  });
});

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const summarise = () => [];

/** Shard i of 2 of --rate 100 --seed 5, as --shard writes it; `over` changes what a test needs wrong. */
function shard(i: number, over: Partial<Parameters<typeof makeShard>[0]> = {}) {
  return makeShard({
    samples: latencySamples(100, i + 1),
    startMs: T0,
    shard: { index: i, count: 2, total: { rateRps: 100, seed: 5 } },
    rateRps: 50,
    seed: 5 + i,
    ...over,
  });
}

const merge = (...shards: ReturnType<typeof makeShard>[]) =>
  mergeLoadResults(
    shards.map((result, i) => ({ file: `shard-${i}.json`, result })),
    { summarise },
  );

describe('merge checks the shard settings', () => {
  it('merges shards that split one load, back to its rate and base seed', () => {
    const { data } = merge(shard(0), shard(1));
    expect([data.options.rateRps, data.options.seed, data.options.shard]).toEqual([100, 5, undefined]);
  });

  it.each<[string, Partial<Parameters<typeof makeShard>[0]>, RegExp]>([
    [
      'another whole load',
      { shard: { index: 1, count: 2, total: { rateRps: 200, seed: 5 } }, rateRps: 100 },
      /shard-1\.json is a shard of another load: --rate 200/,
    ],
    ['a share that is not its own', { rateRps: 60 }, /shard-1\.json is shard 1\/2 of --rate 100, but ran --rate 60, not its share 50/],
    ['another base seed (it would replay other arrivals)', { seed: 9 }, /shard-1\.json is shard 1 with --seed base 8 .* shard-0\.json has base 5/],
    ['another rate, with no whole recorded', { shard: { index: 1, count: 2 }, rateRps: 70 }, /shard-1\.json is a shard of another load: not recorded here/],
  ])('refuses %s, naming the file', (_, over, message) => {
    expect(() => merge(shard(0), shard(1, over))).toThrow(message);
  });

  it('shards without a recorded whole must still hold alike shares', () => {
    const bare = (i: number, rateRps: number) =>
      makeShard({ samples: latencySamples(50, i + 1), startMs: T0, shard: { index: i, count: 2 }, rateRps, seed: 1 + i });
    expect(() => merge(bare(0, 50), bare(1, 50))).not.toThrow();
    expect(() => merge(bare(0, 50), bare(1, 80))).toThrow(/shard-1\.json ran --rate 80 where shard-0\.json ran 50/);
  });
});
