// The profile suite: for each tool and request path, start the serving system with its scoring process(es)
// under the profiler, drive it with a bounded closed-loop load, stop it so the tool writes its output, and
// extract summaries from that output. Returns plain data and writes profile.json in the run folder after
// every case, so an interrupted run keeps the cases it finished. A failing case is data, never an exception.

import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { captureEnv } from '../env/index.js';
import { ServebenchError, toErrorInfo } from '../errors.js';
import { loadNative } from '../kernels/native-binding.js';
import { autocannonEngine } from '../load/engines/autocannon.js';
import { defaultProfilesDir, ensureDir, runStamp } from '../paths.js';
import { onShutdown } from '../processes/index.js';
import { progress } from '../progress.js';
import { envelope, type EnvBlock } from '../results/index.js';
import type { ProfileCase, ProfileCaseKey, ProfileData, ProfileLoad, ProfileToolInfo } from '../results/profile.js';
import { writeJsonAtomic } from '../results/write.js';
import { version } from '../version.js';
import { resolveProfileOptions, type ProfileOptions, type ResolvedProfileOptions } from './options.js';
import { startServingTarget, stopProfiled, type StartedTarget, type StartTarget } from './target.js';
import { ADAPTERS, defaultToolPaths, STOP_FILE, toolInfo, toolOutputTail, type CaseContext, type CommandLine, type ToolPaths } from './tools.js';

export const PROFILE_FILE = 'profile.json';

/** The case id, e.g. 'sync-io-0x', 'async-cpu-naive-cluster-cpuprof', 'sync-cpu-naive-model-cpuprof'. */
export function caseId(k: Omit<ProfileCaseKey, 'id'>): string {
  return [k.path, k.predict, k.kernel, k.service === 'model' ? 'model' : undefined, k.topology === 'single' ? undefined : k.topology, k.tool]
    .filter((x) => x !== undefined)
    .join('-');
}

function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Names the native addon exports (its frames show under these names in V8 profiles). */
function addonFunctionNames(): Set<string> {
  const load = loadNative();
  return load.status.available && 'binding' in load ? new Set(Object.keys(load.binding)) : new Set();
}

/** Run the profile suite; writes profile.json (and every artefact) in the run folder and returns the data. */
export async function runProfileSuite(options: ProfileOptions = {}): Promise<ProfileData> {
  const o = resolveProfileOptions(options);
  const runDir = ensureDir(options.outDir ?? join(defaultProfilesDir, runStamp()));
  const paths: ToolPaths = { ...defaultToolPaths(), ...options.toolPaths };
  const startTarget = options.startTarget ?? startServingTarget;
  const env = await captureEnv();
  const tools = await toolInfo(o.tools, paths);
  const data: ProfileData = {
    outDir: runDir,
    settings: {
      tools: o.tools,
      service: o.service,
      paths: o.paths,
      predict: o.predict,
      ...(o.kernel === undefined ? {} : { kernel: o.kernel }),
      ...(o.n === undefined ? {} : { n: o.n }),
      topology: o.topology,
      ...(o.workers === undefined ? {} : { workers: o.workers }),
      store: o.store,
      durationMs: o.durationMs,
      connections: o.connections,
    },
    tools,
    cases: [],
  };
  const save = () => writeProfileJson(runDir, env, data);
  const offShutdown = onShutdown(() => {
    data.interrupted = true;
    save();
  });
  try {
    save();
    const addonFunctions = addonFunctionNames();
    for (const tool of o.tools) {
      for (const path of o.paths) {
        const key: ProfileCaseKey = {
          id: '',
          tool,
          service: o.service,
          path,
          predict: o.predict,
          ...(o.kernel === undefined ? {} : { kernel: o.kernel }),
          topology: o.topology,
          ...(o.workers === undefined ? {} : { workers: o.workers }),
        };
        key.id = caseId(key);
        progress(
          'profile',
          `${key.id}: ${tool} on the ${o.service === 'model' ? 'model API alone, ' : ''}${path} path (${o.predict} predict), ${o.durationMs / 1000} s of load at ${o.connections} connections`,
        );
        const c = await runCase(key, o, { runDir, paths, startTarget, addonFunctions, tools });
        data.cases.push(c);
        progress(
          'profile',
          `${key.id}: ${c.state === 'completed' ? `done (${c.artefacts.length} files, ${c.summaries.length} summaries)` : c.state === 'errored' ? `failed: ${c.error.message.split('\n')[0]}` : `skipped: ${c.reason}`}`,
        );
        save();
        options.onCase?.(c);
      }
    }
    return data;
  } finally {
    offShutdown();
  }
}

function writeProfileJson(runDir: string, env: EnvBlock, data: ProfileData): void {
  writeJsonAtomic(join(runDir, PROFILE_FILE), envelope('profile', env, data, version));
}

interface CaseDeps {
  runDir: string;
  paths: ToolPaths;
  startTarget: StartTarget;
  addonFunctions: ReadonlySet<string>;
  tools: ProfileToolInfo[];
}

async function runCase(key: ProfileCaseKey, o: ResolvedProfileOptions, deps: CaseDeps): Promise<ProfileCase> {
  const dir = ensureDir(join(deps.runDir, key.id));
  const adapter = ADAPTERS[key.tool];
  const info = deps.tools.find((t) => t.tool === key.tool || (t.tool === 'clinic' && ['doctor', 'flame', 'bubbleprof', 'heap'].includes(key.tool)));
  if (info !== undefined && !info.available) {
    return { ...key, state: 'errored', error: toErrorInfo(new ServebenchError('SB_ERR_MISSING_TOOL', `${key.tool}: ${info.note ?? 'not available'}`)) };
  }
  const ctx: CaseContext = {
    tool: key.tool,
    runDir: deps.runDir,
    dir,
    paths: deps.paths,
    addonFunctions: deps.addonFunctions,
    roles: new Map(),
    title: `${key.tool} · ${key.service === 'model' ? 'model API alone · ' : ''}${key.path} path · ${key.predict} predict${key.kernel === undefined ? '' : ` (${key.kernel})`} · ${key.topology}`,
    subtitle: [`load: ${o.connections} connections for ${o.durationMs / 1000} s (autocannon)`, `servebench ${version}, node ${process.versions.node}`],
  };
  const procDirs: string[] = [];
  const wrap = (cmd: CommandLine): CommandLine => {
    // nginx runs several profiled backends: each gets its own folder so outputs do not collide.
    const procDir = key.topology === 'nginx' ? ensureDir(join(dir, `backend-${procDirs.length}`)) : dir;
    procDirs.push(procDir);
    return adapter.wrap(cmd, ctx, procDir);
  };
  const requestStop = () => {
    for (const d of procDirs) writeFileSync(join(d, STOP_FILE), '');
  };
  let target: StartedTarget | undefined;
  try {
    const t0 = performance.now();
    target = await deps.startTarget(
      {
        service: key.service,
        path: key.path,
        topology: key.topology,
        predict: key.predict,
        store: o.store,
        ...(o.kernel === undefined ? {} : { kernel: o.kernel }),
        ...(o.n === undefined ? {} : { n: o.n }),
        ...(o.workers === undefined ? {} : { workers: o.workers }),
      },
      wrap,
    );
    ctx.roles = target.roles;
    const startMs = performance.now() - t0;

    const startUs = nowUs();
    const result = await autocannonEngine.run({
      target: target.request,
      load: { kind: 'closed', engine: 'autocannon', connections: o.connections, pipelining: 1, workers: 0 },
      warmupMs: 0,
      durationMs: o.durationMs,
      timeoutMs: 10_000,
    });
    const endUs = nowUs();
    ctx.windowUs = { startUs, endUs };
    const load: ProfileLoad = {
      engine: 'autocannon',
      connections: o.connections,
      durationMs: Math.round(result.windowMs),
      requests: result.requests.completed,
      successes: result.requests.successes,
      failures: {
        errors: result.failures.byKind.errors,
        timeouts: result.failures.byKind.timeouts,
        non2xx: result.failures.byKind.non2xx,
        resets: result.failures.byKind.resets,
      },
      requestsPerSec: Math.round(result.rps * 10) / 10,
      latencyP50Us: Math.round(result.latencyUs.p50),
      latencyP99Us: Math.round(result.latencyUs.p99),
      latencyResolutionUs: result.latencyResolution.resolutionUs,
    };

    progress('profile', `${key.id}: ${load.requests} requests (${load.requestsPerSec} req/s); stopping the profiled process so ${key.tool} writes its output`);
    const stopped = await stopProfiled(target.profiledPids, o.finishTimeoutMs, adapter.stopWith === 'stop-file' ? requestStop : undefined);
    await target.stop();
    const collected = await adapter.collect(ctx);
    const warnings = [...collected.warnings];
    if (stopped.killed)
      warnings.push(`${key.tool} had not finished ${o.finishTimeoutMs / 1000} s after the stop signal and was killed: its output may be incomplete`);
    if (load.successes === 0) warnings.push('no request succeeded during the load: the profile shows a failing service');
    return {
      ...key,
      state: 'completed',
      dir: relative(deps.runDir, dir),
      artefacts: collected.artefacts,
      load,
      summaries: collected.summaries,
      ...(collected.doctor === undefined ? {} : { doctor: collected.doctor }),
      notes: target.notes,
      warnings,
      startMs: Math.round(startMs),
      loadMs: Math.round((endUs - startUs) / 1000),
      finishMs: stopped.finishMs,
    };
  } catch (err) {
    return { ...key, state: 'errored', error: withToolOutput(err, dir) };
  } finally {
    await target?.stop().catch(() => undefined);
  }
}

/** The error as data, with the tool's own last output added when the message does not carry it yet. */
function withToolOutput(err: unknown, dir: string): ReturnType<typeof toErrorInfo> {
  const info = toErrorInfo(err);
  const tail = toolOutputTail(dir, 10);
  const last = tail.trim().split('\n').pop() ?? '';
  if (tail !== '' && !info.message.includes(last)) info.message += `\nthe profiler's output (tool.log):\n${tail}`;
  return info;
}
