// The profile suite: for each tool and request path, start the serving system with its scoring process(es)
// under the profiler, drive it with a bounded closed-loop load, stop it so the tool writes its output, and
// extract summaries from that output. Returns plain data (the artefacts go under the run folder) and reports
// the cases finished so far after every case, so an interrupted run keeps them. A failing case is data,
// never an exception.

import { join } from 'node:path';
import { loadNative } from '../kernels/native-binding.js';
import { defaultProfilesDir, ensureDir, runStamp } from '../paths.js';
import { progress } from '../progress.js';
import type { ProfileCase, ProfileCaseKey, ProfileData, ProfileSettings } from '../results/profile.js';
import type { SuiteHooks } from '../suite-hooks.js';
import { type CaseDeps, runCase } from './case.js';
import { type ProfileOptions, type ResolvedProfileOptions, resolveProfileOptions } from './options.js';
import { startCommandTarget, startServingTarget, type StartTarget } from './target.js';
import { ServebenchError } from '../errors.js';
import { toolInfo } from './tools/installed.js';
import { defaultToolPaths, type ToolPaths } from './tools/types.js';

/** The case id, e.g. 'sync-io-0x', 'async-cpu-naive-cluster-cpuprof', 'sync-cpu-naive-model-cpuprof', 'command-0x'. */
function caseId(k: Omit<ProfileCaseKey, 'id'>): string {
  if (k.service === 'command') return `command-${k.tool}`;
  return [k.path, k.predict, k.kernel, k.service === 'model' ? 'model' : undefined, k.topology === 'single' ? undefined : k.topology, k.tool]
    .filter((x) => x !== undefined)
    .join('-');
}

/** The cases to run, in order: every tool on every request path (your own server: every tool once). */
function planCases(o: ResolvedProfileOptions): ProfileCaseKey[] {
  if (o.service === 'command') return o.tools.map((tool) => ({ id: caseId({ tool, service: 'command' }), tool, service: 'command' }));
  return o.tools.flatMap((tool) =>
    o.paths.map((path) => {
      const key: Omit<ProfileCaseKey, 'id'> = {
        tool,
        service: o.service,
        path,
        predict: o.predict,
        ...(o.kernel === undefined ? {} : { kernel: o.kernel }),
        topology: o.topology,
        ...(o.workers === undefined ? {} : { workers: o.workers }),
      };
      return { id: caseId(key), ...key };
    }),
  );
}

/** The settings the results record (the resolved options without the tools' time to finish). */
function settingsOf(o: ResolvedProfileOptions): ProfileSettings {
  return {
    tools: o.tools,
    service: o.service,
    paths: o.paths,
    ...(o.predict === undefined ? {} : { predict: o.predict }),
    ...(o.kernel === undefined ? {} : { kernel: o.kernel }),
    ...(o.n === undefined ? {} : { n: o.n }),
    ...(o.model === undefined ? {} : { model: o.model }),
    ...(o.topology === undefined ? {} : { topology: o.topology }),
    ...(o.command === undefined ? {} : { command: o.command }),
    ...(o.workers === undefined ? {} : { workers: o.workers }),
    store: o.store,
    ...(o.storeFallback === undefined ? {} : { storeFallback: o.storeFallback }),
    durationMs: o.durationMs,
    connections: o.connections,
  };
}

/** How a case starts what it profiles: your own server from its command, or the serving system (or a test's target). */
function starter(o: ResolvedProfileOptions, startTarget: StartTarget): CaseDeps['start'] {
  if (o.command !== undefined) {
    const start = startCommandTarget(o.command, o.bodies ?? []);
    return (_key, wrap) => start(wrap);
  }
  return (key, wrap) => {
    if (key.path === undefined || key.topology === undefined || key.predict === undefined || key.service === 'command') {
      throw new ServebenchError('SB_ERR_INTERNAL', `case ${key.id}: no path, topology or predict`);
    }
    const target = {
      service: key.service,
      path: key.path,
      topology: key.topology,
      predict: key.predict,
      store: o.store,
      ...(o.kernel === undefined ? {} : { kernel: o.kernel }),
      ...(o.n === undefined ? {} : { n: o.n }),
      ...(o.workers === undefined ? {} : { workers: o.workers }),
      ...(o.model === undefined ? {} : { model: o.model }),
    };
    return startTarget(target, wrap);
  };
}

/** Names the native addon exports (its frames show under these names in V8 profiles). */
function addonFunctionNames(): Set<string> {
  const load = loadNative();
  return load.status.available && 'binding' in load ? new Set(Object.keys(load.binding)) : new Set();
}

function caseStarted(key: ProfileCaseKey, o: ResolvedProfileOptions): string {
  const what =
    o.command !== undefined
      ? `${key.tool} on your server (${o.command.argv.join(' ')})`
      : `${key.tool} on the ${o.service === 'model' ? 'model API alone, ' : ''}${key.path} path (${o.predict} predict)`;
  return `${key.id}: ${what}, ${o.durationMs / 1000} s of load at ${o.connections} connections`;
}

function caseEnded(c: ProfileCase): string {
  if (c.state === 'completed') return `${c.id}: done (${c.artefacts.length} files, ${c.summaries.length} summaries)`;
  return `${c.id}: ${c.state === 'errored' ? `failed: ${c.error.message.split('\n')[0]}` : `skipped: ${c.reason}`}`;
}

/**
 * Run the profile suite and return its data; every artefact goes under options.outDir. Reports the data so
 * far through hooks.onUpdate before the first case and after every case; when hooks.signal aborts, stops
 * after the current case and returns what finished, marked interrupted. Invalid options throw OptionError.
 */
export async function runProfileSuite(options: ProfileOptions = {}, hooks: SuiteHooks<ProfileData> = {}): Promise<ProfileData> {
  const o = resolveProfileOptions(options);
  const runDir = ensureDir(options.outDir ?? join(defaultProfilesDir(), runStamp()));
  const paths: ToolPaths = { ...defaultToolPaths(), ...options.toolPaths };
  const tools = await toolInfo(o.tools, paths);
  const data: ProfileData = { outDir: runDir, settings: settingsOf(o), tools, cases: [] };
  const snapshot = (): ProfileData => ({ ...data, cases: [...data.cases] });
  hooks.onUpdate?.(snapshot());
  const deps: CaseDeps = { runDir, paths, start: starter(o, options.startTarget ?? startServingTarget), addonFunctions: addonFunctionNames(), tools };
  for (const key of planCases(o)) {
    if (hooks.signal?.aborted === true) break;
    progress('profile', caseStarted(key, o));
    const c = await runCase(key, o, deps);
    data.cases.push(c);
    progress('profile', caseEnded(c));
    hooks.onUpdate?.(snapshot());
  }
  if (hooks.signal?.aborted === true) data.interrupted = true;
  return data;
}
