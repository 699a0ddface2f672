// `servebench serve`: start the whole serving system (feature store, two model APIs, scoring handler) on
// one path and topology, with the built-in predicts or a model file (--predict onnx|module --model FILE),
// print the scoring URL on stdout and the models on stderr, and keep it running until SIGINT or SIGTERM,
// which stop everything it started. A process that dies is restarted (unless --no-restart); each exit,
// restart and giving up is a line on stderr. `--only SERVICE` starts one service alone (a container's entry
// point: see docs/kubernetes.md).

import type { Command } from 'commander';
import { KERNEL_NAMES, type KernelName } from '../kernels/types.js';
import { OptionError } from '../errors.js';
import { parseChoice, parseDuration, parseInteger, parseUrl } from '../options.js';
import { onShutdown } from '../processes/index.js';
import { progress, warn } from '../progress.js';
import { DEFAULTS } from '../serving/config.js';
import type { ModelDescription } from '../results/serving.js';
import { PREDICT_KINDS, REQUEST_PATHS, SERVICE_NAMES, STORE_KINDS, TOPOLOGIES } from '../results/vocab.js';
import { startOneService } from '../serving/index.js';
import { startSystem } from '../serving/system.js';
import type { SystemOptions } from '../serving/types.js';

export interface RawServeOptions {
  path: string;
  topology: string;
  workers?: string;
  modelWorkers?: string;
  queueTimeout?: string;
  predict: string;
  kernel?: string;
  n?: string;
  nMax?: string;
  store: string;
  redisUrl?: string;
  entities?: string;
  seed?: string;
  host?: string;
  port?: string;
  featureTimeout?: string;
  modelTimeout?: string;
  metricsInterval?: string;
  poolThreads?: string;
  model?: string;
  modelA?: string;
  modelB?: string;
  onnxThreads?: string;
  headersTimeout?: string;
  bodyTimeout?: string;
  /** commander's --no-restart: false when given. */
  restart?: boolean;
  json?: boolean;
  only?: string;
  modelAUrl?: string;
  modelBUrl?: string;
}

/** Turn the command line's strings into SystemOptions; every check names the option (OptionError). */
export function parseServeOptions(raw: RawServeOptions): SystemOptions {
  const o: SystemOptions = {
    path: parsePath(raw.path),
    topology: parseChoice('--topology', raw.topology, TOPOLOGIES),
    predict: parseChoice('--predict', raw.predict, PREDICT_KINDS),
    store: parseChoice('--store', raw.store, STORE_KINDS),
  };
  if (raw.workers !== undefined) o.workers = parseInteger('--workers', raw.workers, 1, 256);
  if (raw.modelWorkers !== undefined) {
    if (o.path !== 'queue')
      throw new OptionError(
        '--model-workers',
        `applies only to --path queue (model worker processes behind a Redis list); the ${o.path} path calls model APIs, sized by --workers`,
      );
    o.modelWorkers = parseInteger('--model-workers', raw.modelWorkers, 1, 64);
  }
  if (raw.kernel !== undefined) o.kernel = parseChoice<KernelName>('--kernel', raw.kernel, KERNEL_NAMES);
  if (raw.nMax !== undefined) o.nMax = parseInteger('--n-max', raw.nMax, 1, 1_000_000_000);
  if (raw.n !== undefined) o.n = parseInteger('--n', raw.n, 1, o.nMax ?? DEFAULTS.nMax);
  if (raw.redisUrl !== undefined) o.redisUrl = raw.redisUrl;
  if (raw.entities !== undefined) o.entities = parseInteger('--entities', raw.entities, 1, 10_000_000);
  if (raw.seed !== undefined) o.seed = parseInteger('--seed', raw.seed, 0, 0xffffffff);
  if (raw.host !== undefined) o.host = raw.host;
  if (raw.port !== undefined) o.port = parseInteger('--port', raw.port, 0, 65535);
  const timeouts: NonNullable<SystemOptions['timeoutsMs']> = {};
  if (raw.featureTimeout !== undefined) timeouts.featureRead = parseDuration('--feature-timeout', raw.featureTimeout, 1, 600_000);
  if (raw.modelTimeout !== undefined) {
    if (o.path === 'queue') throw new OptionError('--model-timeout', 'the queue path calls no model API; its deadline is --queue-timeout');
    timeouts.model = parseDuration('--model-timeout', raw.modelTimeout, 1, 3_600_000);
  }
  if (raw.queueTimeout !== undefined) {
    if (o.path !== 'queue') throw new OptionError('--queue-timeout', `applies only to --path queue; the ${o.path} path has --model-timeout`);
    timeouts.queue = parseDuration('--queue-timeout', raw.queueTimeout, 1, 3_600_000);
  }
  if (raw.headersTimeout !== undefined) timeouts.headers = parseDuration('--headers-timeout', raw.headersTimeout, 100, 600_000);
  if (raw.bodyTimeout !== undefined) timeouts.body = parseDuration('--body-timeout', raw.bodyTimeout, 100, 600_000);
  if (Object.keys(timeouts).length > 0) o.timeoutsMs = timeouts;
  if (raw.restart === false) o.restart = false;
  if (raw.metricsInterval !== undefined) o.metricsIntervalMs = parseDuration('--metrics-interval', raw.metricsInterval, 10, 3_600_000);
  if (raw.poolThreads !== undefined) o.poolThreads = parseInteger('--pool-threads', raw.poolThreads, 1, 256);
  if (raw.model !== undefined) o.modelFile = raw.model;
  if (raw.modelA !== undefined || raw.modelB !== undefined) {
    o.modelFiles = { ...(raw.modelA === undefined ? {} : { a: raw.modelA }), ...(raw.modelB === undefined ? {} : { b: raw.modelB }) };
  }
  if (raw.onnxThreads !== undefined) o.onnxThreads = parseInteger('--onnx-threads', raw.onnxThreads, 1, 256);
  return o;
}

/** One line per model service: what it runs and how, e.g. 'model-a: model-a.onnx (316 bytes, sha256 1a2b3c4d5e6f), ...'. */
function describeModelLine(service: string, d: ModelDescription): string {
  const file = d.file === undefined ? '' : ` (${d.file.bytes} bytes, sha256 ${d.file.sha256.slice(0, 12)})`;
  const inputs = d.inputs.map((i) => `${i.name} ${i.type} [${i.shape.join(', ')}]`).join(', ');
  const threads = [
    d.threads.intraOp === undefined ? undefined : `${d.threads.intraOp} intra-op thread(s) a session`,
    d.threads.pool === undefined ? undefined : `pool of ${d.threads.pool} thread(s)`,
  ].filter((t) => t !== undefined);
  const how = [d.placement, ...threads].join(', ');
  return `${service}: ${d.name}${file}, input ${inputs}, ${d.runtime.name} ${d.runtime.version}, ${how}`;
}

/** sync, async or queue (the message keeps the HTTP paths first: queue needs a Redis and its own options). */
function parsePath(raw: string): SystemOptions['path'] {
  if ((REQUEST_PATHS as readonly string[]).includes(raw)) return raw as SystemOptions['path'];
  throw new OptionError(
    '--path',
    `must be one of sync, async; got '${raw}' (or queue: model jobs on a Redis list, taken by --model-workers W worker processes)`,
  );
}

/** Serve until a signal: the CLI's handler runs the shutdown hooks and exits. */
function serveForever(): Promise<never> {
  return new Promise<never>(() => {
    setInterval(() => undefined, 1 << 30);
  });
}

/** `--only SERVICE`: one service alone, e.g. in a container; prints its URL (the model workers: their jobs list). */
async function serveOne(raw: RawServeOptions, options: SystemOptions): Promise<void> {
  const service = parseChoice('--only', raw.only ?? '', SERVICE_NAMES);
  if (raw.json === true) throw new OptionError('--json', 'applies to the whole system; --only prints the one service URL');
  const given = [raw.modelAUrl, raw.modelBUrl].filter((u) => u !== undefined).length;
  if (given === 1) throw new OptionError(raw.modelAUrl === undefined ? '--model-a-url' : '--model-b-url', 'give both --model-a-url and --model-b-url');
  const modelUrls =
    raw.modelAUrl === undefined || raw.modelBUrl === undefined
      ? undefined
      : { a: parseUrl('--model-a-url', raw.modelAUrl).origin, b: parseUrl('--model-b-url', raw.modelBUrl).origin };
  progress('serve', `starting ${service} alone: path ${options.path}, topology ${options.topology}, predict ${options.predict}`);
  const one = await startOneService(options, { service, ...(modelUrls === undefined ? {} : { modelUrls }) });
  onShutdown(() => one.stop());
  if (one.store !== undefined) progress('serve', `feature store: ${one.store.detail}`);
  for (const note of one.notes) warn('serve', note);
  if (modelUrls !== undefined) progress('serve', `model APIs: ${modelUrls.a} ${modelUrls.b}`);
  progress('serve', `processes: ${one.processes.map((p) => `${p.name}=${p.pid}`).join(' ')}`);
  one.onNotice((n) => warn('serve', n.message));
  process.stdout.write(`${one.url}\n`);
  await serveForever();
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('Start the serving system (Redis feature store, two model APIs, scoring handler) and keep it running until Ctrl-C; prints the scoring URL')
    .option(
      '--path <path>',
      `request path: ${REQUEST_PATHS.join(' | ')} (queue: the scoring handler pushes model jobs on a Redis list; model workers take them one at a time)`,
      'async',
    )
    .option('--topology <topology>', `process layout of every service: ${TOPOLOGIES.join(' | ')}`, 'single')
    .option('--workers <W>', 'processes per service for cluster and nginx (default: one per core)')
    .option('--model-workers <W>', 'queue path: model worker processes taking jobs off the Redis list (default 1)')
    .option('--queue-timeout <duration>', "queue path: a request's wait for its model jobs, queueing included (default 5s); then 504")
    .option(
      '--predict <kind>',
      'model predict: io (a 40-50 ms wait) | cpu (a mean over n values) | onnx (an ONNX model, onnxruntime-node) | module (your JS predict module)',
      'io',
    )
    .option(
      '--model <file>',
      'onnx: an .onnx file for both models (default: the shipped models/model-a.onnx and model-b.onnx); module: a .mjs/.js file exporting predict(features)',
    )
    .option('--model-a <file>', "onnx, module: model-a's file (over --model)")
    .option('--model-b <file>', "onnx, module: model-b's file (over --model)")
    .option('--onnx-threads <N>', "onnx: intra-op threads of each onnxruntime session (default: the cores shared out over one model's sessions)")
    .option('--kernel <name>', `cpu predict kernel: ${KERNEL_NAMES.join(' | ')} (default: typed on sync, native-async on async)`)
    .option('--n <N>', 'cpu predict: values averaged when a request does not say (default 1e6)')
    .option('--n-max <N>', 'cap on n, for the option and for requests (default 2e7)')
    .option('--store <kind>', 'feature store: redis (REDIS_URL, else a redis-server servebench starts, else the embedded store with a note) | memory', 'redis')
    .option('--redis-url <url>', 'use this Redis instead of starting one (default: $REDIS_URL)')
    .option('--entities <N>', 'entities e0..e<N-1> loaded into the store (default 10000)')
    .option('--seed <seed>', 'seed of the features, the waits and the cpu vectors (default 1)')
    .option('--host <host>', 'address the scoring front binds (default 127.0.0.1)')
    .option('--port <port>', 'port of the scoring front (default: a free one)')
    .option('--feature-timeout <duration>', 'deadline of a feature read, e.g. 500ms (default 1s); then 504')
    .option('--model-timeout <duration>', 'deadline of a model API call (default 2s for io, 30s for cpu); then 504')
    .option('--metrics-interval <duration>', "period of the processes' metrics messages (default 500ms)")
    .option('--pool-threads <N>', 'async path: worker-pool threads for a sync kernel, an ONNX model or a synchronous module predict (default: one per core)')
    .option('--headers-timeout <duration>', "every service: a request's headers must arrive within this (default 10s); then 408")
    .option('--body-timeout <duration>', "every service: a request's body must arrive within this once its headers are in (default 10s); then 408")
    .option('--no-restart', 'leave a process that dies down (default: restart it on its port, back-off 100ms doubling to 5s, at most 10 a minute)')
    .option('--json', 'print the system description as JSON on stdout instead of the bare URL')
    .option('--only <service>', `start one service alone (a container's entry point): ${SERVICE_NAMES.join(' | ')}`)
    .option('--model-a-url <url>', "--only scoring on the sync and async paths: model-a's base URL, e.g. http://model-a:8080")
    .option('--model-b-url <url>', "--only scoring on the sync and async paths: model-b's base URL")
    .action(async (raw: RawServeOptions) => {
      const options = parseServeOptions(raw);
      if (raw.only !== undefined) return serveOne(raw, options);
      for (const [name, v] of [
        ['--model-a-url', raw.modelAUrl],
        ['--model-b-url', raw.modelBUrl],
      ] as const) {
        if (v !== undefined) throw new OptionError(name, 'applies only with --only scoring (the whole system starts its own model APIs)');
      }
      progress('serve', `starting: path ${options.path}, topology ${options.topology}, predict ${options.predict}, store ${options.store}`);
      const system = await startSystem(options);
      onShutdown(() => system.stop());
      const d = system.describe();
      progress('serve', `feature store: ${system.store.detail}`);
      for (const note of system.notes) warn('serve', note);
      if (d.kernel !== undefined) progress('serve', `cpu predict: kernel ${d.kernel} (${d.placement}), n ${d.n} (cap ${d.nMax})`);
      if (d.models !== undefined) {
        progress('serve', describeModelLine('model-a', d.models.a));
        const sameFile = d.models.a.file !== undefined && d.models.a.file.sha256 === d.models.b.file?.sha256;
        progress('serve', sameFile ? 'model-b: the same file' : describeModelLine('model-b', d.models.b));
      }
      progress('serve', `processes: ${system.processes.map((p) => `${p.name}=${p.pid}`).join(' ')}`);
      if (d.queue !== undefined) {
        progress(
          'serve',
          `queue: ${d.modelWorkers} model worker(s) on list ${d.queue.jobsKey} at ${d.queue.redisUrl} (${d.queue.broker}); deadline ${d.queue.timeoutMs} ms`,
        );
        progress('serve', `queue depth: redis-cli -u ${d.queue.redisUrl} LLEN ${d.queue.jobsKey}`);
      } else progress('serve', `model APIs: ${d.modelUrls.a} ${d.modelUrls.b}`);
      progress('serve', `try: curl -s -X POST -H 'content-type: application/json' -d '{"entity":"e1"}' ${system.scoringUrl}`);
      progress('serve', 'Ctrl-C (SIGINT) or SIGTERM stops everything it started');
      // Every exit, restart and giving up, one line each (the notices say the same things, so they are not printed).
      system.onEvent((e) => (e.kind === 'restarted' ? progress : warn)('serve', e.message));
      process.stdout.write(raw.json === true ? `${JSON.stringify(d, null, 2)}\n` : `${system.scoringUrl}\n`);
      await serveForever();
    });
}
