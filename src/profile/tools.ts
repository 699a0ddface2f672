// The profiler adapters, one interface for all: how each tool wraps the scoring command (through the serving
// system's wrapScoring hook), and how its output is found and turned into artefacts and summaries once the
// profiled process has exited. Tool binaries are resolved here (and can be overridden, e.g. by tests).

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServebenchError } from '../errors.js';
import { compiledEntry, packageRoot } from '../paths.js';
import { Supervisor } from '../processes/index.js';
import type { DoctorVerdict, ProfileArtefact, ProfileSummary, ProfileToolInfo, ProfileToolName } from '../results/profile.js';
import type { CommandLine } from '../serving/topology/process.js';
import { cpuProfileToStacks, loadCpuProfile } from './cpuprofile.js';
import { readDoctorVerdict } from './doctor.js';
import { renderFlameGraphHtml } from './flamegraph.js';
import { heapProfileToStacks } from './heap-profile.js';
import { PerfScriptReader } from './perf-script.js';
import { mergeProfiles, type StackProfile } from './stacks.js';
import { summarize } from './summary.js';
import { flameSamplesToStacks, tickLogToStacks } from './tick-log.js';

const require = createRequire(import.meta.url);

/** The command that starts a scoring process, as the serving system's wrapScoring hook passes it. */
export type { CommandLine };

/** Where the tools are; every field can be overridden (a missing tool is then reported, not hidden). */
export interface ToolPaths {
  /** The node that runs 0x, clinic and the launcher. @default process.execPath */
  node: string;
  /** 0x's command-line script. */
  zeroX: string;
  /** clinic's command-line script. */
  clinic: string;
  /** perf, found on PATH when not absolute. @default 'perf' */
  perf: string;
}

export function defaultToolPaths(): ToolPaths {
  return { node: process.execPath, zeroX: safeResolve('0x/cmd.js'), clinic: safeResolve('clinic/bin.js'), perf: 'perf' };
}

function safeResolve(id: string): string {
  try {
    return require.resolve(id);
  } catch {
    return `(not installed: ${id})`;
  }
}

/** Everything an adapter needs to know about the case it profiles. */
export interface CaseContext {
  tool: ProfileToolName;
  /** The run folder and this case's folder (absolute). */
  runDir: string;
  dir: string;
  paths: ToolPaths;
  /** Names the native addon exports, so its frames are charged to it. */
  addonFunctions: ReadonlySet<string>;
  /** What the profiled processes are: pid -> role ('scoring', 'scoring-primary'...). */
  roles: ReadonlyMap<number, string>;
  /** The load window on the monotonic clock (µs), once the load has run. */
  windowUs?: { startUs: number; endUs: number };
  /** Title and subtitle lines for the flame graphs this suite draws. */
  title: string;
  subtitle: string[];
}

export interface CollectResult {
  artefacts: ProfileArtefact[];
  summaries: ProfileSummary[];
  doctor?: DoctorVerdict;
  warnings: string[];
}

export interface ProfilerAdapter {
  readonly name: ProfileToolName;
  /** Whether it profiles cluster workers too (0x and clinic refuse a cluster). */
  readonly followsClusterWorkers: boolean;
  /**
   * How the profiled process is told to stop: 'signal' (SIGINT to its process group, as Ctrl-C), or
   * 'stop-file' (the suite creates STOP_FILE in each process folder; clinic's --on-port command then ends and
   * clinic stops the process through its own channel). Either way SIGINT follows if it has not exited in time.
   */
  readonly stopWith: 'signal' | 'stop-file';
  /** The command to run instead of `cmd`; `dir` is this process's folder (one per process for nginx backends). */
  wrap(cmd: CommandLine, ctx: CaseContext, dir: string): CommandLine;
  /** Find the tool's output once every profiled process has exited; throws when the tool wrote nothing usable. */
  collect(ctx: CaseContext): Promise<CollectResult>;
}

export const TOOL_LOG = 'tool.log';
export const TOOL_EXIT = 'tool-exit.json';
export const STOP_FILE = 'stop';

/** A word for a POSIX shell: clinic runs its --on-port command through sh -c. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Set in the environment of every profiled process: a service entry point seeing it must, on SIGINT, close
 * what it holds and let the process exit by itself (no immediate process.exit), because clinic's samplers
 * and heap profiler flush their data on 'beforeExit' or after the signal (see docs/profile.md).
 */
export const PROFILED_ENV = 'SERVEBENCH_PROFILED';

/** Run `argv` through the launcher in `dir` (see launch.ts). */
function launched(ctx: CaseContext, dir: string, argv: string[], env: Record<string, string>): CommandLine {
  return { command: ctx.paths.node, args: [compiledEntry('src/profile/launch'), dir, '--', ...argv], env: { ...env, [PROFILED_ENV]: ctx.tool } };
}

function softExitImport(): string[] {
  return ['--import', pathToFileURL(compiledEntry('src/profile/soft-exit')).href];
}

function requireNode(cmd: CommandLine, tool: string): void {
  if (!/node(js)?(\d+)?(\.exe)?$/.test(basename(cmd.command))) {
    throw new ServebenchError('SB_ERR_INTERNAL', `${tool} wraps a node command; got ${cmd.command}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Files and the tool's own account of how it ended.

/** Every file under `dir`, recursively (absolute paths). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

/** The last lines the tool printed (from the launcher's tool.log files under `dir`). */
export function toolOutputTail(dir: string, lines = 15): string {
  const logs = filesUnder(dir).filter((f) => basename(f) === TOOL_LOG);
  return logs
    .map((f) =>
      readFileSync(f, 'utf8')
        .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
        .trim()
        .split('\n')
        .slice(-lines)
        .join('\n'),
    )
    .filter((t) => t !== '')
    .join('\n---\n');
}

function toolExits(dir: string): { code: number | null; signal: string | null; error?: string }[] {
  return filesUnder(dir)
    .filter((f) => basename(f) === TOOL_EXIT)
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as { code: number | null; signal: string | null; error?: string });
}

/** An error for a tool that produced nothing usable, with how it ended and its last output. */
function toolFailed(ctx: CaseContext, what: string, dir: string = ctx.dir): ServebenchError {
  const exits = toolExits(dir)
    .map((e) => (e.error !== undefined ? `could not start: ${e.error}` : e.signal !== null ? `killed by ${e.signal}` : `exit code ${e.code}`))
    .join(', ');
  const tail = toolOutputTail(dir);
  const missing = toolExits(dir).some((e) => e.error !== undefined && /ENOENT/.test(e.error));
  return new ServebenchError(
    missing ? 'SB_ERR_MISSING_TOOL' : 'SB_ERR_EXITED',
    `${ctx.tool}: ${what}${exits === '' ? '' : ` (the tool: ${exits})`}${tail === '' ? '' : `; its last output:\n${tail}`}`,
  );
}

/** Describe every file of the case as an artefact. */
export function listArtefacts(ctx: CaseContext): ProfileArtefact[] {
  return filesUnder(ctx.dir).map((file) => {
    const name = basename(file);
    const rel = relative(ctx.runDir, file);
    const bytes = statSync(file).size;
    const a = (kind: ProfileArtefact['kind'], description: string): ProfileArtefact => ({ kind, path: rel, bytes, description });
    if (name === 'flamegraph.html' && file.includes(`${join('0x', 'flamegraph.html')}`)) return a('flamegraph', '0x flame graph (interactive HTML)');
    if (name.startsWith('flamegraph') && name.endsWith('.html'))
      return a('flamegraph', 'flame graph drawn by servebench from the profile data (self-contained HTML/SVG)');
    if (/\.clinic-flame\.html$/.test(name)) return a('flamegraph', 'clinic flame report (flame graph)');
    if (/\.clinic-doctor\.html$/.test(name)) return a('report', 'clinic doctor report');
    if (/\.clinic-bubbleprof\.html$/.test(name)) return a('report', 'clinic bubbleprof report');
    if (/\.clinic-heapprofiler\.html$/.test(name)) return a('report', 'clinic heap profiler report');
    if (name.endsWith('.cpuprofile')) return a('data', 'V8 CPU profile (open in Chrome DevTools or speedscope)');
    if (/^isolate-.*\.log\.json$/.test(name)) return a('data', 'V8 tick log, preprocessed (with VM states)');
    if (/^isolate-.*\.log$/.test(name)) return a('data', 'V8 tick log');
    if (name === 'perf.data') return a('data', 'perf record capture (perf report -i)');
    if (name === TOOL_LOG) return a('data', "the profiler's own output");
    if (name === TOOL_EXIT) return a('data', 'how the profiler exited');
    if (name === STOP_FILE) return a('data', 'the stop request the suite wrote (empty)');
    if (/\.clinic-heapprofiler$/.test(name)) return a('data', 'V8 sampling heap profile (.heapprofile format)');
    return a('data', 'profiler data');
  });
}

function relTo(ctx: CaseContext, file: string): string {
  return relative(ctx.runDir, file);
}

function pidFromName(name: string): number | undefined {
  const m = /(?:^|[.-])(\d{2,})(?:[.-])/.exec(name);
  return m === null ? undefined : Number(m[1]);
}

function drawFlameGraph(ctx: CaseContext, file: string, profile: StackProfile, summary: ProfileSummary, what: string): void {
  writeFileSync(file, renderFlameGraphHtml(profile, { title: `${ctx.title}: ${what}`, subtitle: ctx.subtitle, summary }));
}

// ---------------------------------------------------------------------------------------------------------
// 0x

const zeroX: ProfilerAdapter = {
  name: '0x',
  followsClusterWorkers: false,
  // 0x's preload exits the process on SIGINT; 0x then turns the tick log into its flame graph.
  stopWith: 'signal',
  wrap(cmd, ctx, dir) {
    requireNode(cmd, '0x');
    // -D is the output folder (-o would open a browser); -q keeps its status line quiet, errors still print.
    return launched(ctx, dir, [ctx.paths.node, ctx.paths.zeroX, '-q', '-D', join(dir, '0x'), '--', cmd.command, ...cmd.args], cmd.env);
  },
  async collect(ctx) {
    const files = filesUnder(ctx.dir);
    const graphs = files.filter((f) => basename(f) === 'flamegraph.html');
    if (graphs.length === 0) throw toolFailed(ctx, '0x wrote no flame graph');
    const warnings: string[] = [];
    const summaries: ProfileSummary[] = [];
    for (const log of files.filter((f) => /^isolate-.*\.log\.json$/.test(basename(f)))) {
      const pid = /-(\d+)-v8\.log\.json$/.exec(basename(log))?.[1];
      try {
        summaries.push(
          summarize(tickLogToStacks(log), {
            source: 'v8-tick-log',
            process: processLabel(ctx, pid === undefined ? undefined : Number(pid)),
            pids: pid === undefined ? [] : [Number(pid)],
          }),
        );
      } catch (err) {
        warnings.push(`could not summarise ${relTo(ctx, log)}: ${(err as Error).message}`);
      }
    }
    if (summaries.length === 0 && warnings.length === 0) warnings.push('0x left no preprocessed tick log (isolate-*.log.json) to summarise');
    return { artefacts: listArtefacts(ctx), summaries, warnings };
  },
};

function processLabel(ctx: CaseContext, pid: number | undefined, thread?: number): string {
  if (pid === undefined) return 'scoring';
  const role = ctx.roles.get(pid) ?? 'scoring';
  return `${role} pid ${pid}${thread !== undefined && thread !== 0 ? ` thread ${thread}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// clinic doctor, flame, bubbleprof, heapprofiler

function clinicAdapter(name: 'doctor' | 'flame' | 'bubbleprof' | 'heap'): ProfilerAdapter {
  const sub = name === 'heap' ? 'heapprofiler' : name;
  // doctor and flame stop cleanly through --on-port: their samplers flush whatever the service does on a
  // signal. Not bubbleprof (its --on-port stop hangs unless the server closes itself on 'beforeExit') nor
  // heap-profiler (its preload also runs in worker threads, where its --on-port channel fails): these get
  // SIGINT, and need the service not to exit before they have written (see docs/profile.md).
  const stopWith = name === 'doctor' || name === 'flame' ? 'stop-file' : 'signal';
  return {
    name,
    followsClusterWorkers: false,
    stopWith,
    wrap(cmd, ctx, dir) {
      requireNode(cmd, `clinic ${sub}`);
      const onPort =
        stopWith === 'stop-file'
          ? ['--on-port', [ctx.paths.node, compiledEntry('src/profile/wait-file'), join(dir, STOP_FILE), String(STOP_FILE_LIMIT_MS)].map(shellQuote).join(' ')]
          : [];
      // NO_INSIGHT: clinic otherwise waits on a prompt for permission to send usage statistics.
      return launched(ctx, dir, [ctx.paths.node, ctx.paths.clinic, sub, '--open=false', '--dest', dir, ...onPort, '--', cmd.command, ...cmd.args], {
        ...cmd.env,
        NO_INSIGHT: '1',
      });
    },
    async collect(ctx) {
      const files = filesUnder(ctx.dir);
      const reports = files.filter((f) => f.endsWith(`.clinic-${sub}.html`));
      if (reports.length === 0) throw toolFailed(ctx, `clinic ${sub} wrote no report`);
      const warnings: string[] = [];
      const summaries: ProfileSummary[] = [];
      let doctor: DoctorVerdict | undefined;
      for (const report of reports) {
        const pid = pidFromName(basename(report));
        try {
          if (name === 'doctor') doctor = readDoctorVerdict(report);
          if (name === 'flame') {
            const samples = files.find((f) => f.endsWith(`${pid}.clinic-flame-samples`));
            if (samples === undefined) warnings.push(`clinic flame left no samples file beside ${relTo(ctx, report)}`);
            else
              summaries.push(
                summarize(flameSamplesToStacks(samples), {
                  source: 'clinic-flame-samples',
                  process: processLabel(ctx, pid),
                  pids: pid === undefined ? [] : [pid],
                }),
              );
          }
          if (name === 'heap') {
            const data = files.find((f) => basename(f) === `${pid}.clinic-heapprofiler`);
            if (data === undefined) warnings.push(`clinic heapprofiler left no heap profile beside ${relTo(ctx, report)}`);
            else
              summaries.push(
                summarize(heapProfileToStacks(data), { source: 'v8-heap-profile', process: processLabel(ctx, pid), pids: pid === undefined ? [] : [pid] }),
              );
          }
        } catch (err) {
          warnings.push(`could not read ${relTo(ctx, report)}: ${(err as Error).message}`);
        }
      }
      if (reports.length > 1 && name === 'doctor')
        warnings.push(`doctor ran on ${reports.length} processes; the verdict kept is the last one's (each report has its own)`);
      return { artefacts: listArtefacts(ctx), summaries, ...(doctor === undefined ? {} : { doctor }), warnings };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// node --cpu-prof (every process and thread, cluster workers included)

/** The --on-port waiter ends by itself after this long, so a run that never writes the stop file still ends. */
const STOP_FILE_LIMIT_MS = 3_600_000;

const CPUPROF_DIR = 'cpuprofile';
/** servebench's JavaScript wrapper of the addon, as the profiled (compiled) processes load it. */
const NATIVE_WRAPPERS = [join(packageRoot, 'dist', 'src', 'kernels', 'native.js'), join(packageRoot, 'src', 'kernels', 'native.ts')];

const cpuprof: ProfilerAdapter = {
  name: 'cpuprof',
  followsClusterWorkers: true,
  // The soft-exit preload makes every profiled process exit normally on SIGINT, so V8 writes its profile.
  stopWith: 'signal',
  wrap(cmd, _ctx, dir) {
    requireNode(cmd, '--cpu-prof');
    // Cluster workers and worker threads inherit these flags (execArgv), so each writes its own profile.
    return {
      command: cmd.command,
      args: ['--cpu-prof', '--cpu-prof-dir', join(dir, CPUPROF_DIR), ...softExitImport(), ...cmd.args],
      env: { ...cmd.env, [PROFILED_ENV]: 'cpuprof' },
    };
  },
  async collect(ctx) {
    const files = filesUnder(ctx.dir).filter((f) => f.endsWith('.cpuprofile'));
    if (files.length === 0) throw toolFailed(ctx, 'no .cpuprofile was written (a profiled process must exit by itself, not be killed by a signal)');
    const warnings: string[] = [];
    const summaries: ProfileSummary[] = [];
    const workerProfiles: StackProfile[] = [];
    const workerPids: number[] = [];
    const profiles: { file: string; pid: number; thread: number; profile: StackProfile }[] = [];
    for (const file of files) {
      // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
      const m = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(basename(file));
      const pid = m === null ? 0 : Number(m[1]);
      const thread = m === null ? 0 : Number(m[2]);
      try {
        const profile = cpuProfileToStacks(loadCpuProfile(file), {
          ...(ctx.windowUs === undefined ? {} : { windowUs: ctx.windowUs }),
          addonFunctions: ctx.addonFunctions,
          addonWrappers: NATIVE_WRAPPERS,
          // A worker thread in Atomics.wait is a pool worker waiting for a task: idle, not blocking requests.
          atomicsWait: thread === 0 ? 'blocked' : 'idle',
        });
        profiles.push({ file, pid, thread, profile });
      } catch (err) {
        warnings.push(`could not read ${relTo(ctx, file)}: ${(err as Error).message}`);
      }
    }
    // Main threads first (pid order), then worker threads.
    profiles.sort((a, b) => (a.thread === 0 ? 0 : 1) - (b.thread === 0 ? 0 : 1) || a.pid - b.pid || a.thread - b.thread);
    for (const p of profiles) {
      const label = processLabel(ctx, p.pid, p.thread);
      const summary = summarize(p.profile, { source: 'v8-cpuprofile', process: label, pids: [p.pid] });
      summaries.push(summary);
      drawFlameGraph(ctx, p.file.replace(/\.cpuprofile$/, '.html').replace(/CPU\./, 'flamegraph-CPU.'), p.profile, summary, label);
      if (p.thread === 0 && ctx.roles.get(p.pid) !== undefined && !/primary/.test(ctx.roles.get(p.pid)!) && ctx.roles.size > 1) {
        workerProfiles.push(p.profile);
        workerPids.push(p.pid);
      }
    }
    if (workerProfiles.length > 1) {
      const merged = mergeProfiles(workerProfiles);
      const label = `all ${workerProfiles.length} workers`;
      const summary = summarize(merged, { source: 'v8-cpuprofile', process: label, pids: workerPids });
      summaries.push(summary);
      drawFlameGraph(ctx, join(ctx.dir, 'flamegraph-all-workers.html'), merged, summary, label);
    }
    return { artefacts: listArtefacts(ctx), summaries, warnings };
  },
};

// ---------------------------------------------------------------------------------------------------------
// perf record (optional): on-CPU samples of every process and thread, Rust frames of the addon by name

const PERF_DATA = 'perf.data';
/** Sampling frequency: a prime, so sampling does not beat with periodic work. */
const PERF_HZ = 499;

const perf: ProfilerAdapter = {
  name: 'perf',
  followsClusterWorkers: true,
  // perf record stops on SIGINT once its workload has exited (the soft-exit preload sees to that).
  stopWith: 'signal',
  wrap(cmd, ctx, dir) {
    requireNode(cmd, 'perf');
    // -k mono: sample times on the monotonic clock, so the load window can be cut out exactly.
    // --perf-basic-prof: node writes /tmp/perf-<pid>.map so JIT frames get names;
    // --interpreted-frames-native-stack gives interpreted functions their own frames too.
    return launched(
      ctx,
      dir,
      [
        ctx.paths.perf,
        'record',
        '-F',
        String(PERF_HZ),
        '-g',
        '-k',
        'mono',
        '-o',
        join(dir, PERF_DATA),
        '--',
        cmd.command,
        '--perf-basic-prof',
        '--interpreted-frames-native-stack',
        ...softExitImport(),
        ...cmd.args,
      ],
      cmd.env,
    );
  },
  async collect(ctx) {
    const data = filesUnder(ctx.dir).filter((f) => basename(f) === PERF_DATA);
    if (data.length === 0) throw toolFailed(ctx, 'perf wrote no perf.data');
    const warnings: string[] = [];
    const summaries: ProfileSummary[] = [];
    for (const file of data) {
      const reader = new PerfScriptReader(ctx.windowUs === undefined ? {} : { windowUs: ctx.windowUs });
      const sup = new Supervisor();
      const seenPids = new Set<number>();
      try {
        const proc = await sup.start({
          name: 'perf-script',
          command: ctx.paths.perf,
          args: ['script', '-i', file, '-F', 'comm,pid,tid,time,ip,sym,dso'],
          keepOutputBytes: 8192,
          stopTimeoutMs: 2000,
        });
        proc.onLine((l) => {
          reader.line(l);
          const m = /^\S.*?\s+(\d+)\/\d+\s+\d+\.\d+:/.exec(l);
          if (m !== null) seenPids.add(Number(m[1]));
        });
        const exit = await proc.waitForExit(180_000).catch(async (err: unknown) => {
          await proc.stop();
          throw err;
        });
        if (exit.code !== 0) warnings.push(`perf script exited with code ${exit.code}: ${proc.output().trim().split('\n').slice(-3).join(' / ')}`);
      } finally {
        await sup.stopAll();
        // The JIT maps node wrote for perf are ours (the processes this case started): remove them.
        for (const pid of seenPids) rmSync(`/tmp/perf-${pid}.map`, { force: true });
      }
      // perf records only its workload and the workload's children: every process here is ours.
      const procs = reader.finish(Math.round(1e6 / PERF_HZ));
      const all: StackProfile[] = [];
      const pids: number[] = [];
      for (const p of procs) {
        const label = `${processLabel(ctx, p.pid)} (${p.comm})`;
        const summary = summarize(p.profile, { source: 'perf-script', process: label, pids: [p.pid] });
        summaries.push(summary);
        drawFlameGraph(ctx, join(dirname(file), `flamegraph-perf-${p.pid}.html`), p.profile, summary, `perf, ${label}`);
        all.push(p.profile);
        pids.push(p.pid);
      }
      if (all.length > 1) {
        const merged = mergeProfiles(all);
        const summary = summarize(merged, { source: 'perf-script', process: `all ${all.length} processes`, pids });
        summaries.push(summary);
        drawFlameGraph(ctx, join(dirname(file), 'flamegraph-perf-all.html'), merged, summary, 'perf, all processes');
      }
      if (procs.length === 0) warnings.push(`perf recorded no samples of the profiled processes in ${relTo(ctx, file)}`);
    }
    return { artefacts: listArtefacts(ctx), summaries, warnings };
  },
};

export const ADAPTERS: Record<ProfileToolName, ProfilerAdapter> = {
  '0x': zeroX,
  doctor: clinicAdapter('doctor'),
  flame: clinicAdapter('flame'),
  bubbleprof: clinicAdapter('bubbleprof'),
  heap: clinicAdapter('heap'),
  cpuprof,
  perf,
};

// ---------------------------------------------------------------------------------------------------------
// What is installed

function run(command: string, args: string[], timeoutMs = 10_000): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      resolve({ ok: err === null, out: `${stdout}${stderr}`.trim() });
    });
  });
}

function packageVersion(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Versions and availability of the profilers asked for (perf: also whether hardware counters work). */
export async function toolInfo(tools: readonly ProfileToolName[], paths: ToolPaths): Promise<ProfileToolInfo[]> {
  const out: ProfileToolInfo[] = [];
  const want = new Set(tools);
  if (want.has('0x')) {
    const v = packageVersion(join(dirname(paths.zeroX), 'package.json'));
    out.push(v === undefined ? { tool: '0x', available: false, note: `0x is not installed (${paths.zeroX})` } : { tool: '0x', available: true, version: v });
  }
  const clinicTools = (['doctor', 'flame', 'bubbleprof', 'heap'] as const).filter((t) => want.has(t));
  if (clinicTools.length > 0) {
    const v = packageVersion(join(dirname(paths.clinic), 'package.json'));
    if (v === undefined) out.push({ tool: 'clinic', available: false, note: `clinic is not installed (${paths.clinic})` });
    else {
      const clinicRequire = createRequire(paths.clinic);
      const subs = clinicTools.map((t) => {
        const pkg = t === 'heap' ? '@clinic/heap-profiler' : `@clinic/${t}`;
        let sv: string | undefined;
        try {
          sv = packageVersion(clinicRequire.resolve(`${pkg}/package.json`));
        } catch {
          sv = undefined;
        }
        return `${pkg} ${sv ?? 'missing'}`;
      });
      out.push({ tool: 'clinic', available: true, version: v, note: subs.join(', ') });
    }
  }
  if (want.has('cpuprof')) out.push({ tool: 'cpuprof', available: true, version: `node ${process.versions.node} (V8 ${process.versions.v8})` });
  if (want.has('perf')) out.push(await perfInfo(paths.perf));
  return out;
}

/** Whether perf is installed and allowed here; hardware counters are often absent in VMs (then cpu-clock is sampled). */
export async function perfInfo(perfPath: string): Promise<ProfileToolInfo> {
  const v = await run(perfPath, ['--version']);
  if (!v.ok) return { tool: 'perf', available: false, note: `perf is not installed or cannot run (${perfPath}): ${v.out || 'not found'}` };
  const stat = await run(perfPath, ['stat', '-e', 'instructions', 'true']);
  const version = v.out.replace(/^perf version\s*/, '');
  if (!stat.ok) return { tool: 'perf', available: false, version, note: `perf stat is not permitted here: ${stat.out.split('\n').slice(0, 3).join(' ')}` };
  if (/not supported|<not counted>/.test(stat.out)) {
    return {
      tool: 'perf',
      available: true,
      version,
      note: 'no hardware counters here (perf stat -e instructions: not supported); perf record samples the cpu-clock software event',
    };
  }
  return { tool: 'perf', available: true, version, note: 'hardware counters available' };
}
