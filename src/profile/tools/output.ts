// What the adapters share once a tool has run: the files it left in the case folder (as artefacts), its own
// account of how it ended (the launcher's tool.log and tool-exit.json), labels of the profiled processes,
// and the flame graphs servebench draws from profile data.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { ServebenchError } from '../../errors.js';
import type { ProfileArtefact, ProfileSummary } from '../../results/profile.js';
import { renderFlameGraphHtml } from '../flamegraph.js';
import type { StackProfile } from '../stacks.js';
import { type CaseContext, STOP_FILE, TOOL_EXIT, TOOL_LOG } from './types.js';

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
export function toolFailed(ctx: CaseContext, what: string, dir: string = ctx.dir): ServebenchError {
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

export function relTo(ctx: CaseContext, file: string): string {
  return relative(ctx.runDir, file);
}

export function pidFromName(name: string): number | undefined {
  const m = /(?:^|[.-])(\d{2,})(?:[.-])/.exec(name);
  return m === null ? undefined : Number(m[1]);
}

export function processLabel(ctx: CaseContext, pid: number | undefined, thread?: number): string {
  if (pid === undefined) return 'scoring';
  const role = ctx.roles.get(pid) ?? 'scoring';
  return `${role} pid ${pid}${thread !== undefined && thread !== 0 ? ` thread ${thread}` : ''}`;
}

export function drawFlameGraph(ctx: CaseContext, file: string, profile: StackProfile, summary: ProfileSummary, what: string): void {
  writeFileSync(file, renderFlameGraphHtml(profile, { title: `${ctx.title}: ${what}`, subtitle: ctx.subtitle, summary }));
}
