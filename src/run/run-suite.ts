// runSuiteToFile(): what every single-suite command does, written once: capture the environment, run the
// suite, save its partial data on an interrupt, write its results file, render the files beside it.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { captureEnv } from '../env/index.js';
import { ServebenchError } from '../errors.js';
import { defaultReportsDir, ensureDir, newRunDir } from '../paths.js';
import { onShutdown, type Supervisor, supervisor as defaultSupervisor, withTimeout } from '../processes/index.js';
import { clearStatus, setStatus, warn } from '../progress.js';
import { type EnvBlock, envelope, type ResultEnvelope, type ResultKind, writeFileAtomic, writeJsonAtomic } from '../results/index.js';
import { version } from '../version.js';
import type { Suite } from './suite.js';

export interface RunToFileOptions {
  /**
   * The run folder: the results file and the files rendered beside it. A folder that already holds this
   * suite's results file is refused: a run never overwrites another. @default a new <parent>/<suite>-<time>/
   */
  outDir?: string;
  /** Where a new run folder goes when outDir is not given. @default reports/ under the working folder */
  parentDir?: string;
  /** The environment block, when the caller captured it already. @default captured with the suite's settings */
  env?: EnvBlock;
  /** Folder for the suite's artefacts. @default outDir */
  runDir?: string;
  /** @default the process-wide supervisor */
  supervisor?: Supervisor;
  /** How long an interrupt waits for the suite to stop and return what finished. @default 15000 */
  stopTimeoutMs?: number;
}

export interface SuiteRun<D> {
  result: ResultEnvelope<ResultKind, D>;
  /** The results file. */
  file: string;
  /** The files rendered beside it. */
  files: string[];
  /** A case errored (the command exits 1). */
  failed: boolean;
}

/** The run's folder: the one given (unless it holds an earlier run of this suite), or a new one. */
function runFolder(suite: { name: string; file: string }, run: RunToFileOptions): string {
  if (run.outDir === undefined) return newRunDir(run.parentDir ?? defaultReportsDir(), suite.name);
  const dir = ensureDir(run.outDir);
  if (existsSync(join(dir, suite.file))) {
    throw new ServebenchError(
      'SB_ERR_INPUT',
      `--out ${run.outDir} already holds ${suite.file} from an earlier run; servebench never overwrites a run: give another folder, or no --out for a new one`,
    );
  }
  return dir;
}

/** Run one suite and write its results file; an interrupt writes what finished, marked interrupted, once. */
export async function runSuiteToFile<O, D>(suite: Suite<O, D>, options: O, run: RunToFileOptions): Promise<SuiteRun<D>> {
  const outDir = runFolder(suite, run);
  const file = join(outDir, suite.file);
  setStatus({ label: suite.name });
  const env = run.env ?? (await captureEnv(suite.capture));
  const controller = new AbortController();
  let latest: D | undefined;
  // Whoever finishes first after an interrupt writes the file: the suite's own return or the shutdown hook.
  let written = false;
  const write = (data: D) => {
    const result = envelope(suite.kind, env, data, version);
    writeJsonAtomic(file, result);
    written = true;
    return result;
  };
  const running = suite.run(options, {
    env,
    signal: controller.signal,
    onUpdate: (d) => {
      latest = d;
    },
    supervisor: run.supervisor ?? defaultSupervisor,
    runDir: ensureDir(run.runDir ?? outDir),
    alone: true,
  });
  const offShutdown = onShutdown(async () => {
    controller.abort();
    const partial = await withTimeout(running, run.stopTimeoutMs ?? 15_000, `${suite.name} did not stop in time`).catch(() => latest);
    if (partial === undefined || written) return;
    write(suite.interrupted(partial));
    warn(suite.name, `interrupted; wrote what finished to ${file}`);
  });
  let data: D;
  try {
    data = await running;
  } finally {
    offShutdown();
    clearStatus();
  }
  if (controller.signal.aborted) data = suite.interrupted(data);
  const result = write(data);
  const files = (suite.files?.(result) ?? []).map((f) => {
    const path = join(outDir, f.name);
    writeFileAtomic(path, f.text);
    return path;
  });
  return { result, file, files, failed: suite.failed(data) };
}
