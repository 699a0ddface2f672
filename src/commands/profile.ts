// `servebench profile`: start the serving system with its scoring process under a profiler (0x, clinic doctor,
// flame, bubbleprof, heap-profiler, node --cpu-prof, perf), drive it with load, and write the artefacts,
// profile.json (summaries extracted from the profile data) and profile.md to profiles/<run>/. With no
// options: both request paths with 0x and clinic doctor (what `npm run profile` runs).

import type { Command } from 'commander';
import { parseChoice, parseChoiceList, parseDuration, parseInteger } from '../options.js';
import { defaultProfilesDir, defaultReportsDir } from '../paths.js';
import { OptionError } from '../errors.js';
import { BODY_ORDERS, HTTP_METHODS, readRequestData } from '../load/request-data.js';
import { type CommandTargetOptions, PROFILE_DEFAULTS, type ProfileOptions, resolveProfileOptions } from '../profile/options.js';
import { progress, setQuiet } from '../progress.js';
import { renderProfileMarkdown } from '../report/profile.js';
import { toJson } from '../results/index.js';
import { KERNEL_NAMES, MATRIX_PATHS, PREDICT_KINDS, PROFILE_SERVICES, PROFILE_TOOLS, STORE_KINDS, TOPOLOGIES } from '../results/vocab.js';
import { runSuiteToFile } from '../run/run-suite.js';
import { addGateOptions, finishWithGates, type GateFlags, parseGates } from './gates.js';
import { profileSuite } from '../run/suites/profile.js';

interface ProfileCliOptions extends GateFlags {
  tool?: string;
  path?: string;
  service?: string;
  predict?: string;
  kernel?: string;
  n?: string;
  model?: string;
  onnxThreads?: string;
  topology?: string;
  workers?: string;
  store?: string;
  duration: string;
  connections: string;
  port?: string;
  urlPath?: string;
  method?: string;
  body: string[];
  bodies?: string;
  bodiesOrder?: string;
  header: string[];
  seed?: string;
  out?: string;
  json?: boolean;
  markdown?: boolean;
  quiet?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** The services --service accepts (command is what a command after -- means). */
const SERVICE_CHOICES = PROFILE_SERVICES.filter((s) => s !== 'command');

/** Your own server's options: the command after --, where it listens, and the request the load sends it. */
function commandOptions(opts: ProfileCliOptions, argv: readonly string[]): CommandTargetOptions | undefined {
  const own = { '--port': opts.port, '--url-path': opts.urlPath, '--method': opts.method, '--bodies': opts.bodies, '--bodies-order': opts.bodiesOrder };
  if (argv.length === 0) {
    const given = Object.entries(own).find(([, v]) => v !== undefined)?.[0] ?? (opts.body.length + opts.header.length > 0 ? '--body/--header' : undefined);
    if (given !== undefined) throw new OptionError(given, 'applies to your own server, given as a command after --, e.g. -- node app.js');
    return undefined;
  }
  const data = readRequestData({
    body: opts.body,
    ...(opts.bodies === undefined ? {} : { bodies: opts.bodies }),
    ...(opts.bodiesOrder === undefined ? {} : { order: parseChoice('--bodies-order', opts.bodiesOrder, BODY_ORDERS) }),
    header: opts.header,
    seed: opts.seed === undefined ? 1 : parseInteger('--seed', opts.seed, 0, 0xffffffff),
  });
  return {
    argv: [...argv],
    ...(opts.port === undefined ? {} : { port: parseInteger('--port', opts.port, 1, 65535) }),
    ...(opts.urlPath === undefined ? {} : { urlPath: opts.urlPath }),
    ...(opts.method === undefined ? {} : { method: parseChoice('--method', opts.method.toUpperCase(), HTTP_METHODS) }),
    headers: data.headers,
    bodies: data.bodies,
    requestData: data.echo,
  };
}

/** The flags as the suite's options (each checked here, naming the flag); defaults are the suite's (PROFILE_DEFAULTS). */
function profileOptions(opts: ProfileCliOptions, argv: readonly string[]): ProfileOptions {
  const command = commandOptions(opts, argv);
  const service = opts.service === undefined ? undefined : parseChoice('--service', opts.service, SERVICE_CHOICES);
  return {
    ...(opts.tool === undefined ? {} : { tools: parseChoiceList('--tool', opts.tool, PROFILE_TOOLS) }),
    ...(opts.path === undefined ? {} : { paths: parseChoiceList('--path', opts.path, MATRIX_PATHS) }),
    ...(service === undefined ? {} : { service }),
    ...(opts.predict === undefined ? {} : { predict: parseChoice('--predict', opts.predict, PREDICT_KINDS) }),
    ...(opts.topology === undefined ? {} : { topology: parseChoice('--topology', opts.topology, TOPOLOGIES) }),
    ...(opts.store === undefined ? {} : { store: parseChoice('--store', opts.store, STORE_KINDS) }),
    ...(opts.kernel === undefined ? {} : { kernel: parseChoice('--kernel', opts.kernel, KERNEL_NAMES) }),
    ...(opts.n === undefined ? {} : { n: parseInteger('--n', opts.n, 1, 1_000_000_000) }),
    ...(opts.model === undefined ? {} : { modelFile: opts.model }),
    ...(opts.onnxThreads === undefined ? {} : { onnxThreads: parseInteger('--onnx-threads', opts.onnxThreads, 1, 256) }),
    ...(opts.workers === undefined ? {} : { workers: parseInteger('--workers', opts.workers, 1, 64) }),
    ...(command === undefined ? {} : { command }),
    durationMs: parseDuration('--duration', opts.duration, 500, 600_000),
    connections: parseInteger('--connections', opts.connections, 1, 10_000),
  };
}

export function register(program: Command): void {
  addGateOptions(
    program
      .command('profile')
      .description(
        'profile the request paths under load: flame graphs (0x, --cpu-prof, perf), clinic doctor/flame/bubbleprof/heap-profiler reports, ' +
          'and summaries extracted from the profile data, in profiles/<run>/',
      )
      .option('--tool <list>', `profilers, comma-separated: ${PROFILE_TOOLS.join(', ')} (default ${PROFILE_DEFAULTS.tools.join(',')})`)
      .option('--path <list>', `request paths, comma-separated: ${MATRIX_PATHS.join(', ')} (default both)`)
      .option(
        '--service <name>',
        'what runs under the profiler: scoring (the whole system runs; default) or model (one model API alone, where a cpu predict or a model runs)',
      )
      .option('--predict <kind>', 'io (two 40-50 ms model waits; default), cpu (a mean over n values), onnx (an ONNX model) or module (your JS predict module)')
      .option('--model <file>', 'onnx: an .onnx model (default: the shipped models); module: a .mjs/.js/.cjs exporting predict(features)')
      .option('--onnx-threads <N>', 'onnx: intra-op threads of each onnxruntime session')
      .option('--kernel <name>', `cpu predict only: ${KERNEL_NAMES.join(', ')}`)
      .option('--n <count>', 'cpu predict only: values per predict')
      .option('--topology <kind>', 'single (default), cluster (cpuprof and perf only: they follow cluster workers), nginx')
      .option('--workers <count>', 'scoring processes for cluster and nginx (1..64)')
      .option('--store <kind>', `feature store: ${STORE_KINDS.join(' or ')} (default: redis if REDIS_URL is set or redis-server is on PATH, else memory)`)
      .option('--duration <time>', 'load per case while profiled, e.g. 10s (500ms..10m)', `${PROFILE_DEFAULTS.durationMs / 1000}s`)
      .option('--connections <count>', 'connections of the closed-loop load (1..10000)', String(PROFILE_DEFAULTS.connections))
      .argument('[command...]', 'your own server after --, e.g. -- node app.js: started under the profiler, loaded, stopped')
      .option('--port <port>', 'your server: the port it listens on (default: the first port it listens on, or the one it prints)')
      .option('--url-path <path>', "your server: the request's path, e.g. /predict (default /)")
      .option('--method <m>', 'your server: HTTP method (default POST with a body, else GET)')
      .option('--body <text>', 'your server: a request body, or @FILE (repeat for several, sent in turn)', collect, [])
      .option('--bodies <file>', 'your server: an NDJSON file, one request body a line')
      .option('--bodies-order <order>', `your server: ${BODY_ORDERS.join(' or ')} (random: seeded by --seed)`)
      .option('--header <h>', "your server: a header 'name: value', or @FILE with one a line (repeatable)", collect, [])
      .option('--seed <n>', 'your server: seed of --bodies-order random (default 1)')
      .option('--out <dir>', 'the run folder (default: a new profiles/profile-<time>/ under the working folder)')
      .option('--json', 'print profile.json on stdout instead of the summary')
      .option('--markdown', 'print the Markdown summary instead of the terminal one')
      .option('--quiet', 'no progress lines on stderr'),
    false,
  ).action(async (argv: string[], opts: ProfileCliOptions) => {
    if (opts.quiet === true) setQuiet(true);
    const options = profileOptions(opts, argv);
    // Validate everything (combinations too) before capturing the environment or making the run folder.
    resolveProfileOptions(options);
    const gates = parseGates(opts, defaultReportsDir());
    const run = await runSuiteToFile(profileSuite, options, opts.out === undefined ? { parentDir: defaultProfilesDir() } : { outDir: opts.out });
    progress('profile', `wrote ${run.file} and profile.md`);
    if (opts.json === true) process.stdout.write(toJson(run.result));
    else process.stdout.write(opts.markdown === true ? renderProfileMarkdown(run.result.data) : profileSuite.terminal(run.result));
    // A failed case is data in the results, and a non-zero exit for whoever ran the command.
    finishWithGates(run.result, run.file, gates, defaultReportsDir(), opts.json === true);
    if (run.failed) process.exitCode = 1;
  });
}
