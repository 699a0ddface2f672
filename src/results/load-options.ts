// The settings a load run echoes in its results: what was asked (scenarios, engine, timing, load, model,
// request data, shard) and the open-file limit it ran under.

import type { RequestDataEcho } from './request-data.js';
import type { LoadEngineName, LoadLoop, ScenarioName, StoreKind } from './vocab.js';

export interface FdLimitInfo {
  /** Open-file limits of the generator process after any raise ('unlimited' or unknown as a string). */
  soft: number | string;
  hard: number | string;
  /** File descriptors the largest planned step needs in this process. */
  needed: number;
  raised: boolean;
  note: string;
}

/** The feature store of the systems a run started, and how it was chosen. */
export interface StoreChoiceEcho {
  kind: StoreKind;
  /** 'named': --store; 'default': Redis where a redis-server can be started, else the embedded store. */
  chosen: 'named' | 'default';
  /** Why the default is the embedded store, e.g. 'no redis-server found: ...'. */
  fallback?: string;
}

export interface LoadOptionsEcho {
  scenarios: ScenarioName[];
  engine: LoadEngineName;
  /** Why the engine (of the scenarios' loop) ran ('default', '--engine', 'fallback: <reason>'), the loop, and the native engine's threads. */
  engineChoice?: { reason: string; loop: LoadLoop; generatorThreads?: number };
  repeats: number;
  quick: boolean;
  target?: string;
  durationMs: number;
  warmupMs: number;
  timeoutMs: number;
  /** Requests per step, when steps end after an amount instead of a duration. */
  amount?: number;
  latencyGoalP99Us: number;
  errorBudget: number;
  connections?: number;
  rateRps?: number;
  seed: number;
  /** onnx and module predicts: the model files given (--model, --model-a, --model-b) and --onnx-threads. */
  model?: { file?: string; a?: string; b?: string; onnxThreads?: number };
  /** --target: where the request data came from (--body @file, --bodies, --header @file). */
  requestData?: RequestDataEcho;
  /**
   * `--shard i/N`: this run applied shard `index` of `count` of the load (its share of the rate or the
   * connections, and seed base + index, as src/k8s/shards.ts splits them; `rateRps`, `connections` and `seed`
   * above are then this shard's own). `servebench merge` adds the shards up.
   */
  shard?: ShardEcho;
  /** `--generator-processes N`: every step measured by N generator processes at once, merged exactly (absent: one, this process). */
  generatorProcesses?: number;
  /** The feature store asked of every system the run starts (each configuration's `store` says what it got). */
  store?: StoreChoiceEcho;
}

/** Which shard of a distributed load a result is: shard `index` (0-based) of `count`. */
export interface ShardEcho {
  index: number;
  count: number;
  /** The whole load the shards split (the --rate or --connections and --seed given to every shard), so a merge can check the shares. */
  total?: ShardTotal;
}

/** The load of a distributed load as a whole, before `--shard` took this shard's share of it. */
export interface ShardTotal {
  rateRps?: number;
  connections?: number;
  seed: number;
}
