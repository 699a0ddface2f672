// One case of the profile suite: one profiler on one request path. Start the target with its scoring
// process(es) wrapped by the tool, drive it with the closed-loop load, stop the profiled processes so the
// tool writes its output, and collect artefacts and summaries. Any failure becomes an errored case.

import { writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type ErrorInfo, ServebenchError, toErrorInfo } from '../errors.js';
import { autocannonEngine } from '../load/engines/autocannon.js';
import { ensureDir } from '../paths.js';
import { progress } from '../progress.js';
import type { ProfileCase, ProfileCaseKey, ProfileLoad, ProfileToolInfo } from '../results/profile.js';
import { version } from '../version.js';
import type { ResolvedProfileOptions } from './options.js';
import { type StartedTarget, stopProfiled } from './target.js';
import { ADAPTERS } from './tools/adapters.js';
import { CLINIC_TOOLS } from './tools/clinic.js';
import { toolOutputTail } from './tools/output.js';
import { type CaseContext, type CommandLine, type ProfilerAdapter, STOP_FILE, type ToolPaths } from './tools/types.js';

/** What every case of a run shares. */
export interface CaseDeps {
  runDir: string;
  paths: ToolPaths;
  /** Start what a case profiles, its profiled process(es) wrapped by the tool. */
  start: (key: ProfileCaseKey, wrap: (cmd: CommandLine) => CommandLine) => Promise<StartedTarget>;
  addonFunctions: ReadonlySet<string>;
  tools: ProfileToolInfo[];
}

function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** The tool's availability as found before the run (clinic's subcommands share clinic's). */
function toolMissing(key: ProfileCaseKey, tools: readonly ProfileToolInfo[]): ProfileCase | undefined {
  const isClinic = (CLINIC_TOOLS as readonly string[]).includes(key.tool);
  const info = tools.find((t) => t.tool === key.tool || (t.tool === 'clinic' && isClinic));
  if (info === undefined || info.available) return undefined;
  return { ...key, state: 'errored', error: toErrorInfo(new ServebenchError('SB_ERR_MISSING_TOOL', `${key.tool}: ${info.note ?? 'not available'}`)) };
}

/** The flame graphs' title: the tool and what it profiled. */
function caseTitle(key: ProfileCaseKey, o: ResolvedProfileOptions): string {
  if (o.command !== undefined) return `${key.tool} · your server · ${o.command.argv.join(' ')}`;
  const service = key.service === 'model' ? 'model API alone · ' : '';
  const kernel = key.kernel === undefined ? '' : ` (${key.kernel})`;
  const model = o.model?.file === undefined ? '' : ` (${basename(o.model.file)})`;
  return `${key.tool} · ${service}${key.path} path · ${key.predict} predict${kernel}${model} · ${key.topology}`;
}

function caseContext(key: ProfileCaseKey, o: ResolvedProfileOptions, deps: CaseDeps, dir: string): CaseContext {
  return {
    tool: key.tool,
    runDir: deps.runDir,
    dir,
    paths: deps.paths,
    addonFunctions: deps.addonFunctions,
    roles: new Map(),
    title: caseTitle(key, o),
    subtitle: [`load: ${o.connections} connections for ${o.durationMs / 1000} s (autocannon)`, `servebench ${version}, node ${process.versions.node}`],
  };
}

/** The tool's wrapping of each profiled command, and how to ask every wrapped process to stop by file. */
function wrapper(key: ProfileCaseKey, adapter: ProfilerAdapter, ctx: CaseContext): { wrap: (cmd: CommandLine) => CommandLine; requestStop: () => void } {
  const procDirs: string[] = [];
  const wrap = (cmd: CommandLine): CommandLine => {
    // nginx runs several profiled backends: each gets its own folder so outputs do not collide.
    const procDir = key.topology === 'nginx' ? ensureDir(join(ctx.dir, `backend-${procDirs.length}`)) : ctx.dir;
    procDirs.push(procDir);
    return adapter.wrap(cmd, ctx, procDir);
  };
  const requestStop = () => {
    for (const d of procDirs) writeFileSync(join(d, STOP_FILE), '');
  };
  return { wrap, requestStop };
}

/** Drive the target with the closed-loop load; returns the load and its window on the monotonic clock. */
async function driveLoad(target: StartedTarget, o: ResolvedProfileOptions): Promise<{ load: ProfileLoad; windowUs: { startUs: number; endUs: number } }> {
  const startUs = nowUs();
  const result = await autocannonEngine.run({
    target: target.request,
    load: { kind: 'closed', engine: 'autocannon', connections: o.connections, pipelining: 1, workers: 0 },
    warmupMs: 0,
    durationMs: o.durationMs,
    timeoutMs: 10_000,
  });
  const windowUs = { startUs, endUs: nowUs() };
  const f = result.failures.byKind;
  const load: ProfileLoad = {
    engine: 'autocannon',
    connections: o.connections,
    durationMs: Math.round(result.windowMs),
    requests: result.requests.completed,
    successes: result.requests.successes,
    failures: { errors: f.errors, timeouts: f.timeouts, non2xx: f.non2xx, resets: f.resets },
    requestsPerSec: Math.round(result.rps * 10) / 10,
    latencyP50Us: Math.round(result.latencyUs.p50),
    latencyP99Us: Math.round(result.latencyUs.p99),
    latencyResolutionUs: result.latencyResolution.resolutionUs,
  };
  return { load, windowUs };
}

/** Run one case; never throws (a failure is an errored case with the tool's last output). */
export async function runCase(key: ProfileCaseKey, o: ResolvedProfileOptions, deps: CaseDeps): Promise<ProfileCase> {
  const dir = ensureDir(join(deps.runDir, key.id));
  const missing = toolMissing(key, deps.tools);
  if (missing !== undefined) return missing;
  const adapter = ADAPTERS[key.tool];
  const ctx = caseContext(key, o, deps, dir);
  const { wrap, requestStop } = wrapper(key, adapter, ctx);
  let target: StartedTarget | undefined;
  try {
    const t0 = performance.now();
    target = await deps.start(key, wrap);
    ctx.roles = target.roles;
    const startMs = performance.now() - t0;
    const { load, windowUs } = await driveLoad(target, o);
    ctx.windowUs = windowUs;
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
      ...(target.model === undefined ? {} : { model: target.model }),
      warnings,
      startMs: Math.round(startMs),
      loadMs: Math.round((windowUs.endUs - windowUs.startUs) / 1000),
      finishMs: stopped.finishMs,
    };
  } catch (err) {
    return { ...key, state: 'errored', error: withToolOutput(err, dir) };
  } finally {
    await target?.stop().catch(() => undefined);
  }
}

/** The error as data, with the tool's own last output added when the message does not carry it yet. */
function withToolOutput(err: unknown, dir: string): ErrorInfo {
  const info = toErrorInfo(err);
  const tail = toolOutputTail(dir, 10);
  const last = tail.trim().split('\n').pop() ?? '';
  if (tail !== '' && !info.message.includes(last)) info.message += `\nthe profiler's output (tool.log):\n${tail}`;
  return info;
}
