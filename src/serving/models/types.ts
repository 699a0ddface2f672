// The Model family: every predict a model API or a queue worker runs (the built-in io and cpu stand-ins, an
// ONNX model, a user's JS module) implements one interface, made for a request path, so the services call
// `model.run(input)` and never branch on the predict kind. Types only.

import type { KernelName } from '../../kernels/types.js';
import type {
  BatchingSettings,
  CpuPlacement,
  FilePredict,
  ModelDescription,
  ModelTensorDescription,
  PredictKind,
  PredictResponse,
  RequestPath,
  ServiceName,
} from '../../results/serving.js';

/** The two model services (as ModelService in ../types.ts, restated here so the family imports nothing above it). */
type ModelService = Extract<ServiceName, 'model-a' | 'model-b'>;

/** One request's input to a model. */
export interface PredictInput {
  features: number[];
  /** cpu predict only: values averaged. */
  n?: number | undefined;
}

/** A model's answer to one input. */
export interface PredictOutcome {
  prediction: number;
  /** The model's own run, ms (the io wait, the kernel, the inference). */
  predictMs: number;
  /** Waiting for a worker thread of a pool, and the hop there and back, ms, when the model runs on one. */
  queueMs?: number;
  /** What the answer says besides the prediction (cpu: kernel, placement, n, mean; files: the model's identity). */
  extra: Partial<PredictResponse>;
}

/**
 * One row of a batch: its outcome, or the error its request alone gets (an HttpError with its status, or
 * any Error, answered 500).
 */
export type BatchRow = PredictOutcome | Error;

interface ModelBase {
  readonly predict: PredictKind;
  /** What it is and how it runs here. */
  readonly description: ModelDescription;
  /** Load the model, start its threads, build its inputs: before the first request. Fails with a clear message. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** The sync path's model: `run` returns when the prediction is there; nothing else runs in the process meanwhile. */
export interface BlockingModel extends ModelBase {
  readonly mode: 'blocking';
  run(input: PredictInput): PredictOutcome;
  /** A batch in one blocking call (the process blocks for the whole batch); one row per input, in order. */
  runBatch(inputs: PredictInput[]): BatchRow[];
}

/** The async path's and the queue workers' model: `run` resolves with the prediction. */
export interface AsyncModel extends ModelBase {
  readonly mode: 'async';
  run(input: PredictInput): Promise<PredictOutcome>;
  /** A batch in one call (one pool task, one libuv task, one wait, one inference); one row per input, in order. */
  runBatch(inputs: PredictInput[]): Promise<BatchRow[]>;
}

export type Model = BlockingModel | AsyncModel;

/**
 * A model file as every process loads it (serializable: it travels in the service's settings): what to load,
 * and the facts the parent read from it at start (description, inputs, feature count).
 */
export interface ModelFileSettings {
  predict: FilePredict;
  /** Absolute path. */
  path: string;
  /** onnx: intra-op threads of each session. */
  onnxThreads: number;
  /** The facts read at start: name, file, inputs, outputs, feature count, runtime. */
  facts: ModelFacts;
}

/** A model file as the options chose it: its absolute path, and the option that named it (for messages). */
export interface ModelFileChoice {
  path: string;
  /** e.g. '--model', '--model-a', or 'the shipped model-a' */
  option: string;
}

/** What inspecting a model file found (the path-independent part of its description). */
export interface ModelFacts {
  name: string;
  file: NonNullable<ModelDescription['file']>;
  inputs: ModelTensorDescription[];
  outputs: ModelTensorDescription[];
  featureCount: number;
  runtime: { name: string; version: string };
  /** module: predict is declared async (awaited on the event loop, or blocked on through a worker on the sync path). */
  asyncPredict?: boolean;
  /** module: it exports predictBatch(rows), called once per batch. */
  batchPredict?: boolean;
}

/** Everything a process needs to make its model. */
export interface ModelSettings {
  predict: PredictKind;
  /** Which model it plays (io and cpu weights differ). */
  service: ModelService;
  /** The process's name: its own stream of io waits. */
  processName: string;
  seed: number;
  featureCount: number;
  ioWaitMs: { min: number; max: number };
  /** cpu only. */
  kernel?: KernelName | undefined;
  placement?: CpuPlacement | undefined;
  n: number;
  nMax: number;
  /** Threads of a worker pool (cpu with a sync kernel, onnx and module on the async path). */
  poolThreads: number;
  /** onnx and module only. */
  file?: ModelFileSettings | undefined;
  /** The model API batches its requests (--batching): described with how a batch runs. */
  batching?: BatchingSettings | undefined;
}

/** One kind of model: how it is made for each path, and how it is described there. */
export interface ModelKind {
  readonly predict: PredictKind;
  /** The sync path: blocks its process for each predict. */
  blocking(s: ModelSettings): BlockingModel;
  /** The async path (never blocks the event loop for long) or a queue worker (one job at a time, awaited). */
  async(s: ModelSettings, path: Exclude<RequestPath, 'sync'>): AsyncModel;
  /** Its description on a path, from the settings alone (what the parent reports before any process runs). */
  describe(s: ModelSettings, path: RequestPath): ModelDescription;
}

/** A model file opened on the thread that runs it (an ONNX session, an imported module). */
export interface Runner {
  /** The model's raw answer to one vector of features: a value, or a Promise of one. */
  call(features: number[]): unknown;
  /**
   * The model's raw answer to several rows in one call (an array of values, or a Promise of one), when the
   * model takes a batch (an ONNX input with a dynamic batch dimension; a module's predictBatch).
   */
  callBatch?: ((rows: number[][]) => unknown) | undefined;
  close(): Promise<void>;
}
