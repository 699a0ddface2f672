// The one interface every profiler adapter implements (how a tool wraps the scoring command, through the
// serving system's wrapScoring hook, and how its output is collected once the profiled process has exited),
// what a case tells it, where the tools are, and the helpers every adapter wraps a command with.

import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServebenchError } from '../../errors.js';
import { compiledEntry } from '../../paths.js';
import type { DoctorVerdict, ProfileArtefact, ProfileSummary, ProfileToolName } from '../../results/profile.js';
import type { CommandLine } from '../../serving/topology/process.js';

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

interface CollectResult {
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

// Names shared with src/profile/launch.ts (which does not import them: that entry point stays tiny).
export const TOOL_LOG = 'tool.log';
export const TOOL_EXIT = 'tool-exit.json';
export const STOP_FILE = 'stop';

/**
 * Set in the environment of every profiled process: a service entry point seeing it must, on SIGINT, close
 * what it holds and let the process exit by itself (no immediate process.exit), because clinic's samplers
 * and heap profiler flush their data on 'beforeExit' or after the signal (see docs/profile.md).
 */
export const PROFILED_ENV = 'SERVEBENCH_PROFILED';

/** Run `argv` through the launcher in `dir` (see launch.ts). */
export function launched(ctx: CaseContext, dir: string, argv: string[], env: Record<string, string>): CommandLine {
  return { command: ctx.paths.node, args: [compiledEntry('src/profile/launch'), dir, '--', ...argv], env: { ...env, [PROFILED_ENV]: ctx.tool } };
}

/** Node flags preloading soft-exit.ts: the profiled process exits normally on SIGINT, so its profiler writes. */
export function softExitImport(): string[] {
  return ['--import', pathToFileURL(compiledEntry('src/profile/soft-exit')).href];
}

export function requireNode(cmd: CommandLine, tool: string): void {
  if (!/node(js)?(\d+)?(\.exe)?$/.test(basename(cmd.command))) {
    throw new ServebenchError('SB_ERR_INTERNAL', `${tool} wraps a node command; got ${cmd.command}`);
  }
}
