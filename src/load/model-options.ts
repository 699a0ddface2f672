// The model a load run brings (--predict onnx|module with --model, --model-a, --model-b, --onnx-threads):
// the options checked against the predicts they go with (pure), which predict a file is (by its extension),
// and the files read once before the first round, so a missing or unreadable model stops the run at once
// (exit 2) instead of failing every configuration the same way.

import { extname } from 'node:path';
import { OptionError, ServebenchError } from '../errors.js';
import { FILE_PREDICTS, type FilePredict, isOneOf, type PredictKind } from '../results/vocab.js';
import { resolveSystemOptions, withModelFiles } from '../serving/index.js';
import type { ModelFileOptions } from './systems.js';

const MODULE_EXTENSIONS = ['.mjs', '.js', '.cjs'];

/** The predict a model file runs with: onnx for .onnx, module for .mjs, .js and .cjs. */
export function predictForModelFile(option: string, file: string): FilePredict {
  const ext = extname(file).toLowerCase();
  if (ext === '.onnx') return 'onnx';
  if (MODULE_EXTENSIONS.includes(ext)) return 'module';
  throw new OptionError(option, `${file}: expected an .onnx model or a .mjs, .js or .cjs predict module`);
}

function givenFile(m: ModelFileOptions | undefined): string | undefined {
  if (m?.modelFile !== undefined) return '--model';
  if (m?.modelFiles?.a !== undefined) return '--model-a';
  if (m?.modelFiles?.b !== undefined) return '--model-b';
  return undefined;
}

/** Check the model options against the predicts of the run; throws an OptionError naming the option. */
export function checkModelOptions(predicts: readonly PredictKind[], m: ModelFileOptions | undefined, target: boolean): void {
  const file = givenFile(m);
  if (target) {
    const given = file ?? (m?.onnxThreads === undefined ? undefined : '--onnx-threads');
    if (given !== undefined) throw new OptionError(given, 'configures the serving system servebench starts; with --target nothing of it is started');
    return;
  }
  const filePredicts = predicts.filter((p) => isOneOf(FILE_PREDICTS, p));
  if (file !== undefined && filePredicts.length === 0) {
    throw new OptionError(file, `applies to --predict ${FILE_PREDICTS.join(' or ')} (the run's predicts are ${predicts.join(', ')}, built in)`);
  }
  if (file !== undefined && filePredicts.length > 1) {
    throw new OptionError(file, 'one model file is either an ONNX model or a predict module: run --predict onnx and --predict module separately');
  }
  if (m?.onnxThreads !== undefined && !predicts.includes('onnx')) throw new OptionError('--onnx-threads', 'applies only to --predict onnx');
  const both = m?.modelFiles?.a !== undefined && m.modelFiles.b !== undefined;
  if (predicts.includes('module') && m?.modelFile === undefined && !both) {
    throw new OptionError('--model', 'required with --predict module: a .mjs, .js or .cjs file exporting predict(features) (see examples/predict-module.mjs)');
  }
}

/**
 * Read the model files of every file predict of the run once, as the serving system will: a missing file,
 * a file that is not a model, a module without predict throw SB_ERR_INPUT (exit 2). An unavailable
 * onnxruntime-node is not thrown: its configurations are skipped with the reason, like a missing nginx.
 */
export async function checkModelFiles(predicts: readonly PredictKind[], m: ModelFileOptions | undefined): Promise<void> {
  for (const predict of new Set(predicts)) {
    if (!isOneOf(FILE_PREDICTS, predict)) continue;
    const files = { ...m, ...(predict === 'onnx' ? {} : { onnxThreads: undefined }) };
    try {
      await withModelFiles(resolveSystemOptions({ path: 'sync', topology: 'single', predict, store: 'memory', ...files }));
    } catch (err) {
      if (err instanceof ServebenchError && err.code === 'SB_ERR_MISSING_TOOL') continue;
      throw err;
    }
  }
}
