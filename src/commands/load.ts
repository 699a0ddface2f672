// `servebench load`: the load scenarios over the serving matrix, or over any running HTTP service
// (--target URL). Writes load.json (atomically, partial on interrupt) and prints a table, or the JSON
// with --json. Progress on stderr.

import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import { parseShardSpec } from '../k8s/shards.js';
import { kernels, type KernelName } from '../kernels/index.js';
import { experiments, scenarios } from '../../benchmarks/scenarios/index.js';
import { parseFaultSchedule } from '../experiments/faults-schedule.js';
import { ALL_SCENARIOS } from '../load/plan.js';
import type { LoadSuiteOptions } from '../load/plan.js';
import { parseChoice, parseChoiceList, parseDuration, parseInteger, parseIntegerList, parseNumber, parseUrl } from '../options.js';
import { BATCHING_HELP, parseBatching } from '../serving/index.js';
import { predictForModelFile } from '../load/model-options.js';
import { BODY_ORDERS, HTTP_METHODS, readRequestData } from '../load/request-data.js';
import type { ModelFileOptions } from '../load/systems.js';
import type { PredictKind } from '../results/vocab.js';
import { defaultReportsDir } from '../paths.js';
import { warn } from '../progress.js';
import { renderLoadMarkdown } from '../report/load.js';
import { type LoadData, toJson } from '../results/index.js';
import {
  ARRIVAL_PROCESSES,
  BUILTIN_PREDICTS,
  FAULT_TARGETS,
  LOAD_ENGINES,
  LOAD_LOOPS,
  MATRIX_PATHS,
  PREDICT_KINDS,
  SCENARIO_NAMES,
  STORE_KINDS,
  TOPOLOGIES,
} from '../results/vocab.js';
import { runSuiteToFile } from '../run/run-suite.js';
import { addGateOptions, finishWithGates, type GateFlags, parseGates } from './gates.js';
import { suites } from './suites.js';

interface RawOptions extends GateFlags {
  scenario?: string;
  path?: string;
  topology?: string;
  predict?: string;
  workers?: string;
  store?: string;
  redisUrl?: string;
  kernel?: string;
  n?: string;
  entities?: string;
  engine?: string;
  loop?: string;
  connections?: string;
  rate?: string;
  arrivals?: string;
  maxInFlight?: string;
  pipelining?: string;
  generatorWorkers?: string;
  generatorThreads?: string;
  generatorProcesses?: string;
  shard?: string;
  modelWorkers?: string;
  replicas?: string;
  duration?: string;
  amount?: string;
  warmup?: string;
  timeout?: string;
  repeats?: string;
  quick?: boolean;
  seed?: string;
  latencyGoal?: string;
  errorBudget?: string;
  target?: string;
  method?: string;
  body: string[];
  bodies?: string;
  bodiesOrder?: string;
  header: string[];
  /** --fault, repeatable (commander gives [] when none). */
  fault?: string[];
  pid?: string;
  model?: string;
  modelA?: string;
  modelB?: string;
  onnxThreads?: string;
  batching?: string;
  json?: boolean;
  markdown?: boolean;
  out?: string;
  strict?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** A share written as 0.01 or 1%. */
function parseShare(option: string, raw: string): number {
  const pctForm = raw.trim().endsWith('%');
  const v = parseNumber(option, pctForm ? raw.trim().slice(0, -1) : raw) / (pctForm ? 100 : 1);
  if (v < 0 || v > 1) throw new OptionError(option, `must be between 0 and 1 (or 0% and 100%), got '${raw}'`);
  return v;
}

/** The model options, and the predict they imply when --predict is not given (onnx for .onnx, module for .mjs/.js/.cjs). */
function modelOptions(o: RawOptions): { model?: ModelFileOptions; predict?: PredictKind } {
  const files = { ...(o.modelA === undefined ? {} : { a: o.modelA }), ...(o.modelB === undefined ? {} : { b: o.modelB }) };
  const model: ModelFileOptions = {
    ...(o.model === undefined ? {} : { modelFile: o.model }),
    ...(Object.keys(files).length === 0 ? {} : { modelFiles: files }),
    ...(o.onnxThreads === undefined ? {} : { onnxThreads: parseInteger('--onnx-threads', o.onnxThreads, 1, 256) }),
  };
  if (Object.keys(model).length === 0) return {};
  const named = o.model ?? o.modelA ?? o.modelB;
  const option = o.model !== undefined ? '--model' : o.modelA !== undefined ? '--model-a' : '--model-b';
  return { model, ...(named === undefined ? {} : { predict: predictForModelFile(option, named) }) };
}

/** The --target part: URL, method, request data (files read here), pids, and the command to start first. */
function targetOptions(o: RawOptions, command: readonly string[], seed: number): NonNullable<LoadSuiteOptions['target']> {
  const url = parseUrl('--target', o.target ?? '');
  const data = readRequestData({
    body: o.body,
    ...(o.bodies === undefined ? {} : { bodies: o.bodies }),
    ...(o.bodiesOrder === undefined ? {} : { order: parseChoice('--bodies-order', o.bodiesOrder, BODY_ORDERS) }),
    header: o.header,
    seed,
  });
  return {
    url: url.toString(),
    ...(o.method === undefined ? {} : { method: parseChoice('--method', o.method.toUpperCase(), HTTP_METHODS) }),
    headers: data.headers,
    bodies: data.bodies,
    pids: o.pid === undefined ? [] : parseIntegerList('--pid', o.pid, 1),
    ...(command.length === 0 ? {} : { command: [...command] }),
    ...(data.echo.files.length + data.echo.headerFiles.length > 0 || data.echo.order === 'random' ? { requestData: data.echo } : {}),
  };
}

/** Validate every option once, here; the suite gets typed values (request data files are read here too). */
export function toSuiteOptions(o: RawOptions, command: readonly string[] = []): LoadSuiteOptions {
  const s: LoadSuiteOptions = { definitions: scenarios, experimentDefinitions: experiments };
  const m = modelOptions(o);
  if (o.scenario !== undefined) s.scenarios = parseChoiceList('--scenario', o.scenario, SCENARIO_NAMES);
  if (o.path !== undefined) s.paths = parseChoiceList('--path', o.path, MATRIX_PATHS);
  if (o.topology !== undefined) s.topologies = parseChoiceList('--topology', o.topology, TOPOLOGIES);
  if (o.predict !== undefined) s.predicts = parseChoiceList('--predict', o.predict, PREDICT_KINDS);
  else if (m.predict !== undefined && o.target === undefined) s.predicts = [m.predict];
  if (m.model !== undefined) s.model = m.model;
  if (o.batching !== undefined) s.batching = parseBatching(o.batching);
  if (o.workers !== undefined) s.workers = parseInteger('--workers', o.workers, 1, 256);
  if (o.store !== undefined) s.store = parseChoice('--store', o.store, STORE_KINDS);
  if (o.redisUrl !== undefined) s.redisUrl = o.redisUrl;
  if (o.kernel !== undefined) s.kernel = parseChoice('--kernel', o.kernel, kernels.map((k) => k.name) as KernelName[]);
  if (o.n !== undefined) s.n = parseInteger('--n', o.n, 1);
  if (o.entities !== undefined) s.entities = parseInteger('--entities', o.entities, 1, 10_000_000);
  if (o.engine !== undefined) s.engine = parseChoice('--engine', o.engine, LOAD_ENGINES);
  if (o.loop !== undefined) s.loop = parseChoice('--loop', o.loop, LOAD_LOOPS);
  if (o.connections !== undefined && o.rate !== undefined)
    throw new OptionError('--connections', 'give either --connections (closed loop) or --rate (open loop), not both');
  if (o.connections !== undefined) s.connections = parseInteger('--connections', o.connections, 1, 1_000_000);
  if (o.rate !== undefined) {
    s.rateRps = parseNumber('--rate', o.rate);
    if (!(s.rateRps > 0) || s.rateRps > 1_000_000)
      throw new OptionError('--rate', `must be a rate above 0 and at most 1000000 requests per second, got ${o.rate}`);
    if (s.engine === 'autocannon') {
      throw new OptionError(
        '--rate',
        "needs --engine open or native: autocannon's rate is a per-connection budget per second, not an open loop, and its latency under it is not trustworthy",
      );
    }
  }
  if (o.arrivals !== undefined) s.arrivals = parseChoice('--arrivals', o.arrivals, ARRIVAL_PROCESSES);
  if (o.maxInFlight !== undefined) s.maxInFlight = parseInteger('--max-in-flight', o.maxInFlight, 1, 1_000_000);
  if (o.pipelining !== undefined) s.pipelining = parseInteger('--pipelining', o.pipelining, 1, 100);
  if (o.generatorWorkers !== undefined) s.generatorWorkers = parseInteger('--generator-workers', o.generatorWorkers, 0, 64);
  if (o.generatorThreads !== undefined) s.generatorThreads = parseInteger('--generator-threads', o.generatorThreads, 1, 256);
  if (o.generatorProcesses !== undefined) s.generatorProcesses = parseInteger('--generator-processes', o.generatorProcesses, 1, 64);
  if (o.shard !== undefined) s.shard = parseShardSpec('--shard', o.shard);
  const modelWorkers = o.modelWorkers === undefined ? undefined : parseIntegerList('--model-workers', o.modelWorkers, 1, 64);
  const replicas = o.replicas === undefined ? undefined : parseIntegerList('--replicas', o.replicas, 1, 64);
  if (modelWorkers !== undefined || replicas !== undefined)
    s.scaling = { ...(modelWorkers === undefined ? {} : { modelWorkers }), ...(replicas === undefined ? {} : { replicas }) };
  if (o.duration !== undefined) s.durationMs = parseDuration('--duration', o.duration, 100, 3_600_000);
  if (o.amount !== undefined) s.amount = parseInteger('--amount', o.amount, 1, 1_000_000_000);
  if (o.warmup !== undefined) s.warmupMs = parseDuration('--warmup', o.warmup, 0, 600_000);
  if (o.timeout !== undefined) s.timeoutMs = parseDuration('--timeout', o.timeout, 1, 600_000);
  if (o.repeats !== undefined) s.repeats = parseInteger('--repeats', o.repeats, 1, 100);
  if (o.quick === true) s.quick = true;
  if (o.seed !== undefined) s.seed = parseInteger('--seed', o.seed, 0, 0xffffffff);
  if (o.latencyGoal !== undefined) s.latencyGoalP99Us = parseDuration('--latency-goal', o.latencyGoal, 1, 3_600_000) * 1000;
  if (o.errorBudget !== undefined) s.errorBudget = parseShare('--error-budget', o.errorBudget);
  if (o.fault !== undefined && o.fault.length > 0) {
    s.faults = parseFaultSchedule(o.fault);
    // --fault alone runs the faults scenario; with --scenario, it must name it (the plan says so otherwise).
    s.scenarios ??= ['faults'];
  }
  const targetOnly = {
    '--method': o.method,
    '--pid': o.pid,
    '--body': o.body.length > 0 ? 'x' : undefined,
    '--bodies': o.bodies,
    '--bodies-order': o.bodiesOrder,
    '--header': o.header.length > 0 ? 'x' : undefined,
    '--shard': o.shard,
    'a command after --': command.length > 0 ? 'x' : undefined,
  };
  if (o.target !== undefined) {
    const serving = {
      '--path': o.path,
      '--topology': o.topology,
      '--predict': o.predict,
      '--workers': o.workers,
      '--store': o.store,
      '--kernel': o.kernel,
      '--n': o.n,
      '--entities': o.entities,
      '--model': o.model,
      '--model-a': o.modelA,
      '--model-b': o.modelB,
      '--onnx-threads': o.onnxThreads,
      '--batching': o.batching,
    };
    for (const [name, v] of Object.entries(serving))
      if (v !== undefined) throw new OptionError(name, 'configures the serving system servebench starts; with --target nothing of it is started');
    // A shard's random body order is its own too (seed base + i, as its arrivals).
    s.target = targetOptions(o, command, (s.seed ?? 1) + (s.shard?.index ?? 0));
  } else {
    for (const [name, v] of Object.entries(targetOnly)) if (v !== undefined) throw new OptionError(name, 'applies only with --target URL');
  }
  return s;
}

/** The reason to exit 1 when runs completed but not one request succeeded (a dead target), naming the failures. */
function everyRequestFailed(data: LoadData): string | undefined {
  const runs = data.runs.filter((r) => r.state === 'completed');
  if (runs.length === 0 || runs.some((r) => r.requests.successes > 0)) return undefined;
  const failed = runs.reduce((n, r) => n + r.failures.total, 0);
  const codes = new Map<string, number>();
  for (const r of runs) for (const [code, n] of Object.entries(r.failureCodes)) codes.set(code, (codes.get(code) ?? 0) + n);
  const named = [...codes]
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return `every request failed: ${failed} failures in ${runs.length} run(s)${named === '' ? '' : ` (${named})`}, not one answer; is the target up?`;
}

export function register(program: Command): void {
  addGateOptions(
    program
      .command('load')
      .description(
        'Load scenarios (response-time, ramp, sustained, stress; request-paths) over the serving matrix ' +
          '{sync, async} x {single, cluster, nginx} x {io, cpu}, or over any HTTP service with --target. Writes load.json.',
      )
      .option(
        '--scenario <list>',
        `scenarios, comma-separated: ${ALL_SCENARIOS.join(', ')} (default: all; with --connections/--rate: response-time,sustained); ` +
          'experiments, only when named: queue-workers (1 vs 2 model workers behind a Redis queue), ' +
          'autoscale (emulated Kubernetes HPA: replicas under a ramp), ' +
          'scaling (throughput over 1..k model servers: --model-workers, --replicas), ' +
          'faults (parts killed, paused, hung under load), batching (a model API with batching off vs (max-size, max-wait) settings)',
      )
      .option(
        '--fault <expr>',
        "faults scenario: a fault of the schedule, e.g. 'at=5s kill model-a', 'at=8s pause redis 3s', 'at=12s hang model-b 2s' (repeatable; replaces the " +
          `default schedule; implies --scenario faults). Targets: ${FAULT_TARGETS.join(', ')}`,
        collect,
        [],
      )
      .option('--path <list>', `request paths: ${MATRIX_PATHS.join(',')} (default: both)`)
      .option('--topology <list>', `topologies: ${TOPOLOGIES.join(',')} (default: all three)`)
      .option('--predict <list>', `predicts: ${PREDICT_KINDS.join(',')} (default: ${BUILTIN_PREDICTS.join(',')}; with --model: the model's)`)
      .option('--model <file>', 'onnx: an .onnx model (default: the shipped models); module: a .mjs/.js/.cjs exporting predict(features)')
      .option('--model-a <file>', "onnx, module: model-a's file (over --model)")
      .option('--model-b <file>', "onnx, module: model-b's file (over --model)")
      .option('--onnx-threads <N>', 'onnx: intra-op threads of each onnxruntime session')
      .option('--batching <settings>', BATCHING_HELP)
      .option('--workers <n>', 'workers per service for cluster and nginx (default: one per core)')
      .option('--store <kind>', `feature store: ${STORE_KINDS.join(' or ')} (default: redis if REDIS_URL is set or redis-server is on PATH, else memory)`)
      .option('--redis-url <url>', 'an existing Redis for --store redis')
      .option('--kernel <name>', 'cpu predict kernel')
      .option('--n <n>', 'cpu predict: values per predict')
      .option('--entities <n>', 'entities in the feature store (default: 10000)')
      .option(
        '--engine <name>',
        'native (both loops, in Rust; the default where the addon loads), autocannon (closed loop) or open (JS open loop, coordinated-omission-safe)',
      )
      .option('--loop <kind>', `${LOAD_LOOPS.join(' or ')} (default: open with --rate or --engine open, else closed)`)
      .option('--connections <c>', 'closed loop: the load of sustained and stress, and the ramp ceiling')
      .option('--rate <rps>', 'open loop: arrivals per second for sustained and stress, and the ramp ceiling')
      .option('--arrivals <kind>', `open loop: ${ARRIVAL_PROCESSES.join(' or ')} (default: poisson)`)
      .option('--max-in-flight <n>', 'open loop: requests in flight at most (default: 1000)')
      .option('--pipelining <n>', 'closed loop: requests in flight per connection (default: 1)')
      .option('--generator-workers <n>', 'autocannon worker threads; latencies are then whole ms (default: 0)')
      .option('--generator-threads <n>', "native engine: load threads (default: one per core left after the system under test's, at least 1)")
      .option(
        '--generator-processes <n>',
        'generator processes measuring every step at once, each its share of the load (rate/N or connections split, seed + i), merged exactly (default: 1)',
      )
      .option(
        '--shard <i/N>',
        'with --target and --rate or --connections: apply shard i of N of the load (rate/N or its share, seed + i), for servebench merge',
      )
      .option('--model-workers <list>', 'scaling: model-worker counts of the queue sweep, e.g. 1,2,4 (default: 1,2,4; quick: 1,2)')
      .option('--replicas <list>', 'scaling: model-server replicas behind nginx, e.g. 1,2,4 (default: 1,2,4; quick: 1,2)')
      .option('--duration <d>', 'measured window of every step, e.g. 10s (default: per scenario)')
      .option('--amount <n>', "end every step after n requests instead of its duration (autocannon's amount)")
      .option('--warmup <d>', 'warm-up before every step, excluded from the figures (default: per scenario)')
      .option('--timeout <d>', 'request timeout (default: 10s)')
      .option('--repeats <n>', 'rounds over the configurations, interleaved (default: 1; request-paths: 3)')
      .option('--quick', 'shorter steps, one round, io predict only, no stress (CI; well under 2 minutes)')
      .option('--seed <n>', 'seed for arrivals and request bodies (default: 1)')
      .option('--latency-goal <d>', 'ramp: the p99 goal (default: 500ms)')
      .option('--error-budget <share>', 'ramp and validity: failures allowed, e.g. 1% or 0.01 (default: 1%)')
      .argument('[command...]', "with --target: your server's command after --, started first and stopped after (e.g. -- node app.js)")
      .option('--target <url>', 'load this service (running, or started from the command after --)')
      .option('--method <m>', 'with --target: HTTP method (default: POST with --body, else GET)')
      .option('--body <text>', "with --target: a request body, or @FILE for a file's contents (repeat for several, sent in turn)", collect, [])
      .option('--bodies <file>', 'with --target: an NDJSON file, one request body a line')
      .option('--bodies-order <order>', `with --target: ${BODY_ORDERS.join(' or ')} (random: seeded by --seed; default turn)`)
      .option('--header <h>', "with --target: a header 'name: value', or @FILE with one a line (repeatable)", collect, [])
      .option('--pid <list>', 'with --target: pids of the service to sample (CPU %, RSS)')
      .option('--json', 'print the results JSON on stdout instead of the table')
      .option('--markdown', 'print Markdown instead of the table')
      .option('--out <dir>', 'the run folder for load.json and load.md (default: a new reports/load-<time>/ under the working folder)')
      .option('--strict', 'exit 1 when any run is invalid (not only when one errored)'),
    true,
  ).action(async (command: string[], raw: RawOptions) => {
    const options = toSuiteOptions(raw, command);
    const gates = parseGates(raw, defaultReportsDir());
    // On SIGINT/SIGTERM the current step stops early (its figures so far are kept, marked by the validity
    // rules) and what was measured is written once, marked interrupted.
    const run = await runSuiteToFile(suites.load, options, raw.out === undefined ? {} : { outDir: raw.out });
    const data = run.result.data;
    if (raw.json === true) process.stdout.write(toJson(run.result));
    else if (raw.markdown === true) process.stdout.write(renderLoadMarkdown(data));
    else process.stdout.write(suites.load.terminal(run.result));
    process.stderr.write(`[load] wrote ${run.file}\n`);
    const invalid = data.runs.filter((r) => r.state === 'completed' && !r.valid).length;
    if (invalid > 0) warn('load', `${invalid} of ${data.runs.length} runs are invalid (see the flags); their figures are kept and marked`);
    finishWithGates(run.result, run.file, gates, defaultReportsDir(), raw.json === true);
    const nothingAnswered = everyRequestFailed(data);
    if (nothingAnswered !== undefined) warn('load', nothingAnswered);
    if (run.failed || nothingAnswered !== undefined || (raw.strict === true && invalid > 0)) process.exitCode = 1;
  });
}
