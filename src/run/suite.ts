// The one shape every suite has: options in, plain data out, with the same hooks for the abort signal,
// partial data (saved on an interrupt), the supervisor and the run's captured environment. The suites'
// own runners live in their folders (kernels/, load/, ...); src/run/suites/ wraps each in this interface.

import type { CaptureEnvOptions } from '../env/index.js';
import type { Supervisor } from '../processes/index.js';
import type { EnvBlock, FilePredict, ResultEnvelope, ResultKind, SuiteName } from '../results/index.js';

/** What a running suite is given. */
export interface SuiteContext<D> {
  /** The environment captured once for the run; every results file embeds it. */
  env: EnvBlock;
  /** Aborted on an interrupt: the suite stops after its current step and returns what finished. */
  signal: AbortSignal;
  /** The data so far, after every step: what an interrupt saves. */
  onUpdate: (data: D) => void;
  /** Starts and stops every child process of the run. */
  supervisor: Supervisor;
  /** The run folder: where the suite's artefacts (flame graphs, reports of tools) may go. */
  runDir: string;
  /** Run alone by its own command (true) or as a section of the main job (false). */
  alone: boolean;
}

/** What the main job decides for every suite it runs. */
export interface BenchSettings {
  /** Shorter variants of every suite. */
  quick: boolean;
  /** The run's timestamp, e.g. 20261122-043430. */
  stamp: string;
  /** The run folder (results.json and the rendered files). */
  runDir: string;
  /** Folder for the profile suite's artefacts (flame graphs, the tools' reports): <run folder>/profile by default. */
  profilesDir: string;
  /** `bench --model FILE`: the serving suites (load, profile) run on this model instead of the built-in predicts. */
  model?: BenchModel;
}

/** A model the main job runs the serving suites on: the file, and the predict that runs it (onnx or module). */
export interface BenchModel {
  file: string;
  predict: FilePredict;
}

/** A file rendered beside a suite's results file (Markdown, HTML). */
interface RenderedFile {
  name: string;
  text: string;
}

/** One suite, as every command and the main job see it. */
export interface Suite<O, D> {
  readonly name: SuiteName;
  /** The kind of its results file. */
  readonly kind: ResultKind;
  /** Its results file when it runs alone, e.g. 'kernels.json'. */
  readonly file: string;
  /** How much of the environment to capture when it runs alone. */
  readonly capture: CaptureEnvOptions;
  /** Typical duration on a 2-core host, seconds, full and with --quick: the main job's time-left estimate. */
  readonly expectedSeconds: { full: number; quick: number };
  run(options: O, ctx: SuiteContext<D>): Promise<D>;
  /** Its options as a section of the main job. */
  benchOptions(settings: BenchSettings): O;
  /** The data says a case failed (errored): the command exits 1. */
  failed(data: D): boolean;
  /** The data marked as cut short by an interrupt (what finished is kept). */
  interrupted(data: D): D;
  /** A short summary for the terminal. */
  terminal(result: ResultEnvelope<ResultKind, D>): string;
  /** Files rendered beside the results file. @default none */
  files?(result: ResultEnvelope<ResultKind, D>): RenderedFile[];
}

/** A suite of any options and data, as the registry lists them. */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list; each entry is typed where it is built
export type AnySuite = Suite<any, any>;
