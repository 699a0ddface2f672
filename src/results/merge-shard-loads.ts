// The shard settings check of a merge: the shards of one distributed load split one whole load (`--shard i/N`
// with the same --rate or --connections and --seed), so each must hold its share of it: rate R/N each, or the
// connections split as floor(C/N) with the first C mod N one more, and seed base + i. Shards that split other
// loads, or replay another shard's arrivals, are refused with the file and the difference (SB_ERR_INPUT: exit 2).
// The arithmetic is src/k8s/shards.ts's, restated here because results/ imports nothing above it.

import { ServebenchError } from '../errors.js';
import type { LoadOptionsEcho, ShardTotal } from './load-options.js';

/** One shard as the check needs it: its file and its options (`shard` set). */
interface ShardOptions {
  file: string;
  options: LoadOptionsEcho;
}

const SEED_RANGE = 2 ** 32;

const refuse = (message: string) => new ServebenchError('SB_ERR_INPUT', message);

const show = (t: ShardTotal | undefined) =>
  t === undefined
    ? 'not recorded'
    : [t.rateRps === undefined ? '' : `--rate ${t.rateRps}`, t.connections === undefined ? '' : `--connections ${t.connections}`, `--seed ${t.seed}`]
        .filter((x) => x !== '')
        .join(' ');

/** The base seed a shard's seed came from: seed - index, modulo 2^32 (as shards.ts adds it). */
function baseSeed(o: LoadOptionsEcho): number {
  const index = o.shard?.index ?? 0;
  return (((o.seed - index) % SEED_RANGE) + SEED_RANGE) % SEED_RANGE;
}

/** Shard `index` of `count`'s share of `total` connections. */
function connectionShare(total: number, index: number, count: number): number {
  return Math.floor(total / count) + (index < total % count ? 1 : 0);
}

/** The share a shard should hold of its recorded whole load; a refusal when it holds another. */
function checkShare(s: ShardOptions, total: ShardTotal): void {
  const { index, count } = s.options.shard!;
  const own = s.options;
  if (baseSeed(own) !== total.seed)
    throw refuse(`${s.file} is shard ${index}/${count} of --seed ${total.seed}, but ran seed ${own.seed}, not ${total.seed} + ${index}`);
  if (total.rateRps !== undefined && Math.abs((own.rateRps ?? Number.NaN) - total.rateRps / count) > 1e-9 * total.rateRps) {
    throw refuse(
      `${s.file} is shard ${index}/${count} of --rate ${total.rateRps}, but ran --rate ${own.rateRps ?? 'not set'}, not its share ${total.rateRps / count}`,
    );
  }
  if (total.connections !== undefined && own.connections !== connectionShare(total.connections, index, count)) {
    const share = connectionShare(total.connections, index, count);
    throw refuse(
      `${s.file} is shard ${index}/${count} of --connections ${total.connections}, but ran ${own.connections ?? 'no'} connection(s), not its share ${share}`,
    );
  }
}

/** Without a recorded whole: the shares must still be alike (one rate each; connections differing by at most one). */
function checkAlike(shards: readonly ShardOptions[]): void {
  const first = shards[0]!;
  for (const s of shards.slice(1)) {
    const a = first.options;
    const b = s.options;
    if (a.rateRps !== undefined && b.rateRps !== a.rateRps) {
      throw refuse(`${s.file} ran --rate ${b.rateRps ?? 'not set'} where ${first.file} ran ${a.rateRps}: the shards of one load each take R/N`);
    }
    if (a.connections !== undefined && b.connections !== undefined && Math.abs(a.connections - b.connections) > 1) {
      throw refuse(`${s.file} ran ${b.connections} connection(s) where ${first.file} ran ${a.connections}: the shards of one load differ by one at most`);
    }
  }
}

/**
 * Refuses shards that did not split one load: another whole load recorded, a share that is not the shard's,
 * or another base seed (seed - index), which would replay other arrivals. `shards` all have `options.shard`.
 */
export function checkShardLoads(shards: readonly ShardOptions[]): void {
  const first = shards[0];
  if (first === undefined || first.options.shard === undefined) return;
  const base = baseSeed(first.options);
  for (const s of shards.slice(1)) {
    const seed = baseSeed(s.options);
    if (seed !== base) {
      throw refuse(
        `${s.file} is shard ${s.options.shard!.index} with --seed base ${seed} (its seed ${s.options.seed} - its index), ` +
          `${first.file} has base ${base}: shards of one load share the base seed`,
      );
    }
  }
  const totals = shards.map((s) => s.options.shard!.total);
  const recorded = totals.filter((t) => t !== undefined).length;
  if (recorded === 0) {
    checkAlike(shards);
    return;
  }
  shards.forEach((s, i) => {
    const t = totals[i];
    if (JSON.stringify(t) !== JSON.stringify(totals[0])) {
      throw refuse(`${s.file} is a shard of another load: ${show(t)} here, ${show(totals[0])} in ${first.file}`);
    }
    checkShare(s, t!);
  });
}
