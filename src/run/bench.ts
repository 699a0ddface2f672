// The main job (`servebench bench`, `npm run bench`): a loop over the registry's suites on one environment
// block. Their data become the sections of one results.json in a run folder, rewritten after every suite
// so an interrupted or failed run keeps what finished (a suite cut short keeps its partial data).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { captureEnv } from '../env/index.js';
import { ServebenchError, toErrorInfo } from '../errors.js';
import { defaultReportsDir, ensureDir, newRunDir, runStamp } from '../paths.js';
import { onShutdown, supervisor, withTimeout } from '../processes/index.js';
import { clearStatus, progress, setStatus } from '../progress.js';
import type { BenchResults } from '../report/run-report.js';
import { type BenchData, type EnvBlock, envelope, type SuiteName, type SuiteRecord, writeJsonAtomic } from '../results/index.js';
import { version } from '../version.js';
import { renderRunFiles } from './bench-files.js';
import type { AnySuite, BenchModel, BenchSettings } from './suite.js';

export interface BenchOptions {
  /** Shorter variants of every suite. @default false */
  quick?: boolean;
  /** Suites to run, in the registry's order. @default all */
  suites?: SuiteName[];
  /** The run folder. @default reports/bench-<stamp> */
  outDir?: string;
  /** Folder for the profile suite's artefacts (flame graphs, the tools' reports). @default <run folder>/profile */
  profilesDir?: string;
  /** Called whenever results.json is rewritten. */
  onWrite?: (results: BenchResults) => void;
  /** Run the serving suites (load, profile) on this model instead of the built-in predicts. */
  model?: BenchModel;
}

/** The suite under way; `record` is set once an interrupt has written it down as interrupted. */
interface Current {
  suite: SuiteName;
  startedAt: Date;
  partial: unknown;
  record?: SuiteRecord;
  /** Settles when the suite has returned (an interrupt waits for it, bounded, to write results.json once). */
  done?: Promise<unknown>;
}

const elapsed = (startedAt: Date) => ({ startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime() });

/** The run folder: the one given (unless it holds an earlier run), or a new reports/bench-<stamp>/. */
function benchFolder(outDir: string | undefined, stamp: string): string {
  if (outDir === undefined) return newRunDir(defaultReportsDir(), 'bench', stamp);
  const dir = ensureDir(outDir);
  if (existsSync(join(dir, 'results.json'))) {
    const why = 'servebench never overwrites a run: give another folder, or no --out';
    throw new ServebenchError('SB_ERR_INPUT', `--out ${outDir} already holds results.json from an earlier run; ${why}`);
  }
  return dir;
}

/** Run the bench over the registry's suites (in its order): returns the results (also written to outDir/results.json after every suite). */
export async function runBench(registry: readonly AnySuite[], options: BenchOptions = {}): Promise<{ results: BenchResults; outDir: string }> {
  const stamp = runStamp();
  const outDir = benchFolder(options.outDir, stamp);
  const suites = registry.filter((s) => (options.suites ?? registry.map((r) => r.name)).includes(s.name));
  const settings: BenchSettings = {
    quick: options.quick ?? false,
    stamp,
    runDir: outDir,
    // Inside the run folder, so the report links every artefact relatively and the run moves as one folder.
    profilesDir: options.profilesDir ?? join(outDir, 'profile'),
    ...(options.model === undefined ? {} : { model: options.model }),
  };
  const onModel = settings.model === undefined ? '' : `; load and profile on ${settings.model.file} (${settings.model.predict})`;
  progress('bench', `run folder ${outDir}; suites ${suites.map((s) => s.name).join(', ')}${settings.quick ? ' (quick)' : ''}${onModel}`);
  const env = await captureEnv();
  const data: BenchData = { quick: settings.quick, suites: [], sections: {} };
  const results: BenchResults = envelope('bench', env, data, version);
  const file = join(outDir, 'results.json');
  const save = () => {
    writeJsonAtomic(file, results);
    options.onWrite?.(results);
  };
  const sections = data.sections as Record<string, unknown>;
  const abort = new AbortController();
  let current: Current | undefined;
  // The suites an interrupt kept from starting are listed as skipped ('interrupted'), after the one under way.
  const notReached = () => {
    const listed = new Set(data.suites.map((r) => r.suite));
    for (const s of suites) if (!listed.has(s.name) && s.name !== current?.suite) data.suites.push(skippedRecord(s.name));
  };
  let savedAfterInterrupt = false;
  const savedPartial = () => {
    savedAfterInterrupt = true;
    process.stderr.write(`servebench: partial results saved in ${file}\n`);
  };
  const offShutdown = onShutdown(async () => {
    abort.abort();
    const cut = current;
    // The suite under way stops at the abort and returns what it measured, and the loop saves once: wait for
    // that (bounded); a suite slow to stop is written down here with its partial data instead.
    if (cut?.done !== undefined) await withTimeout(cut.done, 15_000, 'the suite did not stop in time').catch(() => undefined);
    if (savedAfterInterrupt) return;
    if (cut !== undefined && cut.record === undefined && !data.suites.some((r) => r.suite === cut.suite)) {
      if (cut.partial !== undefined) sections[cut.suite] = cut.partial;
      cut.record = { suite: cut.suite, state: 'interrupted', ...elapsed(cut.startedAt) };
      data.suites.push(cut.record);
    }
    notReached();
    save();
    savedPartial();
  });
  try {
    const eta = timeLeft(suites, settings.quick);
    for (const [i, suite] of suites.entries()) {
      current = { suite: suite.name, startedAt: new Date(), partial: undefined };
      setStatus({ label: 'bench', suite: { index: i + 1, total: suites.length, name: suite.name }, etaMs: eta(i, 0) });
      const section = runSection(suite, current, { env, settings, signal: abort.signal, sections });
      current.done = section;
      const record = await section;
      // An interrupt may have written this suite down already: the suite's own final data replaces that.
      const written = current.record;
      current = undefined;
      if (written !== undefined) Object.assign(written, record, { state: 'interrupted' });
      else data.suites.push(record);
      eta.done(i, record.durationMs);
      progress('bench', `suite ${suite.name}: ${record.state} in ${(record.durationMs / 1000).toFixed(0)} s`);
      if (abort.signal.aborted) notReached();
      save();
      if (abort.signal.aborted) {
        savedPartial();
        break;
      }
    }
  } finally {
    offShutdown();
    clearStatus();
  }
  await renderRunFiles(results, outDir);
  return { results, outDir };
}

/** A suite an interrupt kept from starting. */
function skippedRecord(suite: SuiteName): SuiteRecord {
  return { suite, state: 'skipped', reason: 'interrupted', startedAt: new Date().toISOString(), durationMs: 0 };
}

/**
 * The time-left estimate: the remaining suites' typical durations, scaled by how the finished ones compared
 * with theirs on this host (a slower host, or a busier one, stretches every estimate alike).
 */
function timeLeft(suites: readonly AnySuite[], quick: boolean) {
  const expected = suites.map((s) => 1000 * (quick ? s.expectedSeconds.quick : s.expectedSeconds.full));
  let actualMs = 0;
  let expectedMs = 0;
  const estimate = (index: number, elapsedInSuiteMs: number): number => {
    const scale = expectedMs > 0 ? actualMs / expectedMs : 1;
    const rest = expected.slice(index).reduce((a, b) => a + b, 0);
    return Math.max(0, rest * scale - elapsedInSuiteMs);
  };
  return Object.assign(estimate, {
    done(index: number, durationMs: number): void {
      actualMs += durationMs;
      expectedMs += expected[index] ?? 0;
    },
  });
}

interface SectionInput {
  env: EnvBlock;
  settings: BenchSettings;
  signal: AbortSignal;
  sections: Record<string, unknown>;
}

/** One suite as a section of the run: its data (partial on an interrupt) and its record. */
async function runSection(suite: AnySuite, current: Current, input: SectionInput): Promise<SuiteRecord> {
  progress('bench', `suite ${suite.name}: started`);
  try {
    const section = await suite.run(suite.benchOptions(input.settings), {
      env: input.env,
      signal: input.signal,
      onUpdate: (d: unknown) => {
        current.partial = d;
      },
      supervisor,
      runDir: input.settings.runDir,
      alone: false,
    });
    input.sections[suite.name] = input.signal.aborted ? suite.interrupted(section) : section;
    return { suite: suite.name, state: input.signal.aborted ? 'interrupted' : 'completed', ...elapsed(current.startedAt) };
  } catch (err) {
    const record: SuiteRecord = { suite: suite.name, state: 'errored', ...elapsed(current.startedAt), error: toErrorInfo(err) };
    progress('bench', `suite ${suite.name}: errored: ${record.error?.message ?? ''}`);
    return record;
  }
}
