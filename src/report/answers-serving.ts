// The answers about serving: sync vs async and where the gap comes from (the load and profile suites), a
// Redis queue with 1 vs 2 model workers, and the emulated autoscaler (the experiments suite). Plain sentences
// with this run's figures; a part that did not run says so.

import type { BenchData } from '../results/bench.js';
import type { LoadComparison, LoadData, LoadRun, LoadSummary } from '../results/load.js';
import type { ProfileCase, ProfileData } from '../results/profile.js';
import { type Answer, cap, SECTION_TITLES } from './answer.js';
import { PUBLISHED } from './citations.js';
import { count, formatNumber, formatUs, plural, sharePercent, times } from './format.js';
import { modelLines } from './load-model.js';
import { primarySummary } from './profile.js';

type CompletedRun = Extract<LoadRun, { state: 'completed' }>;

/** "Features came from Redis (redis-server 7.0.15, started by servebench)", or the embedded store and why. */
function storeWords(l: LoadData): string {
  const fallback = l.options.store?.fallback;
  if (fallback !== undefined) return `Features came from the embedded in-process store (${fallback}).`;
  const store = l.configurations.find((c) => c.store !== undefined)?.store;
  if (store === undefined) return '';
  if (store.kind === 'redis') return `Features came from Redis (${store.detail.replace(/ on 127\.0\.0\.1:\d+/, '').replace(' started', ', started')}).`;
  return `Features came from the embedded in-process store (${store.kind === 'memory' ? 'as asked with --store memory' : store.detail}).`;
}

const summaryAt = (l: LoadData, configId: string, step: string) =>
  l.summaries.find((s) => s.configId === configId && s.scenario === 'request-paths' && s.step === step);

/** "1,054 requests/s" from a summary (its median), with the range over rounds when there were several. */
function rpsWords(s: LoadSummary): string {
  const range = s.rps.repeats > 1 ? ` (${formatNumber(s.rps.min)}..${formatNumber(s.rps.max)} over ${s.rps.repeats} rounds)` : '';
  return `${formatNumber(s.rps.median)} requests/s${range}`;
}

function ratioWords(c: LoadComparison | undefined): string | undefined {
  if (c === undefined || c.perRepeat.length === 0) return undefined;
  const range = c.ratio.repeats > 1 ? ` (${times(c.ratio.min)}..${times(c.ratio.max)})` : '';
  return `${times(c.ratio.median)}${range}`;
}

/** The sync scoring process's own timing of a request: feature read, model A, model B, in all. */
function syncTiming(l: LoadData): string | undefined {
  const r = l.runs.find(
    (x): x is CompletedRun => x.state === 'completed' && x.configId === 'sync/single/io' && x.serverTimingUs !== undefined && x.serverTimingUs.requests > 0,
  );
  const t = r?.serverTimingUs;
  if (t === undefined) return undefined;
  return (
    `By its own timing the sync scoring process spent ${formatUs(t.featureRead)} reading the features, ${formatUs(t.modelA)} on model A, ` +
    `then ${formatUs(t.modelB)} on model B: ${formatUs(t.total)} a request, one request at a time, so about ${formatNumber(1e6 / t.total)} requests/s ` +
    'whatever the load.'
  );
}

/** What the profiles say: the share of the sync thread blocked waiting, and of the async one idle. */
function profileWords(p: ProfileData | undefined): string | undefined {
  if (p === undefined) return undefined;
  const done = p.cases.filter((c): c is Extract<ProfileCase, { state: 'completed' }> => c.state === 'completed' && c.tool !== 'doctor');
  const share = (path: string, group: string) => {
    const c = done.find((x) => x.path === path);
    const s = c === undefined ? undefined : primarySummary(c);
    const g = s?.groups.find((x) => x.group === group);
    return s === undefined || g === undefined ? undefined : { tool: c!.tool, share: g.fraction };
  };
  const blocked = share('sync', 'blocked');
  const idle = share('async', 'idle');
  if (blocked === undefined || idle === undefined) return undefined;
  return (
    `Under ${blocked.tool} the sync scoring thread spent ${sharePercent(blocked.share)} of its samples blocked (Atomics.wait, waiting for a model's ` +
    `answer with every other request queued behind it); the async thread spent ${sharePercent(idle.share)} idle in its event loop, with many ` +
    'requests in flight at once: that wait is where the gap comes from.'
  );
}

/** Question 1: sync vs async, and where the gap comes from. */
export function pathsAnswer(data: BenchData): Answer {
  const l = data.sections.load;
  const base = {
    question: 'Sync or async: which serves more, and where does the gap come from?',
    meaning:
      'The sync path holds its process for the whole request (the feature read, then model A, then model B), so its throughput is one over ' +
      'that time whatever the load, and only more processes raise it. The async path waits for both models at once and serves every ' +
      'other connection meanwhile, so its throughput grows with the connections until the process runs out of CPU.',
    published: `${cap(PUBLISHED.paths)} compared these two architectures with Locust; here each runs as real processes on this host.`,
    sections: [SECTION_TITLES.load, SECTION_TITLES.profile],
  };
  if (l === undefined) return { ...base, sentences: ['Not measured: the load suite did not run.'] };
  const models = modelLines(l);
  const sync = summaryAt(l, 'sync/single/io', 'c=50');
  const async = summaryAt(l, 'async/single/io', 'c=50');
  const sentences: string[] = [];
  if (sync !== undefined && async !== undefined) {
    const ratio = ratioWords(l.comparisons.find((c) => c.id === 'async-vs-sync-single'));
    sentences.push(
      `At 50 connections (io predict: a feature read, then two model APIs of 40-50 ms each) one async process answered ${rpsWords(async)} ` +
        `and one sync process ${rpsWords(sync)}${ratio === undefined ? '' : `: async served ${ratio} what sync did`}; median latency ` +
        `${formatUs(async.latencyP50Us.median)} against ${formatUs(sync.latencyP50Us.median)}.`,
    );
    const cluster = ratioWords(l.comparisons.find((c) => c.id === 'sync-cluster-vs-single'));
    if (cluster !== undefined) sentences.push(`A cluster of sync processes served ${cluster} one sync process.`);
  } else if (models.length > 0) sentences.push(...models.map((m) => `${m.charAt(0).toUpperCase()}${m.slice(1)}`));
  else sentences.push('The request-paths comparison did not run in this load suite.');
  for (const s of [syncTiming(l), profileWords(data.sections.profile), storeWords(l)]) if (s !== undefined && s !== '') sentences.push(s);
  return { ...base, sentences };
}

/** Question 3: a Redis queue in front of 1 vs 2 model workers. */
export function queueAnswer(data: BenchData): Answer {
  const e = data.sections.experiments;
  const q = e?.queueWorkers;
  const base = {
    question: 'A Redis queue in front of the model: what do 1 vs 2 model workers give?',
    meaning:
      'Each request pushes two jobs (model A, model B) of 40-50 ms on a Redis list; one worker takes them one after the other, two side by ' +
      'side. While the jobs list never empties (the workers are busy all the time), throughput grows with the workers and the wait in the ' +
      'list shrinks with them.',
    published: `${cap(PUBLISHED.queue)} measured 9.7 vs 5.8 requests/s with 2 model services: 1.67x.`,
    sections: [SECTION_TITLES.experiments],
  };
  if (e === undefined || q === undefined) return { ...base, sentences: ['Not measured: the experiments suite did not run.'] };
  if (q.skipped !== undefined) return { ...base, sentences: [`Not measured: ${q.skipped}.`] };
  const c = e.comparisons.find((x) => q.comparisonIds.includes(x.id) && x.target.approx !== undefined);
  const sentences: string[] = [];
  const at = c === undefined ? undefined : /(\d+) connections/.exec(c.description)?.[1];
  // A comparison names each side as '<configuration> <step>'.
  const side = (x: string | undefined) => e.summaries.find((s) => s.configId === x?.split(' ')[0] && s.scenario === 'queue-workers' && s.step === `c=${at}`);
  const one = side(c?.denominator);
  const two = side(c?.numerator);
  if (c !== undefined && one !== undefined && two !== undefined) {
    sentences.push(
      `With ${at} users, 2 model workers behind the Redis queue answered ${rpsWords(two)} and one worker ${rpsWords(one)}: ` +
        `${ratioWords(c) ?? '-'} (the two jobs of a request side by side); ` +
        `p99 ${formatUs(two.latencyP99Us.median)} against ${formatUs(one.latencyP99Us.median)}.`,
    );
  }
  const depth = q.depth.filter((x) => x.step === `c=${at}`);
  if (depth.length > 0) {
    sentences.push(
      `Jobs waiting in the list (mean): ${depth.map((x) => `${x.configId.replace('queue/', '')} ${formatNumber(x.meanDepth.median)}`).join(', ')}; ` +
        `workers busy ${depth.map((x) => sharePercent(x.busyShare.median)).join(' and ')} of the time.`,
    );
  }
  if (sentences.length === 0) sentences.push('Too few valid runs to compare.');
  return { ...base, sentences };
}

/** Question 4: autoscaling (an emulation of the HPA's algorithm). */
export function autoscaleAnswer(data: BenchData): Answer {
  const a = data.sections.experiments?.autoscale;
  const base = {
    question: 'Autoscaling: does adding model-server replicas under load help, and what does it cost?',
    meaning:
      "Replicas are real model-server processes behind nginx; a controller applies the Kubernetes HorizontalPodAutoscaler's rule to the " +
      'utilization they report (an emulation of its algorithm with compressed times, not Kubernetes). Scaling up holds latency and failures ' +
      'down while the load lasts, at the cost of replica-seconds; scaling down waits out a stabilization window.',
    published: `${cap(PUBLISHED.autoscale)} saw one replica fail at 75 users while the autoscaled deployment added pods.`,
    sections: [SECTION_TITLES.experiments],
  };
  if (a === undefined) return { ...base, sentences: ['Not measured: the experiments suite did not run.'] };
  if (a.skipped !== undefined || a.hold === null) return { ...base, sentences: [`Not measured: ${a.skipped ?? 'no hold phase to compare'}.`] };
  const auto = a.configurations.find((c) => c.mode === 'autoscaled' && c.state === 'completed');
  const fixed = a.configurations.find((c) => c.mode === 'fixed' && c.state === 'completed');
  const hold = (c: typeof auto) => c?.phases.find((p) => p.phase === a.hold!.phase);
  const ha = hold(auto);
  const hf = hold(fixed);
  const sentences: string[] = [];
  if (ha !== undefined && hf !== undefined) {
    const most = Math.max(...Object.values(ha.replicas).map((r) => r.max));
    sentences.push(
      `Offered ${formatNumber(ha.offeredRps)} requests/s in the ${a.hold.phase} phase, the autoscaled system (up to ${plural(most, 'replica')} per model) ` +
        `answered ${formatNumber(ha.rps)} requests/s with a worst-second p99 of ${formatUs(ha.p99Us)} and ${count(ha.failures)} failures; ` +
        `one fixed replica answered ${formatNumber(hf.rps)} requests/s, p99 ${formatUs(hf.p99Us)}, ${count(hf.failures)} failures.`,
    );
  }
  if (auto !== undefined) {
    const cost = Object.entries(auto.replicaSeconds).map(([svc, v]) => `${svc} ${count(v)}`);
    const first = auto.decisions.find((d) => d.desired > d.currentReplicas);
    sentences.push(
      `${first === undefined ? '' : `The first scale-up came ${(first.atMs / 1000).toFixed(1)} s into the run. `}` +
        `It cost ${cost.join(', ')} replica-seconds over the run.`,
    );
  }
  if (sentences.length === 0) sentences.push('Too few completed systems to compare.');
  return { ...base, sentences };
}
