// `servebench k8s`: Kubernetes manifests for the serving system, from the options of `servebench serve`
// (checked by serve's own parser and the system's own resolver), with an HPA per model API configured like
// the emulation, and with --load an Indexed Job of load shards. One YAML stream on stdout, or with --out DIR
// one file per object and a kustomization.yaml (`kubectl apply -k DIR`). See docs/kubernetes.md.

import type { Command } from 'commander';
import { OptionError, ServebenchError, errorMessage } from '../errors.js';
import { buildManifests, writeManifests, yamlStream } from '../k8s/manifests.js';
import { readModelFiles } from '../k8s/model-files.js';
import { HPA_TIMES, K8S_DEFAULTS, type HpaSettings, type K8sSettings, type LoadJobSettings } from '../k8s/settings.js';
import { splitConnections } from '../k8s/shards.js';
import { parseChoice, parseChoiceList, parseDuration, parseInteger, parseNumber } from '../options.js';
import { progress, warn } from '../progress.js';
import { MATRIX_SCENARIOS, PREDICT_KINDS, REQUEST_PATHS, STORE_KINDS } from '../results/vocab.js';
import { resolveSystemOptions, type SystemOptions } from '../serving/index.js';
import { parseServeOptions, type RawServeOptions } from './serve.js';

interface RawK8sOptions extends Omit<RawServeOptions, 'host' | 'metricsInterval' | 'json' | 'only' | 'modelAUrl' | 'modelBUrl'> {
  image: string;
  namespace?: string;
  minReplicas?: string;
  maxReplicas?: string;
  targetUtilization?: string;
  hpaTimes: string;
  load?: boolean;
  rate?: string;
  connections?: string;
  shards?: string;
  duration?: string;
  warmup?: string;
  scenario?: string;
  loadSeed?: string;
  out?: string;
}

/** Checked as `servebench serve` checks them; a kernel this machine lacks is the image's business (a note). */
function checkLikeServe(o: SystemOptions): string[] {
  // --workers counts pods with --topology single here, which serve's resolver would refuse.
  const asServe: SystemOptions = { ...o, ...(o.topology === 'single' ? { workers: undefined } : {}), port: undefined };
  try {
    resolveSystemOptions(asServe);
    return [];
  } catch (err) {
    if (!(err instanceof ServebenchError) || err.code !== 'SB_ERR_NATIVE' || o.kernel === undefined) throw err;
    resolveSystemOptions({ ...asServe, kernel: undefined });
    return [`${errorMessage(err)}: the pods need an image whose native addon is built (docs/kubernetes.md, WITH_RUST=1)`];
  }
}

/** A share of the CPU request: 60% or 60 (percent), or 0.6 (a fraction: values up to 1). */
function parseUtilization(raw: string): number {
  const text = raw.trim().endsWith('%') ? raw.trim().slice(0, -1) : raw;
  const v = parseNumber('--target-utilization', text);
  const share = v > 1 || raw.trim().endsWith('%') ? v / 100 : v;
  if (!(share > 0) || share > 10) throw new OptionError('--target-utilization', `must be above 0% and at most 1000% of the CPU request, got '${raw}'`);
  return share;
}

function toHpa(raw: RawK8sOptions, serve: SystemOptions): HpaSettings {
  const d = K8S_DEFAULTS.hpa;
  if (raw.modelWorkers !== undefined && raw.minReplicas !== undefined)
    throw new OptionError('--model-workers', "on the queue path it is the model workers' starting (minimum) replicas: give it or --min-replicas, not both");
  const minReplicas = serve.modelWorkers ?? (raw.minReplicas === undefined ? d.minReplicas : parseInteger('--min-replicas', raw.minReplicas, 1, 64));
  const maxReplicas = raw.maxReplicas === undefined ? Math.max(d.maxReplicas, minReplicas) : parseInteger('--max-replicas', raw.maxReplicas, 1, 64);
  if (maxReplicas < minReplicas) {
    const option = serve.modelWorkers === undefined ? '--min-replicas' : '--model-workers';
    throw new OptionError(option, `must be at most --max-replicas (${maxReplicas}), got ${minReplicas}`);
  }
  const targetUtilization = raw.targetUtilization === undefined ? d.targetUtilization : parseUtilization(raw.targetUtilization);
  return { minReplicas, maxReplicas, targetUtilization, times: parseChoice('--hpa-times', raw.hpaTimes, HPA_TIMES) };
}

function toLoad(raw: RawK8sOptions): LoadJobSettings | undefined {
  const loadOnly = { '--rate': raw.rate, '--connections': raw.connections, '--shards': raw.shards, '--duration': raw.duration, '--warmup': raw.warmup };
  const more = { '--scenario': raw.scenario, '--load-seed': raw.loadSeed };
  if (raw.load !== true) {
    for (const [name, v] of Object.entries({ ...loadOnly, ...more })) if (v !== undefined) throw new OptionError(name, 'applies only with --load');
    return undefined;
  }
  if (raw.shards === undefined) throw new OptionError('--shards', "required with --load: the number of load pods (the Indexed Job's completions)");
  if ((raw.rate === undefined) === (raw.connections === undefined))
    throw new OptionError(
      raw.rate === undefined ? '--rate' : '--connections',
      'give one of --rate (open loop, requests/s) or --connections (closed loop) with --load',
    );
  const load: LoadJobSettings = { shards: parseInteger('--shards', raw.shards, 1, 1000), seed: 1 };
  if (raw.rate !== undefined) {
    load.rateRps = parseNumber('--rate', raw.rate);
    if (!(load.rateRps > 0) || load.rateRps > 1_000_000) throw new OptionError('--rate', `must be above 0 and at most 1000000 requests/s, got ${raw.rate}`);
  }
  if (raw.connections !== undefined) {
    load.connections = parseInteger('--connections', raw.connections, 1, 1_000_000);
    splitConnections(load.connections, load.shards);
  }
  if (raw.loadSeed !== undefined) load.seed = parseInteger('--load-seed', raw.loadSeed, 0, 0xffffffff);
  if (raw.duration !== undefined) load.durationMs = parseDuration('--duration', raw.duration, 100, 3_600_000);
  if (raw.warmup !== undefined) load.warmupMs = parseDuration('--warmup', raw.warmup, 0, 600_000);
  if (raw.scenario !== undefined) load.scenarios = parseChoiceList('--scenario', raw.scenario, MATRIX_SCENARIOS);
  return load;
}

/** Every option checked once, here; the manifests are built from the typed settings. */
export function toK8sSettings(raw: RawK8sOptions): { settings: K8sSettings; notes: string[] } {
  const { port, ...serveRaw } = raw;
  const serve = parseServeOptions(serveRaw);
  if (serve.path === 'jobs') throw new OptionError('--path', 'jobs (the asynchronous job API) has no Kubernetes manifests yet; deploy sync, async or queue');
  if (serve.topology === 'nginx') {
    throw new OptionError(
      '--topology',
      'nginx: in Kubernetes the Service balances the pods as nginx balances processes on one host; ' +
        'use single (one process a pod, --workers scoring pods) or cluster (--workers processes a pod)',
    );
  }
  if (port !== undefined) serve.port = parseInteger('--port', port, 1, 65535);
  const notes = checkLikeServe(serve);
  if (raw.image.trim() === '' || /\s/.test(raw.image))
    throw new OptionError('--image', `expected an image reference such as servebench:local, got '${raw.image}'`);
  if (raw.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(raw.namespace))
    throw new OptionError('--namespace', `must be a DNS label (lower-case letters, digits and '-', at most 63), got '${raw.namespace}'`);
  const settings: K8sSettings = { image: raw.image, serve, modelFiles: readModelFiles(serve), hpa: toHpa(raw, serve) };
  if (raw.namespace !== undefined) settings.namespace = raw.namespace;
  const load = toLoad(raw);
  if (load !== undefined) settings.load = load;
  return { settings, notes };
}

export function register(program: Command): void {
  program
    .command('k8s')
    .description(
      'Write Kubernetes manifests for the serving system (Deployments, Services, Redis, an HPA per model API set like the emulation, ' +
        'a settings ConfigMap); with --load, an Indexed Job of load shards',
    )
    .option('--image <name>', 'container image of the servebench pods (build it from the Dockerfile)', K8S_DEFAULTS.image)
    .option('--namespace <ns>', 'namespace of every object (default: the current one of kubectl)')
    .option('--out <dir>', 'write one file per object and a kustomization.yaml here (default: one YAML stream on stdout)')
    .option('--path <path>', `request path: ${REQUEST_PATHS.filter((p) => p !== 'jobs').join(' | ')}`, 'async')
    .option('--topology <topology>', 'single (one process a pod) | cluster (--workers processes a pod); a Service balances the pods', 'single')
    .option('--workers <W>', 'single: scoring pods; cluster: processes in each pod (default 1)')
    .option('--model-workers <W>', 'queue path: model worker pods at start (the minimum of their HPA)')
    .option('--queue-timeout <duration>', "queue path: a request's wait for its model jobs")
    .option('--predict <kind>', `model predict: ${PREDICT_KINDS.join(' | ')}`, 'io')
    .option('--model <file>', "onnx, module: the model file for both models (shipped in a ConfigMap; default onnx: the image's models/)")
    .option('--model-a <file>', "onnx, module: model-a's file")
    .option('--model-b <file>', "onnx, module: model-b's file")
    .option('--onnx-threads <N>', 'onnx: intra-op threads of each session (default 1: each process requests one core)')
    .option('--kernel <name>', 'cpu predict kernel (native kernels need an image built with WITH_RUST=1)')
    .option('--n <N>', 'cpu predict: values averaged when a request does not say')
    .option('--n-max <N>', 'cap on n')
    .option('--store <kind>', `feature store: ${STORE_KINDS.join(' | ')} (redis: a Redis Deployment, or --redis-url)`, 'redis')
    .option('--redis-url <url>', 'an existing Redis for the store and the queue (then none is deployed)')
    .option('--entities <N>', 'entities loaded into the store')
    .option('--seed <seed>', 'seed of the features and the waits')
    .option('--port <port>', `port of the scoring Service (default ${K8S_DEFAULTS.port})`)
    .option('--feature-timeout <duration>', 'deadline of a feature read')
    .option('--model-timeout <duration>', 'deadline of a model API call')
    .option('--pool-threads <N>', 'async path: worker-pool threads of each process (default 1)')
    .option('--min-replicas <N>', `HPA: fewest replicas of each model API (default ${K8S_DEFAULTS.hpa.minReplicas}, the emulation's)`)
    .option('--max-replicas <N>', `HPA: most replicas (default ${K8S_DEFAULTS.hpa.maxReplicas})`)
    .option('--target-utilization <share>', `HPA: target CPU utilization of the request, e.g. 60% (default ${K8S_DEFAULTS.hpa.targetUtilization * 100}%)`)
    .option('--hpa-times <which>', `HPA windows and periods: ${HPA_TIMES.join(' (compressed, as emulated) | ')} (Kubernetes' defaults)`, 'emulation')
    .option('--load', 'add an Indexed Job of load shards against the scoring Service')
    .option('--rate <rps>', '--load: the whole open-loop rate, split evenly over the shards')
    .option('--connections <c>', '--load: the whole closed-loop connections, split so they add up')
    .option('--shards <N>', '--load: load pods (completions = parallelism = N)')
    .option('--duration <d>', "--load: each step's measured window")
    .option('--warmup <d>', '--load: warm-up before each step')
    .option('--scenario <list>', `--load: ${MATRIX_SCENARIOS.join(', ')} (default: the load's own)`)
    .option('--load-seed <n>', '--load: base seed; shard i runs with seed + i (default 1)')
    .action((raw: RawK8sOptions) => {
      const { settings, notes } = toK8sSettings(raw);
      for (const note of notes) warn('k8s', note);
      const manifests = buildManifests(settings);
      if (raw.out === undefined) {
        process.stdout.write(yamlStream(manifests));
        return;
      }
      const written = writeManifests(raw.out, manifests);
      process.stdout.write(`${written.files.map((f) => `${written.dir}/${f}`).join('\n')}\n`);
      progress('k8s', `${manifests.length} objects validated against the Kubernetes schemas; apply with: kubectl apply -k ${raw.out}`);
      if (written.unlisted.length > 0)
        warn('k8s', `${written.dir} also holds ${written.unlisted.join(', ')}, which the kustomization does not list (not applied)`);
    });
}
