// The distributed load: an Indexed Job of N pods (completionMode Indexed, completions = parallelism = N);
// pod i runs `servebench load --target http://scoring:PORT/score --shard i/N ...`, which takes its share
// of the rate or connections and seed base + i (shards.ts). Each pod prints its load.json on stdout when
// done (`kubectl logs`), for `servebench merge`. An init container waits until the system answers.

import { Job } from 'kubernetes-models/batch/v1/Job';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { SERVING_DEFAULTS } from '../serving/index.js';
import { labelsFor, LOAD_JOB, metadataFor, selectorFor } from './labels.js';
import { servicePort } from './serve-args.js';
import { K8S_DEFAULTS, RESOURCES, type K8sSettings, type LoadJobSettings } from './settings.js';
import { resourcesFor } from './workloads.js';

/**
 * The load pod's shell: the load's table and progress go to stderr, then its load.json alone to stdout, once the
 * load has exited (so no progress line lands inside the JSON). A failed run's file is printed too (kept, marked).
 */
const SHARD_SCRIPT = [
  `node ${K8S_DEFAULTS.appDir}/bin/servebench.js "$@" >&2; code=$?;`,
  `if [ -f ${K8S_DEFAULTS.resultsDir}/load.json ]; then cat ${K8S_DEFAULTS.resultsDir}/load.json; fi; exit $code`,
].join(' ');

/** Seconds the load waits for the system before its pod gives up (and fails). */
const WAIT_SECONDS = 600;

/** Polls the URLs in SERVEBENCH_WAIT_FOR (comma-separated) until every one answers 2xx, or SERVEBENCH_WAIT_SECONDS pass. */
const WAIT_SCRIPT = [
  "const urls = (process.env.SERVEBENCH_WAIT_FOR ?? '').split(',').filter(Boolean);",
  'const until = Date.now() + Number(process.env.SERVEBENCH_WAIT_SECONDS) * 1000;',
  'const ok = async (u) => { try { return (await fetch(u, { signal: AbortSignal.timeout(2000) })).ok; } catch { return false; } };',
  '(async () => { for (;;) { const r = await Promise.all(urls.map(ok)); if (r.every(Boolean)) return;',
  "const down = urls.filter((_, i) => !r[i]).join(' ');",
  "if (Date.now() > until) { console.error('gave up waiting for ' + down); process.exit(1); }",
  "console.error('waiting for ' + down); await new Promise((f) => setTimeout(f, 1000)); } })();",
].join(' ');

/** The scoring endpoint the shards load. */
function scoringUrl(s: K8sSettings): string {
  return `http://scoring:${servicePort(s, 'scoring')}/score`;
}

/** Request bodies spread evenly over the store's entities: {"entity":"e0"}, ... */
function bodies(s: K8sSettings): string[] {
  const entities = s.serve.entities ?? SERVING_DEFAULTS.entities;
  const n = Math.min(K8S_DEFAULTS.loadBodies, entities);
  return Array.from({ length: n }, (_, j) => JSON.stringify({ entity: `e${Math.floor((j * entities) / n)}` }));
}

/** `servebench load` arguments of every shard; $(JOB_COMPLETION_INDEX) is filled in by the kubelet. */
function loadArgs(s: K8sSettings, load: LoadJobSettings): string[] {
  const args = ['load', '--target', scoringUrl(s), '--shard', `$(JOB_COMPLETION_INDEX)/${load.shards}`];
  if (load.rateRps !== undefined) args.push('--rate', String(load.rateRps));
  if (load.connections !== undefined) args.push('--connections', String(load.connections));
  args.push('--seed', String(load.seed));
  if (load.scenarios !== undefined) args.push('--scenario', load.scenarios.join(','));
  if (load.durationMs !== undefined) args.push('--duration', `${load.durationMs}ms`);
  if (load.warmupMs !== undefined) args.push('--warmup', `${load.warmupMs}ms`);
  for (const body of bodies(s)) args.push('--body', body);
  args.push('--out', K8S_DEFAULTS.resultsDir);
  return args;
}

/** The health URLs the load waits for: the scoring handler, and the model APIs it calls. */
function waitUrls(s: K8sSettings): string[] {
  const port = K8S_DEFAULTS.port;
  const models = s.serve.path === 'queue' ? [] : [`http://model-a:${port}/health`, `http://model-b:${port}/health`];
  return [`http://scoring:${servicePort(s, 'scoring')}/health`, ...models];
}

export function loadJob(s: K8sSettings, load: LoadJobSettings): Job {
  const security = { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000 };
  const wait: IContainer = {
    name: 'wait-for-system',
    image: s.image,
    command: ['node', '-e', WAIT_SCRIPT],
    env: [
      { name: 'SERVEBENCH_WAIT_FOR', value: waitUrls(s).join(',') },
      { name: 'SERVEBENCH_WAIT_SECONDS', value: String(WAIT_SECONDS) },
    ],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    securityContext: security,
  };
  const shard: IContainer = {
    name: 'load',
    image: s.image,
    command: ['/bin/sh', '-c', SHARD_SCRIPT, 'servebench-load'],
    args: loadArgs(s, load),
    // Set by the Job controller on Indexed Jobs too; declared here so $(JOB_COMPLETION_INDEX) expands on any version.
    env: [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }],
    resources: resourcesFor(RESOURCES.load, 1),
    volumeMounts: [{ name: 'results', mountPath: K8S_DEFAULTS.resultsDir }],
    securityContext: security,
  };
  return new Job({
    metadata: metadataFor(s, LOAD_JOB, 'load'),
    spec: {
      completionMode: 'Indexed',
      completions: load.shards,
      parallelism: load.shards,
      // A shard re-run later would not load at the same time as the others: a failed index stays failed
      // (its result is still printed, and merge keeps it, marked), and the other shards run on.
      backoffLimitPerIndex: 0,
      template: {
        metadata: { labels: labelsFor('load') },
        spec: {
          restartPolicy: 'Never',
          // Generators on different nodes, where there are enough: one node's cores are what sharding gets around.
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selectorFor('load') } } },
              ],
            },
          },
          initContainers: [wait],
          containers: [shard],
          volumes: [{ name: 'results', emptyDir: {} }],
        },
      },
    },
  });
}
