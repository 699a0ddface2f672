// Renderers of the profile suite's results (profile.json): a terminal summary and Markdown. Both read the same
// plain data, and every sentence is built from the extracted figures: the shares of the frame groups, the
// top functions, clinic doctor's category.

import { FRAME_GROUP_LABELS, type FrameGroup, type ProfileCase, type ProfileData, type ProfileSummary } from '../results/profile.js';
import { escapeTableCell, sharePercent as pct } from './format.js';
import { modelLabel } from './load-model.js';
import { mdTable } from './tables.js';

type CompletedCase = Extract<ProfileCase, { state: 'completed' }>;

const ms = (us: number) => (us >= 100_000 ? `${(us / 1000).toFixed(0)} ms` : `${(us / 1000).toFixed(1)} ms`);

/** The summary that speaks for a case: all workers merged, else the busiest main-thread profile. */
export function primarySummary(c: CompletedCase): ProfileSummary | undefined {
  const merged = c.summaries.find((s) => s.process.startsWith('all '));
  if (merged !== undefined) return merged;
  const main = c.summaries.filter((s) => !/ thread \d+/.test(s.process));
  const pool = main.length > 0 ? main : c.summaries;
  return [...pool].sort((a, b) => b.total - a.total)[0];
}

/** "86% blocked waiting, 6% idle, 4% node internals": the groups of at least `min`, largest first. */
function groupSentence(s: ProfileSummary, min = 0.05, most = 3): string {
  const parts = s.groups.filter((g) => g.fraction >= min).slice(0, most);
  if (parts.length === 0) return s.total === 0 ? 'no samples' : `${pct(s.groups[0]!.fraction)} ${FRAME_GROUP_LABELS[s.groups[0]!.group]}`;
  return parts.map((g) => `${pct(g.fraction)} ${FRAME_GROUP_LABELS[g.group]}`).join(', ');
}

function share(s: ProfileSummary, g: FrameGroup): number {
  return s.groups.find((x) => x.group === g)?.fraction ?? 0;
}

function unitWord(s: ProfileSummary): string {
  return s.unit === 'bytes' ? 'sampled live bytes' : 'samples';
}

function sourceLabel(s: ProfileSummary): string {
  switch (s.source) {
    case 'v8-cpuprofile':
      return 'V8 CPU profile';
    case 'v8-tick-log':
      return 'V8 tick log';
    case 'clinic-flame-samples':
      return 'clinic flame samples';
    case 'v8-heap-profile':
      return 'V8 heap profile';
    case 'perf-script':
      return 'perf (on-CPU only)';
  }
}

/**
 * Sentences comparing the request paths, built from the figures: for each tool that profiled both paths, what
 * each path's samples were doing, and clinic doctor's category for each.
 */
export function profileFindings(data: ProfileData): string[] {
  const out: string[] = [];
  const done = data.cases.filter((c): c is CompletedCase => c.state === 'completed');
  const groups = new Map<string, CompletedCase[]>();
  for (const c of done) {
    const k = `${c.tool}|${c.service}|${c.predict}|${c.kernel ?? ''}|${c.topology}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  for (const cases of groups.values()) {
    const sync = cases.find((c) => c.path === 'sync');
    const async = cases.find((c) => c.path === 'async');
    const first = cases[0]!;
    if (first.service === 'command') {
      for (const c of cases) {
        const sm = primarySummary(c);
        if (sm !== undefined) out.push(`${c.tool}, your server: ${groupSentence(sm)} of its ${unitWord(sm)}; top: ${topLine(sm, 3)}.`);
        else if (c.doctor !== undefined) out.push(`clinic doctor, your server → ${c.doctor.category} (${c.doctor.title}).`);
      }
      continue;
    }
    const alone = first.service === 'model' ? 'model API alone, ' : '';
    const kernel = first.kernel === undefined ? (first.model === undefined ? '' : ` (${first.model.name})`) : ` (${first.kernel})`;
    const what = `${first.tool}, ${alone}${first.predict} predict${kernel}${first.topology === 'single' ? '' : `, ${first.topology}`}`;
    if (first.tool === 'doctor') {
      const part = (c: CompletedCase | undefined, name: string) =>
        c === undefined ? undefined : c.doctor === undefined ? `${name} path: no verdict` : `${name} path → ${c.doctor.category} (${c.doctor.title})`;
      const parts = [part(sync, 'sync'), part(async, 'async')].filter((x): x is string => x !== undefined);
      out.push(`clinic doctor (${alone}${first.predict} predict): ${parts.join('; ')}.`);
      continue;
    }
    const ss = sync === undefined ? undefined : primarySummary(sync);
    const as = async === undefined ? undefined : primarySummary(async);
    if (ss === undefined && as === undefined) continue;
    if (ss !== undefined && as !== undefined && ss.unit === 'samples' && as.unit === 'samples') {
      const syncBlocked = share(ss, 'blocked');
      const asyncBlocked = share(as, 'blocked');
      let because = '';
      if (syncBlocked >= 0.3 && asyncBlocked < 0.05) {
        because =
          `: the sync thread sleeps in Atomics.wait while each upstream call is in flight, ` +
          `so ${pct(syncBlocked)} of its time is waiting with requests queued behind it; ` +
          `the async thread waits in the event loop (${pct(share(as, 'idle'))} idle) and serves other requests meanwhile`;
      } else if (ss.blockedDetection === 'not-possible' || as.blockedDetection === 'not-possible') {
        because = ' (this data cannot tell a blocked wait from running code)';
      }
      out.push(`${what}: the sync path spends ${groupSentence(ss)} of its ${unitWord(ss)}; the async path ${groupSentence(as)}${because}.`);
      continue;
    }
    for (const [c, s] of [
      [sync, ss],
      [async, as],
    ] as const) {
      if (c !== undefined && s !== undefined) out.push(`${what}, ${c.path} path: ${groupSentence(s)} of its ${unitWord(s)}; top: ${topLine(s, 1)}.`);
    }
  }
  for (const c of data.cases) if (c.state === 'errored') out.push(`${c.id}: ${c.tool} failed: ${c.error.message.split('\n')[0]}`);
  return out;
}

/** What was profiled, in a heading: your server's command, or the service, predict (and model or kernel) and topology. */
function subject(s: ProfileData['settings']): string {
  if (s.service === 'command') return `your server · ${s.command?.argv.join(' ') ?? ''}`;
  const alone = s.service === 'model' ? 'model API alone · ' : 'scoring handler · ';
  const detail = s.kernel !== undefined ? ` (${s.kernel})` : s.model?.file !== undefined ? ` (${s.model.file})` : '';
  return `${alone}${s.predict ?? ''} predict${detail} · ${s.topology ?? ''}${s.workers === undefined ? '' : ` ×${s.workers}`}`;
}

function topLine(s: ProfileSummary, n: number): string {
  return s.topFunctions
    .slice(0, n)
    .map((f) => `${f.name} ${pct(f.selfFraction)}${f.location === '' ? '' : ` (${shortLocation(f.location)})`}`)
    .join(', ');
}

/** The last two path segments of a location, enough to recognise it. */
function shortLocation(loc: string): string {
  const parts = loc.split('/');
  return parts.length > 2 ? `…/${parts.slice(-2).join('/')}` : loc;
}

/** Doctor's four memory verdicts in one word when they agree, else each one that is not 'none'. */
function memoryWord(m: Record<string, string>): string {
  const values = Object.values(m);
  if (values.length > 0 && values.every((v) => v === values[0])) return values[0]!;
  return Object.entries(m)
    .filter(([, v]) => v !== 'none')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function loadLine(c: CompletedCase): string {
  const l = c.load;
  const failed = l.failures.errors + l.failures.timeouts + l.failures.non2xx + l.failures.resets;
  const latency = `latency p50 ${ms(l.latencyP50Us)} p99 ${ms(l.latencyP99Us)}`;
  return `${l.requests} requests in ${(l.durationMs / 1000).toFixed(1)} s (${l.requestsPerSec} req/s), ${latency}${failed > 0 ? `, ${failed} failed` : ''}`;
}

function mainArtefacts(c: CompletedCase): string[] {
  return c.artefacts.filter((a) => a.kind !== 'data').map((a) => a.path);
}

/** A short terminal summary (stdout): one block per case, then the findings. */
export function renderProfileTerminal(data: ProfileData): string {
  const s = data.settings;
  const lines: string[] = [];
  lines.push(`servebench profile · ${subject(s)} · ${s.connections} connections × ${s.durationMs / 1000} s per case`);
  lines.push(`run folder: ${data.outDir}`);
  lines.push(
    `tools: ${data.tools.map((t) => `${t.tool} ${t.available ? (t.version ?? '') : 'unavailable'}${t.note === undefined ? '' : ` (${t.note})`}`).join(' · ')}`,
  );
  if (data.settings.storeFallback !== undefined) lines.push(`feature store: embedded (${data.settings.storeFallback})`);
  if (data.interrupted === true) lines.push('INTERRUPTED: the cases below are those finished before the interrupt');
  for (const c of data.cases) {
    lines.push('');
    if (c.state !== 'completed') {
      lines.push(`${c.id}: ${c.state.toUpperCase()}: ${c.state === 'errored' ? c.error.message : c.reason}`);
      continue;
    }
    lines.push(`${c.id}  ${loadLine(c)}`);
    if (c.model !== undefined) lines.push(`  model: ${modelLabel(c.model)}`);
    for (const sm of c.summaries) {
      lines.push(`  ${sm.process} · ${sourceLabel(sm)} · ${sm.total} ${unitWord(sm)}${sm.window === 'load' ? ' in the load window' : ', whole process'}`);
      lines.push(`    ${groupSentence(sm, 0.01, 6)}`);
      lines.push(`    top: ${topLine(sm, 4)}`);
    }
    if (c.doctor !== undefined) {
      const i = c.doctor.issues;
      lines.push(
        `  doctor: ${c.doctor.category}: ${c.doctor.title} ` +
          `(delay ${i.delay}, cpu ${i.cpu}, memory ${memoryWord(i.memory)}, handles ${i.handles}, loop utilization ${i.loopUtilization})`,
      );
    }
    for (const a of mainArtefacts(c)) lines.push(`  → ${a}`);
    for (const w of c.warnings) lines.push(`  warning: ${w}`);
  }
  const findings = profileFindings(data);
  if (findings.length > 0) {
    lines.push('', 'Findings:');
    for (const f of findings) lines.push(`- ${f}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Text without raw HTML (a function name such as <anonymous> would be taken for a tag). */
const noHtml = (s: string) => s.replace(/</g, '&lt;');
const mdEsc = (s: string) => escapeTableCell(noHtml(s));

export interface ProfileMarkdownOptions {
  /**
   * A link to an artefact (its path relative to the profile's folder) from where the Markdown is written;
   * undefined when it cannot be reached, and then the path is shown as code. @default none: every path as code
   */
  artefactLink?: (path: string) => string | undefined;
}

/** An artefact as a link when it can be reached, else its path as code. */
function artefact(path: string, options: ProfileMarkdownOptions): string {
  const href = options.artefactLink?.(path);
  return href === undefined ? `\`${path}\`` : `[${path}](${encodeURI(href)})`;
}

/** Markdown: findings first, then per case its load, groups and top functions (for the README and reports). */
export function renderProfileMarkdown(data: ProfileData, options: ProfileMarkdownOptions = {}): string {
  const s = data.settings;
  const out: string[] = [];
  out.push(`## Profiles: where the time goes (${subject(s)})`, '');
  const ran =
    s.service === 'command'
      ? 'your server (started from its command) under the profiler'
      : s.service === 'model'
        ? 'one model API alone under the profiler'
        : 'the serving system with its scoring process under the profiler';
  out.push(
    `Each case ran ${ran} ` +
      `while ${s.connections} connections sent requests for ${s.durationMs / 1000} s (autocannon, closed loop). ` +
      'Summaries are extracted from the profile data; shares are of samples (bytes for the heap profile).',
    '',
  );
  if (s.storeFallback !== undefined) out.push(`Feature store: embedded (${s.storeFallback}).`, '');
  else if (s.service === 'scoring')
    out.push(`Feature store: ${s.store === 'redis' ? 'Redis (a redis-server servebench started, or REDIS_URL)' : 'embedded (--store memory)'}.`, '');
  const findings = profileFindings(data);
  if (findings.length > 0) {
    out.push(...findings.map((f) => `- ${f}`), '');
  }
  for (const c of data.cases) {
    out.push(`### ${c.id}`, '');
    if (c.state !== 'completed') {
      out.push(`**${c.state}**: ${mdEsc(c.state === 'errored' ? c.error.message : c.reason).replace(/\n/g, '  \n')}`, '');
      continue;
    }
    out.push(`Load: ${loadLine(c)}.`, '');
    if (c.model !== undefined) out.push(`Model: ${mdEsc(modelLabel(c.model))}.`, '');
    if (c.doctor !== undefined) {
      const i = c.doctor.issues;
      out.push(
        `clinic doctor: **${c.doctor.category}**, ${c.doctor.title} (delay: ${i.delay}, cpu: ${i.cpu}, memory: ${memoryWord(i.memory)}, ` +
          `handles: ${i.handles}, loop utilization: ${i.loopUtilization}; ${(c.doctor.analysedMs / 1000).toFixed(1)} s analysed).`,
        '',
      );
    }
    for (const sm of c.summaries) {
      out.push(
        `**${mdEsc(sm.process)}**: ${sourceLabel(sm)}, ${sm.total} ${unitWord(sm)}${sm.window === 'load' ? ' in the load window' : ' over the whole process'}` +
          `${sm.sampleIntervalUs === undefined ? '' : `, one every ${sm.sampleIntervalUs} µs`}.`,
        '',
      );
      const groups = sm.groups.filter((x) => x.weight > 0).map((g) => [FRAME_GROUP_LABELS[g.group], pct(g.fraction)]);
      out.push(mdTable(['group', 'share'], groups, [undefined, 'right']), '');
      const top = sm.topFunctions
        .slice(0, 8)
        .map((f) => [noHtml(f.name), noHtml(shortLocation(f.location)), FRAME_GROUP_LABELS[f.group], pct(f.selfFraction), pct(f.inclusiveFraction)]);
      out.push(mdTable(['top functions by self', 'where', 'group', 'self', 'inclusive'], top, [undefined, undefined, undefined, 'right', 'right']), '');
    }
    const arts = mainArtefacts(c);
    if (arts.length > 0) out.push(`Artefacts: ${arts.map((a) => artefact(a, options)).join(', ')}.`, '');
    for (const w of c.warnings) out.push(`> warning: ${mdEsc(w)}`, '');
  }
  return `${out.join('\n')}\n`;
}
