// The checks before a merge: every input is a load result, and every shard ran the same load against the
// same target with the same settings. A refusal names the file and the difference (SB_ERR_INPUT: exit 2).

import { ServebenchError } from '../errors.js';
import type { ResultEnvelope, ResultKind } from './envelope.js';
import type { LoadConfiguration, LoadData, LoadOptionsEcho, LoadRun } from './load.js';
import { checkShardLoads } from './merge-shard-loads.js';
import { EXPERIMENT_SCENARIOS, isOneOf } from './vocab.js';

/** One file given to the merge, as read. */
export interface MergeInput {
  file: string;
  result: ResultEnvelope<ResultKind, unknown>;
}

/** A load result accepted for the merge, with its place among the shards. */
export interface LoadShard {
  file: string;
  result: ResultEnvelope<'load', LoadData>;
  /** Its `options.shard.index`, else its position among the inputs. */
  index: number;
}

const refuse = (message: string) => new ServebenchError('SB_ERR_INPUT', message);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The fields a run needs before it can be merged, by state. */
const RUN_FIELDS: Record<LoadRun['state'], Record<string, 'string' | 'number' | 'object' | 'array'>> = {
  completed: {
    warmupMs: 'number',
    windowMs: 'number',
    requests: 'object',
    failures: 'object',
    rps: 'number',
    rpsSeries: 'array',
    latencyUs: 'object',
    latencySeries: 'array',
    generator: 'object',
    validity: 'object',
  },
  errored: { error: 'object' },
  skipped: { reason: 'string' },
};

function checkField(v: unknown, kind: 'string' | 'number' | 'object' | 'array'): boolean {
  if (kind === 'array') return Array.isArray(v);
  if (kind === 'object') return isObject(v);
  return typeof v === kind;
}

function checkRun(file: string, run: unknown, i: number): void {
  const where = `${file} is not a load result: data.runs[${i}]`;
  if (!isObject(run)) throw refuse(`${where} is not an object`);
  const step = run.step;
  if (typeof run.configId !== 'string' || typeof run.scenario !== 'string' || typeof run.repeat !== 'number')
    throw refuse(`${where} lacks its configId, scenario or repeat`);
  if (!isObject(step) || typeof step.index !== 'number' || typeof step.label !== 'string' || typeof step.load !== 'number')
    throw refuse(`${where} has no step { index, label, load }`);
  if (!isObject(run.load) || (run.load.kind !== 'open' && run.load.kind !== 'closed')) throw refuse(`${where} has no load shape (open or closed)`);
  const state = run.state;
  if (state !== 'completed' && state !== 'errored' && state !== 'skipped') throw refuse(`${where} has an unknown state '${String(state)}'`);
  for (const [field, kind] of Object.entries(RUN_FIELDS[state])) {
    if (!checkField(run[field], kind)) throw refuse(`${where} (${state}) lacks ${field} (${kind})`);
  }
}

/** The input as a load result, or a refusal naming the file and what it is instead. */
export function asLoadResult(input: MergeInput): ResultEnvelope<'load', LoadData> {
  const { file, result } = input;
  if (result.kind !== 'load') {
    throw refuse(`${file} is a ${result.kind} result, not a load result: servebench merge takes the load.json of each shard`);
  }
  const data = result.data;
  if (!isObject(data)) throw refuse(`${file} is not a load result: its data is not an object`);
  if (!isObject(data.options)) throw refuse(`${file} is not a load result: it has no data.options`);
  if (!Array.isArray(data.runs)) throw refuse(`${file} is not a load result: it has no data.runs list`);
  if (!Array.isArray(data.configurations)) throw refuse(`${file} is not a load result: it has no data.configurations list`);
  for (const [i, run] of data.runs.entries()) checkRun(file, run, i);
  const d = data as unknown as LoadData;
  const experiment = d.options.scenarios?.find((s) => isOneOf(EXPERIMENT_SCENARIOS, s));
  if (experiment !== undefined || d.queueWorkers !== undefined || d.autoscale !== undefined) {
    throw refuse(`${file} holds the ${experiment ?? 'experiment'} experiment, which starts systems of its own: only loads of one target can be merged`);
  }
  return result as ResultEnvelope<'load', LoadData>;
}

/** The settings every shard must share (the rate, the connections and the seed are each shard's own). */
const SHARED_SETTINGS = [
  'target',
  'engine',
  'scenarios',
  'repeats',
  'quick',
  'durationMs',
  'warmupMs',
  'timeoutMs',
  'amount',
  'latencyGoalP99Us',
  'errorBudget',
] as const satisfies readonly (keyof LoadOptionsEcho)[];

const show = (v: unknown) => (v === undefined ? 'not set' : JSON.stringify(v));

function loopOf(o: LoadOptionsEcho): string {
  if (o.rateRps !== undefined) return 'an open loop (--rate)';
  if (o.connections !== undefined) return 'a closed loop (--connections)';
  return "each scenario's own load";
}

/** The configuration facts shards must share: the URL loaded and the system's description. */
function configFacts(c: LoadConfiguration): Record<string, unknown> {
  return { url: c.url, path: c.path, topology: c.topology, predict: c.predict, workers: c.workers, modelWorkers: c.modelWorkers };
}

/** Refuses a shard whose target, settings or configurations differ from the first's, naming both files. */
function checkSameSettings(first: LoadShard, other: LoadShard): void {
  const a = first.result.data.options;
  const b = other.result.data.options;
  const there = `(${first.file})`;
  if (a.target !== b.target) throw refuse(`${other.file} loaded another target: ${show(b.target)} here, ${show(a.target)} in ${first.file}`);
  if (loopOf(a) !== loopOf(b)) throw refuse(`${other.file} ran ${loopOf(b)}, the first shard ${there} ${loopOf(a)}`);
  for (const key of SHARED_SETTINGS) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) {
      throw refuse(`${other.file} ran with other settings: ${key} is ${show(b[key])} here and ${show(a[key])} in the first shard ${there}`);
    }
  }
  const idsA = first.result.data.configurations.map((c) => c.id);
  const idsB = other.result.data.configurations.map((c) => c.id);
  if (JSON.stringify(idsA) !== JSON.stringify(idsB)) {
    throw refuse(`${other.file} loaded other configurations: ${idsB.join(', ') || 'none'} here, ${idsA.join(', ') || 'none'} in ${first.file}`);
  }
  first.result.data.configurations.forEach((ca, i) => {
    const cb = other.result.data.configurations[i]!;
    const fa = configFacts(ca);
    const fb = configFacts(cb);
    for (const key of Object.keys(fa)) {
      if (JSON.stringify(fa[key]) !== JSON.stringify(fb[key])) {
        throw refuse(`${other.file} loaded another system: configuration ${ca.id} has ${key} ${show(fb[key])} here, ${show(fa[key])} in ${first.file}`);
      }
    }
  });
}

/** The shards in index order: from `options.shard` when every file has it, else in the order given. */
export function orderShards(results: readonly { file: string; result: ResultEnvelope<'load', LoadData> }[]): { shards: LoadShard[]; count: number } {
  const echoes = results.map((r) => r.result.data.options.shard);
  const withEcho = echoes.filter((e) => e !== undefined).length;
  if (withEcho > 0 && withEcho < results.length) {
    const bare = results[echoes.indexOf(undefined)]!.file;
    const named = results[echoes.findIndex((e) => e !== undefined)]!.file;
    throw refuse(`${bare} is not a shard (no options.shard), but ${named} is: merge the shards of one distributed load`);
  }
  const seen = new Map<string, string>();
  for (const r of results) {
    const key = `${r.result.createdAt}|${r.result.data.runs[0]?.startedAt ?? ''}|${JSON.stringify(r.result.data.options)}`;
    const twin = seen.get(key);
    if (twin !== undefined) throw refuse(`${r.file} is the same result as ${twin}: each shard must be given once`);
    seen.set(key, r.file);
  }
  let count = results.length;
  const shards: LoadShard[] = results.map((r, i) => ({ ...r, index: echoes[i]?.index ?? i }));
  if (withEcho > 0) {
    count = echoes[0]!.count;
    const byIndex = new Map<number, string>();
    for (const s of shards) {
      const echo = s.result.data.options.shard!;
      if (echo.count !== count) throw refuse(`${s.file} is shard ${echo.index}/${echo.count}, but ${shards[0]!.file} is one of ${count} shards`);
      const twin = byIndex.get(echo.index);
      if (twin !== undefined) throw refuse(`${s.file} is shard ${echo.index}/${count} again (as ${twin}): each shard must be given once`);
      byIndex.set(echo.index, s.file);
    }
    shards.sort((x, y) => x.index - y.index);
  }
  for (const s of shards.slice(1)) checkSameSettings(shards[0]!, s);
  if (withEcho > 0) checkShardLoads(shards.map((s) => ({ file: s.file, options: s.result.data.options })));
  return { shards, count };
}
