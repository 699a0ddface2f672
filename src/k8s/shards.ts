// The shard arithmetic of a distributed load: shard i of N (an Indexed Job's pod, or one of N generator
// processes) takes 1/N of the arrival rate, or its share of the connections, and a seed of its own, so the
// shards together apply exactly the load asked for and never replay the same arrival schedule.

import { OptionError } from '../errors.js';

/** Shard `index` (0-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** The whole load, before it is split: an open loop's rate or a closed loop's connections, and the base seed. */
export interface TotalLoad {
  rateRps?: number;
  connections?: number;
  seed: number;
}

/** What one shard applies. */
export interface ShardLoad {
  rateRps?: number;
  connections?: number;
  seed: number;
}

/** Seeds are 32-bit (as `--seed`): base + i wraps around rather than leaving the range. */
const SEED_RANGE = 2 ** 32;

/** 'i/N' (as `--shard` takes it, e.g. `$(JOB_COMPLETION_INDEX)/4`), with 0 <= i < N. */
export function parseShardSpec(option: string, raw: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (m === null) throw new OptionError(option, `expected i/N such as 0/4 (shard i of N, counted from 0); got '${raw}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 10_000) throw new OptionError(option, `N must be between 1 and 10000, got ${count}`);
  if (index >= count) throw new OptionError(option, `i must be between 0 and ${count - 1} (shards are counted from 0), got ${index}`);
  return { index, count };
}

/**
 * Connections split so they add up to exactly `total`: each shard gets floor(total / count), and the first
 * total mod count shards one more. Every shard needs at least one connection.
 */
export function splitConnections(total: number, count: number): number[] {
  checkCount(count);
  if (!Number.isInteger(total) || total < count) {
    throw new OptionError('--shards', `each shard needs at least one connection: ${total} connection(s) cannot be split over ${count} shards`);
  }
  const base = Math.floor(total / count);
  const extra = total % count;
  return Array.from({ length: count }, (_, i) => base + (i < extra ? 1 : 0));
}

/** An arrival rate split evenly: rate / count each (Poisson streams of rate r/N add up to one of rate r). */
export function splitRate(totalRps: number, count: number): number[] {
  checkCount(count);
  if (!(totalRps > 0)) throw new OptionError('--rate', `must be above 0 to be split over shards, got ${totalRps}`);
  return Array.from({ length: count }, () => totalRps / count);
}

/** The load shard `index` of `count` applies: its share of the rate or connections, and seed base + index. */
export function shardLoad(total: TotalLoad, shard: ShardSpec): ShardLoad {
  checkCount(shard.count);
  if (!Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new OptionError('--shard', `i must be between 0 and ${shard.count - 1}, got ${shard.index}`);
  }
  const seed = (total.seed + shard.index) % SEED_RANGE;
  const out: ShardLoad = { seed };
  if (total.rateRps !== undefined) out.rateRps = splitRate(total.rateRps, shard.count)[shard.index]!;
  if (total.connections !== undefined) out.connections = splitConnections(total.connections, shard.count)[shard.index]!;
  return out;
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new OptionError('--shards', `must be an integer between 1 and 10000, got ${count}`);
}
