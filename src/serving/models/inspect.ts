// Reading the model files a system is started with, once, in servebench's own process before any service
// starts: the file is there and is what it claims (an ONNX model onnxruntime-node loads, with one input
// servebench can fill; a module exporting predict), its size and sha256, and the feature count both models
// agree on. Every problem is an SB_ERR_INPUT naming the option and the file (`serve` exits 2).

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ServebenchError } from '../../errors.js';
import type { FilePredict, ModelDescription } from '../../results/serving.js';
import { isOneOf, FILE_PREDICTS } from '../../results/vocab.js';
import { modelServiceConfig, modelSettings } from '../config.js';
import type { ResolvedSystemOptions } from '../types.js';
import { describeModel } from './index.js';
import { inspectModule } from './module.js';
import { inspectOnnx } from './onnx.js';
import { onnxRuntime } from './onnx-runtime.js';
import type { ModelFacts, ModelFileChoice, ModelFileSettings } from './types.js';

/** The file extensions a predict module may have. */
const MODULE_EXTENSIONS = ['.mjs', '.js', '.cjs'];

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The file's size, or an SB_ERR_INPUT saying why it cannot be read. */
async function fileSize(c: ModelFileChoice): Promise<number> {
  let s: Awaited<ReturnType<typeof stat>>;
  try {
    s = await stat(c.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
    throw new ServebenchError('SB_ERR_INPUT', `${c.option}: ${c.path}: ${why}`);
  }
  if (!s.isFile()) throw new ServebenchError('SB_ERR_INPUT', `${c.option}: ${c.path} is not a file`);
  return s.size;
}

/** Inspect one model file; errors name the option and the file. */
async function inspectModelFile(predict: FilePredict, c: ModelFileChoice, onnxThreads: number): Promise<ModelFileSettings> {
  const name = basename(c.path);
  const bytes = await fileSize(c);
  if (predict === 'module' && !MODULE_EXTENSIONS.includes(extname(c.path))) {
    throw new ServebenchError('SB_ERR_INPUT', `${c.option}: ${name}: a predict module is a .mjs, .js or .cjs file`);
  }
  // onnxruntime-node unavailable: its own error (the status line), not a problem of the file.
  if (predict === 'onnx') onnxRuntime();
  let found: Omit<ModelFacts, 'file' | 'name'> & { name?: string };
  try {
    found = predict === 'onnx' ? await inspectOnnx(c.path, name) : await inspectModule(c.path, name);
  } catch (err) {
    if (err instanceof ServebenchError && err.code === 'SB_ERR_INPUT') throw new ServebenchError('SB_ERR_INPUT', `${c.option}: ${err.message}`, { cause: err });
    throw err;
  }
  const facts: ModelFacts = { ...found, name: found.name ?? name, file: { path: c.path, name, bytes, sha256: await sha256(c.path) } };
  return { predict, path: c.path, onnxThreads, facts };
}

/** Inspect both model services' files (one inspection when they are the same file); both must take the same features. */
async function inspectModelPair(
  predict: FilePredict,
  files: Record<'a' | 'b', ModelFileChoice>,
  onnxThreads: number,
): Promise<Record<'a' | 'b', ModelFileSettings>> {
  const a = await inspectModelFile(predict, files.a, onnxThreads);
  const b = files.b.path === files.a.path ? a : await inspectModelFile(predict, files.b, onnxThreads);
  if (a.facts.featureCount !== b.facts.featureCount) {
    throw new ServebenchError(
      'SB_ERR_INPUT',
      `${files.b.option}: ${b.facts.file.name} takes ${b.facts.featureCount} features and ${a.facts.file.name} (model-a) takes ${a.facts.featureCount}: ` +
        'the scoring handler sends both models the same entity features, so they must take the same number',
    );
  }
  return { a, b };
}

/** What the reader must know about where a model file runs on this path (as the cpu predict's notes say). */
function placementNote(d: ModelDescription, path: ResolvedSystemOptions['path']): string | undefined {
  const what = `${d.predict} predict`;
  if (d.placement === 'worker-pool') {
    const why =
      d.predict === 'onnx'
        ? "onnxruntime-node's run does not leave the event loop (it runs the inference on the calling thread)"
        : 'its predict is synchronous';
    const threads = `${d.threads.pool} thread${d.threads.pool === 1 ? '' : 's'}`;
    return `${what}: ${why}, so the async path runs it on a worker-thread pool (piscina, ${threads}, each with its own copy)`;
  }
  if (d.placement === 'blocking-worker') {
    const why = d.predict === 'onnx' ? "onnxruntime-node's run answers with a Promise" : 'its predict is async';
    return `${what}: ${why}, so the sync path blocks its process on a worker thread that runs it (synckit), as a WSGI worker blocks in its inference`;
  }
  if (d.placement === 'event-loop' && path === 'async') return `${what}: its predict is async, so the async path awaits it on the event loop`;
  return undefined;
}

/** Both model services' models on the system's path, as the options describe them (for results, before any process runs). */
export function describeSystemModels(o: ResolvedSystemOptions): { a: ModelDescription; b: ModelDescription } {
  return {
    a: describeModel(modelSettings(modelServiceConfig(o, 'model-a')), o.path),
    b: describeModel(modelSettings(modelServiceConfig(o, 'model-b')), o.path),
  };
}

/**
 * Read the model files the options chose (onnx and module), before any service starts: the options then
 * carry what every process loads, the feature count the models take, and notes on where they run.
 */
export async function withModelFiles(o: ResolvedSystemOptions): Promise<ResolvedSystemOptions> {
  if (o.modelFiles === undefined || !isOneOf(FILE_PREDICTS, o.predict)) return o;
  const models = await inspectModelPair(o.predict, o.modelFiles, o.onnxThreads ?? 1);
  const read: ResolvedSystemOptions = { ...o, models, featureCount: models.a.facts.featureCount };
  const { a, b } = describeSystemModels(read);
  const notes = [a, b].map((d) => placementNote(d, o.path));
  read.notes = [...o.notes, ...new Set(notes.filter((n): n is string => n !== undefined))];
  return read;
}

/** The external runtime the models use, for a system's versions (onnxruntime-node; none for the built-ins and modules). */
export function modelRuntimeVersions(o: ResolvedSystemOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of o.predict === 'onnx' && o.models !== undefined ? [o.models.a, o.models.b] : []) out[m.facts.runtime.name] = m.facts.runtime.version;
  return out;
}
