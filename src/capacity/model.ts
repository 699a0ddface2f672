// The capacity question for a model a user brings (`servebench capacity --predict onnx --model FILE`): for an
// ONNX model whose batch is dynamic, the largest input batch (rows of F features in one inference) that fits
// a fresh process under the memory budget, found by the kernels' search (search.ts) with one probe process a
// batch (onnx-batch.ts). Where the question does not apply (io, a predict module, a model that takes one row
// an inference) the result says so plainly, with why, and nothing runs.

import { ServebenchError, toErrorInfo } from '../errors.js';
import { formatN } from '../report/format.js';
import type { CapacityModelResult, ModelCapacityProbe } from '../results/capacity.js';
import type { PredictKind } from '../results/vocab.js';
import { describeOnnxStatus, onnxStatus, resolveSystemOptions, withModelFiles } from '../serving/index.js';
import type { Supervisor } from '../processes/index.js';
import type { MemoryLimit } from './limit.js';
import { runProbeJob } from './probe.js';
import { type ProbeVerdict, searchCapacity } from './search.js';

const QUESTION = 'the largest input batch (rows of features in one inference) that fits a fresh process under the memory budget';

/** Bytes of one element of each input type servebench fills. */
const ELEMENT_BYTES: Record<string, number> = { float32: 4, float64: 8, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8 };

export interface ModelCapacityOptions {
  predict: Exclude<PredictKind, 'cpu'>;
  modelFile?: string;
  onnxThreads?: number;
  budgetBytes: number;
  tolerance: number;
  maxProbes: number;
  /** The first batch tried. @default a round number near a sixteenth of the ceiling (budget / bytes of one row's input) */
  startRows?: number;
  seed: number;
  probeTimeout: { baseMs: number; perValueNs: number };
}

export interface ModelCapacityRun {
  sup: Supervisor;
  /** The verified budget: needed once a search runs (the questions that do not apply return before). */
  limit: MemoryLimit | undefined;
  aborted(): boolean;
  /** Called after every probe with the result so far. */
  onProbe(partial: CapacityModelResult, probe: ModelCapacityProbe): void;
}

/** A round number (1, 2 or 5 times a power of ten) at most x, at least 1. */
function roundDown125(x: number): number {
  if (x < 1) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [5, 2, 1]) if (m * p <= x) return m * p;
  return p;
}

/** What the model is (read as the serving system reads it), or the answer when the question does not apply. */
async function modelFacts(o: ModelCapacityOptions): Promise<{ head: Omit<CapacityModelResult, 'state'>; answer?: CapacityModelResult; output?: string }> {
  if (o.predict === 'io') {
    const head = { predict: o.predict, question: QUESTION };
    return { head, answer: { ...head, state: 'not-applicable', reason: 'the io predict waits 40-50 ms (a remote model) and holds no input to grow' } };
  }
  if (o.predict === 'onnx' && !onnxStatus().available) {
    const head = { predict: o.predict, question: QUESTION };
    return { head, answer: { ...head, state: 'unavailable', reason: describeOnnxStatus() } };
  }
  const files = { ...(o.modelFile === undefined ? {} : { modelFile: o.modelFile }), ...(o.onnxThreads === undefined ? {} : { onnxThreads: o.onnxThreads }) };
  const read = await withModelFiles(resolveSystemOptions({ path: 'sync', topology: 'single', predict: o.predict, store: 'memory', ...files }));
  const facts = read.models!.a.facts;
  const head = { predict: o.predict, question: QUESTION, name: facts.name, file: facts.file, inputs: facts.inputs, runtime: facts.runtime };
  if (o.predict === 'module') {
    const reason = 'a predict module takes one vector of features a call (predict(features)): there is no batch or n to grow';
    return { head, answer: { ...head, state: 'not-applicable', reason } };
  }
  const shape = facts.inputs[0]!.shape;
  if (shape.length === 1 || shape[0] === 1) {
    const reason = `its input '${facts.inputs[0]!.name}' [${shape.join(', ')}] takes one row an inference: there is no batch to grow`;
    return { head, answer: { ...head, state: 'not-applicable', reason } };
  }
  return { head, output: facts.outputs[0]!.name };
}

/** The model's capacity: the answer that the question does not apply, or the search's result. Throws SB_ERR_INPUT for a bad file. */
export async function searchModelCapacity(o: ModelCapacityOptions, run: ModelCapacityRun): Promise<CapacityModelResult> {
  const { head, answer, output } = await modelFacts(o);
  if (answer !== undefined) return answer;
  const limit = run.limit;
  if (limit === undefined) throw new ServebenchError('SB_ERR_INTERNAL', 'a model capacity search needs a verified memory limit');
  const input = head.inputs![0]!;
  const featureCount = Number(input.shape[input.shape.length - 1]);
  const threads = o.onnxThreads ?? 1;
  const ceiling = Math.max(1, Math.floor(o.budgetBytes / (featureCount * (ELEMENT_BYTES[input.type] ?? 8))));
  const probes: ModelCapacityProbe[] = [];
  const partial = (): CapacityModelResult => ({
    ...head,
    state: 'errored',
    error: { code: 'SB_ERR_INTERNAL', message: 'its search had not finished' },
    probes,
  });
  let stopError: CapacityModelResult | undefined;
  const probe = async (rows: number, step: ModelCapacityProbe['step']): Promise<ProbeVerdict> => {
    if (run.aborted()) return 'stop';
    const job = {
      mode: 'onnx-batch' as const,
      path: head.file!.path,
      input: { name: input.name, type: input.type, featureCount },
      output: output ?? '',
      rows,
      seed: o.seed,
      threads,
    };
    const timeoutMs = o.probeTimeout.baseMs + (rows * featureCount * o.probeTimeout.perValueNs) / 1e6;
    const { report: _report, ...p } = await runProbeJob(run.sup, limit, job, {
      name: `capacity-model-rows${formatN(rows)}`,
      n: rows,
      step,
      concurrency: 1,
      timeoutMs,
    });
    // The classifier speaks of a kernel; here the stage after the input is built is the inference.
    p.detail = p.detail.replace('while running the kernel', 'while running the inference');
    probes.push(p);
    run.onProbe(partial(), p);
    if (p.outcome === 'ok') return 'fits';
    if (p.outcome !== 'errored') return 'fails';
    stopError = { ...head, state: 'errored', error: { code: 'SB_ERR_INTERNAL', message: `probe at ${rows} rows: ${p.detail}` }, probes };
    return 'stop';
  };
  const startRows = Math.min(ceiling, o.startRows ?? roundDown125(ceiling / 16));
  let bracket: Awaited<ReturnType<typeof searchCapacity>>;
  try {
    bracket = await searchCapacity({ startN: startRows, minN: 1, maxN: ceiling, tolerance: o.tolerance, maxProbes: o.maxProbes }, probe);
  } catch (err) {
    return { ...head, state: 'errored', error: toErrorInfo(err), probes };
  }
  if (stopError !== undefined) return stopError;
  if (bracket.reason === 'stopped') return { ...head, state: 'errored', error: { code: 'SB_ERR_INTERNAL', message: 'interrupted during its search' }, probes };
  return summarizeModel(head, probes, bracket, { featureCount, inputType: input.type, threads, budgetBytes: o.budgetBytes });
}

/** The result from the probes and the search's bracket (as summarizeKernel does for a kernel). */
function summarizeModel(
  head: Omit<CapacityModelResult, 'state'>,
  probes: ModelCapacityProbe[],
  bracket: { lo: number | null; hi: number | null; converged: boolean },
  m: { featureCount: number; inputType: string; threads: number; budgetBytes: number },
): CapacityModelResult {
  const at = (n: number | null) => (n === null ? undefined : probes.find((p) => p.n === n));
  const ok = at(bracket.lo);
  const fail = at(bracket.hi);
  const mem = ok?.memory ?? null;
  const lo = bracket.lo;
  const base = mem?.baselineDataBytes ?? null;
  return {
    ...head,
    state: 'completed',
    probes,
    featureCount: m.featureCount,
    inputType: m.inputType,
    threads: m.threads,
    maxRows: lo,
    firstFailRows: bracket.hi,
    failure: fail?.outcome ?? null,
    failureDetail: fail?.detail ?? null,
    precision: lo !== null && bracket.hi !== null ? (bracket.hi - lo) / lo : null,
    converged: bracket.converged,
    bytesPerRow: mem !== null && lo !== null && lo > 0 ? mem.growthRssBytes / lo : null,
    budgetBytesPerRow: base !== null && lo !== null && lo > 0 ? (m.budgetBytes - base) / lo : null,
    baselineRssBytes: mem?.baselineRssBytes ?? null,
    peakRssBytes: mem?.peakRssBytes ?? null,
  };
}
