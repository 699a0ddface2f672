// The shard arithmetic of a distributed load, and the Indexed Job that applies it: shard i of N takes rate R/N
// (or its share of the connections, the first C mod N shards one more) and seed base + i; the shards add up
// to the load asked for. The Job's pods, with $(JOB_COMPLETION_INDEX) filled in as the kubelet does, ask for
// exactly those shards.

import { describe, expect, it } from 'vitest';
import { parseShardSpec, shardLoad, splitConnections, splitRate } from '../src/k8s/shards.js';
import { manifestsOf, named } from './k8s-fixtures.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('shard arithmetic', () => {
  it('connections add up exactly, the first C mod N shards taking one more', () => {
    for (const [c, n] of [
      [10, 3],
      [8, 4],
      [7, 7],
      [1000, 7],
      [13, 5],
    ] as const) {
      const parts = splitConnections(c, n);
      expect(parts).toHaveLength(n);
      expect(sum(parts)).toBe(c);
      const extra = c % n;
      parts.forEach((p, i) => expect(p).toBe(Math.floor(c / n) + (i < extra ? 1 : 0)));
    }
    expect(() => splitConnections(3, 4)).toThrow(/--shards: each shard needs at least one connection/);
  });

  it('a rate splits evenly and adds up to the rate asked for', () => {
    for (const [r, n] of [
      [100, 3],
      [250.5, 4],
      [1, 7],
      [999_999, 13],
    ] as const) {
      const parts = splitRate(r, n);
      expect(parts).toHaveLength(n);
      expect(sum(parts)).toBeCloseTo(r, 9);
      for (const p of parts) expect(p).toBe(r / n);
    }
  });

  it('each shard gets its own seed, base + i (wrapping at 2^32)', () => {
    const seeds = [0, 1, 2, 3].map((i) => shardLoad({ rateRps: 40, seed: 7 }, { index: i, count: 4 }).seed);
    expect(seeds).toEqual([7, 8, 9, 10]);
    expect(shardLoad({ connections: 4, seed: 0xffffffff }, { index: 1, count: 2 }).seed).toBe(0);
    expect(shardLoad({ connections: 10, seed: 1 }, { index: 0, count: 3 })).toEqual({ connections: 4, seed: 1 });
  });

  it('parses i/N and refuses what is not a shard', () => {
    expect(parseShardSpec('--shard', '2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShardSpec('--shard', '4/4')).toThrow(/--shard: i must be between 0 and 3/);
    expect(() => parseShardSpec('--shard', '1/0')).toThrow(/--shard: N must be between 1 and 10000/);
    expect(() => parseShardSpec('--shard', 'two/4')).toThrow(/--shard: expected i\/N/);
  });
});

/** The value after `flag` in a pod's arguments. */
const flagValue = (args: string[], flag: string) => args[args.indexOf(flag) + 1]!;

describe('the Indexed Job applies the shards', () => {
  for (const [what, over, total] of [
    ['an open loop', { rate: '300', shards: '7' }, { rateRps: 300 }],
    ['a closed loop', { connections: '10', shards: '3' }, { connections: 10 }],
  ] as const) {
    it(`${what}: N pods whose shards add up to the load asked for`, () => {
      const job = named(manifestsOf({ load: true, loadSeed: '5', ...over }), 'Job', 'servebench-load')!;
      const n = Number(over.shards);
      expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: n, parallelism: n });
      const args = job.spec.template.spec.containers[0].args as string[];
      expect(args.slice(0, 3)).toEqual(['load', '--target', 'http://scoring:8080/score']);
      expect(flagValue(args, '--shard')).toBe(`$(JOB_COMPLETION_INDEX)/${n}`);
      // What pod i asks for once the kubelet fills in its index, and what load --shard makes of it.
      const shards = Array.from({ length: n }, (_, i) => {
        const spec = parseShardSpec('--shard', flagValue(args, '--shard').replace('$(JOB_COMPLETION_INDEX)', String(i)));
        const whole = {
          seed: Number(flagValue(args, '--seed')),
          ...('rateRps' in total ? { rateRps: Number(flagValue(args, '--rate')) } : { connections: Number(flagValue(args, '--connections')) }),
        };
        return shardLoad(whole, spec);
      });
      expect(shards.map((s) => s.seed)).toEqual(Array.from({ length: n }, (_, i) => 5 + i));
      if ('rateRps' in total) expect(sum(shards.map((s) => s.rateRps!))).toBeCloseTo(total.rateRps, 9);
      else expect(sum(shards.map((s) => s.connections!))).toBe(total.connections);
    });
  }
});
