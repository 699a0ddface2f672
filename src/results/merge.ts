// Merging load results exactly: the shards of a distributed load (`servebench merge`, the pods of an
// Indexed Job) or N generator processes on one host. Per (configuration, scenario, step, repeat) the HDR
// histograms are added, counts and failures summed, rps summed (the shards ran at the same time), the
// series aligned by wall clock, and validity kept per shard and for the whole (valid only if every shard is).
// Pure: the caller reads the files and recomputes the summaries (`summarise`, from the load suite).

import type { Flag } from './common.js';
import type { EnvBlock } from './env.js';
import type { LoadData, LoadOptionsEcho, LoadRun, LoadSummary } from './load.js';
import { asLoadResult, orderShards, type LoadShard, type MergeInput } from './merge-checks.js';
import { labelTemplate, mergeRunGroup, type MergedRun, type ShardRun } from './merge-run.js';
import { ServebenchError } from '../errors.js';

export type { MergeInput } from './merge-checks.js';
export type { MergedRun } from './merge-run.js';

/** One input file, as the merged result lists it. */
interface MergedShard {
  file: string;
  index: number;
  /** Shards the distributed load had (options.shard.count), when the file says. */
  count?: number;
  seed: number;
  rateRps?: number;
  connections?: number;
  createdAt: string;
  hostname?: string;
  runs: { completed: number; errored: number; skipped: number; invalid: number };
  /** Every run of the shard completed and valid, and it was not interrupted. */
  valid: boolean;
  interrupted: boolean;
}

interface MergeInfo {
  shards: MergedShard[];
  /** Shard indexes of the distributed load that were not given. */
  missing: number[];
  /** Every merged run valid, no shard missing, none interrupted. */
  valid: boolean;
  /** How the shards' series were put on one time line. */
  alignment: string;
  /** The environment block of the merged file is the first shard's; each shard's is in its own file. */
  env: string;
}

export interface MergedLoadData extends LoadData {
  runs: MergedRun[];
  merged: MergeInfo;
}

export interface MergeOptions {
  /** Summaries of the merged runs (the load suite's `summarise`: results imports nothing above it). */
  summarise: (runs: readonly LoadRun[]) => LoadSummary[];
}

const ALIGNMENT =
  "each run's shards are put on one wall-clock time line: a shard's measured window starts at its run's startedAt plus its warm-up; " +
  'the per-second series are added at whole-second offsets and the latency bins at the nearest bin. ' +
  "The hosts' clocks are taken as in sync (NTP), and offsets under a second are not resolved in the series.";

const SEED_RANGE = 2 ** 32;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Runs of the shards grouped by (configuration, scenario, step index, repeat), in first-seen order. */
function groupRuns(shards: readonly LoadShard[], missing: readonly number[]): ShardRun[][] {
  const keyOf = (r: LoadRun) => `${r.configId}\u0000${r.scenario}\u0000${r.step.index}\u0000${r.repeat}`;
  const groups = new Map<string, (LoadRun | undefined)[]>();
  shards.forEach((s, si) => {
    for (const r of s.result.data.runs) {
      const key = keyOf(r);
      const g = groups.get(key) ?? new Array<LoadRun | undefined>(shards.length).fill(undefined);
      const other = g.find((x) => x !== undefined);
      if (g[si] !== undefined) throw new ServebenchError('SB_ERR_INPUT', `${s.file} has two runs of ${r.id}: it is not one load's result`);
      if (other !== undefined && (labelTemplate(other) !== labelTemplate(r) || other.step.loadUnit !== r.step.loadUnit || other.load.kind !== r.load.kind)) {
        throw new ServebenchError('SB_ERR_INPUT', `${s.file} ran another step: ${r.id} here where another shard ran ${other.id}`);
      }
      g[si] = r;
      groups.set(key, g);
    }
  });
  const absent: ShardRun[] = missing.map((shard) => ({ shard, file: '(not given)', run: undefined }));
  return [...groups.values()].map((g) => [...g.map((run, si) => ({ shard: shards[si]!.index, file: shards[si]!.file, run })), ...absent]);
}

function describeShard(s: LoadShard): MergedShard {
  const d = s.result.data;
  const states = (st: LoadRun['state']) => d.runs.filter((r) => r.state === st).length;
  const invalid = d.runs.filter((r) => !r.valid).length;
  const hostname = (s.result.env as Partial<EnvBlock> | undefined)?.host?.hostname;
  return {
    file: s.file,
    index: s.index,
    ...(d.options.shard === undefined ? {} : { count: d.options.shard.count }),
    seed: d.options.seed,
    ...(d.options.rateRps === undefined ? {} : { rateRps: d.options.rateRps }),
    ...(d.options.connections === undefined ? {} : { connections: d.options.connections }),
    createdAt: s.result.createdAt,
    ...(hostname === undefined ? {} : { hostname }),
    runs: { completed: states('completed'), errored: states('errored'), skipped: states('skipped'), invalid },
    valid: invalid === 0 && d.interrupted !== true,
    interrupted: d.interrupted === true,
  };
}

/** The options of the whole: the shards' rates and connections added, the base seed, no shard. */
function mergedOptions(shards: readonly LoadShard[]): LoadOptionsEcho {
  const { shard: _shard, ...first } = shards[0]!.result.data.options;
  const all = shards.map((s) => s.result.data.options);
  const rates = all.flatMap((o) => (o.rateRps === undefined ? [] : [o.rateRps]));
  const conns = all.flatMap((o) => (o.connections === undefined ? [] : [o.connections]));
  const lowest = shards[0]!;
  const seed =
    (((lowest.result.data.options.seed - (lowest.result.data.options.shard === undefined ? 0 : lowest.index)) % SEED_RANGE) + SEED_RANGE) % SEED_RANGE;
  return {
    ...first,
    seed,
    ...(rates.length === 0 ? {} : { rateRps: Math.round(sum(rates) * 1e6) / 1e6 }),
    ...(conns.length === 0 ? {} : { connections: sum(conns) }),
  };
}

function mergedFlags(shards: readonly LoadShard[], runs: readonly MergedRun[], missing: readonly number[], count: number): Flag[] {
  const flags: Flag[] = shards.flatMap((s) => s.result.data.flags.map((f) => ({ ...f, subject: `shard ${s.index} (${s.file}): ${f.subject}` })));
  for (const r of runs) {
    if (r.state === 'errored') flags.push({ subject: `load:${r.id}`, kind: 'errored', message: r.error.message });
    else if (r.state === 'completed' && !r.valid) flags.push({ subject: `load:${r.id}`, kind: 'invalid', message: r.validity.reasons.join('; ') });
  }
  if (missing.length > 0) {
    flags.push({
      subject: 'merge',
      kind: 'incomplete',
      message: `shard(s) ${missing.join(', ')} of ${count} were not given: the merged load is ${count - missing.length}/${count} of the one asked for`,
    });
  }
  const verdicts = shards.filter((s) =>
    [s.result.data.ramps, s.result.data.stresses, s.result.data.comparisons, s.result.data.goals].some((l) => l.length > 0),
  );
  if (verdicts.length > 0) {
    flags.push({
      subject: 'merge',
      kind: 'not-merged',
      message: "ramp, stress, comparison and goal verdicts are each shard's own (each judged its share of the load): read them in the shard files",
    });
  }
  return flags;
}

/** Merge the load results of the shards of one distributed load; refuses (SB_ERR_INPUT) what cannot be merged. */
export function mergeLoadResults(inputs: readonly MergeInput[], options: MergeOptions): { data: MergedLoadData; env: EnvBlock } {
  if (inputs.length === 0) throw new ServebenchError('SB_ERR_INPUT', 'nothing to merge: give the load results of the shards');
  const loads = inputs.map((i) => ({ file: i.file, result: asLoadResult(i) }));
  const { shards, count } = orderShards(loads);
  const given = new Set(shards.map((s) => s.index));
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !given.has(i));
  const runs = groupRuns(shards, missing).map(mergeRunGroup);
  const described = shards.map(describeShard);
  const first = shards[0]!.result.data;
  const data: MergedLoadData = {
    options: mergedOptions(shards),
    validityRules: first.validityRules,
    fdLimit: first.fdLimit,
    configurations: first.configurations,
    runs,
    summaries: options.summarise(runs),
    ramps: [],
    stresses: [],
    comparisons: [],
    goals: [],
    flags: mergedFlags(shards, runs, missing, count),
    durationMs: Math.max(...shards.map((s) => s.result.data.durationMs)),
    interrupted: shards.some((s) => s.result.data.interrupted === true),
    merged: {
      shards: described,
      missing,
      valid: missing.length === 0 && runs.every((r) => r.valid) && described.every((s) => !s.interrupted),
      alignment: ALIGNMENT,
      env: `the env block is ${shards[0]!.file}'s (shard ${shards[0]!.index}); each shard's own is in its file`,
    },
  };
  return { data, env: shards[0]!.result.env };
}
