// A user's JS predict module (ES module or CommonJS): it exports `predict(features)` returning a number or a
// Promise of one, and optionally `load()` (awaited once per thread that runs it, before the first predict),
// `name` and `featureCount`. Checked once at start (servebench imports it to read its exports); then every
// process (and every worker thread) that runs it imports it and calls load() itself.

import { pathToFileURL } from 'node:url';
import { ServebenchError, errorMessage } from '../../errors.js';
import { DEFAULTS } from '../config.js';
import type { ModelFacts, ModelFileSettings, Runner } from './types.js';

/** What a predict module exports (ES named exports, or the properties of a CommonJS module.exports). */
interface PredictModule {
  predict: (features: number[]) => unknown;
  /** Optional: several rows in one call (a batching model API calls it once per batch), an array of predictions. */
  predictBatch?: (rows: number[][]) => unknown;
  load?: () => unknown;
  name?: unknown;
  featureCount?: unknown;
}

/** The most features a module may declare. */
const MAX_FEATURES = 1_000_000;

function refuse(file: string, why: string): ServebenchError {
  return new ServebenchError('SB_ERR_INPUT', `${file}: ${why}`);
}

/** The exports object: named exports, else a default export (CommonJS module.exports, or `export default {...}`). */
function exportsOf(ns: Record<string, unknown>): Record<string, unknown> {
  if (typeof ns.predict === 'function') return ns;
  const d = ns.default;
  if ((typeof d === 'object' || typeof d === 'function') && d !== null && typeof (d as Record<string, unknown>).predict === 'function') {
    return d as Record<string, unknown>;
  }
  return ns;
}

async function importModule(path: string, file: string): Promise<PredictModule> {
  let ns: Record<string, unknown>;
  try {
    ns = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw refuse(file, `importing the module failed: ${errorMessage(err).split('\n')[0]}`);
  }
  const exp = exportsOf(ns);
  if (typeof exp.predict !== 'function') {
    const names = Object.keys(exp).filter((k) => k !== 'default');
    const has = names.length === 0 ? 'it exports nothing' : `it exports ${names.join(', ')}`;
    throw refuse(file, `exports no predict function: a predict module exports predict(features) returning a number or a Promise of one (${has})`);
  }
  if (exp.load !== undefined && typeof exp.load !== 'function') throw refuse(file, `load: expected a function, got ${typeof exp.load}`);
  if (exp.predictBatch !== undefined && typeof exp.predictBatch !== 'function') {
    throw refuse(file, `predictBatch: expected a function taking an array of rows, got ${typeof exp.predictBatch}`);
  }
  return exp as unknown as PredictModule;
}

/** Read a module's exports and check them: predict is required; name and featureCount are optional metadata. */
export async function inspectModule(path: string, file: string): Promise<Omit<ModelFacts, 'file'>> {
  const m = await importModule(path, file);
  if (m.name !== undefined && (typeof m.name !== 'string' || m.name.trim() === ''))
    throw refuse(file, `name: expected a non-empty string, got ${typeof m.name}`);
  const fc = m.featureCount ?? DEFAULTS.featureCount;
  if (typeof fc !== 'number' || !Number.isInteger(fc) || fc < 1 || fc > MAX_FEATURES) {
    throw refuse(file, `featureCount: expected an integer between 1 and ${MAX_FEATURES}, got ${JSON.stringify(m.featureCount)}`);
  }
  const name = typeof m.name === 'string' ? m.name : file;
  return {
    name,
    inputs: [{ name: 'features', type: 'number', shape: [fc] }],
    outputs: [{ name: 'prediction', type: 'number', shape: [] }],
    featureCount: fc,
    runtime: { name: 'node', version: process.versions.node },
    asyncPredict: m.predict.constructor.name === 'AsyncFunction',
    batchPredict: typeof m.predictBatch === 'function',
  };
}

/** The module on this thread, its load() awaited; `call` returns whatever predict returns (checked by the caller). */
export async function openModule(settings: ModelFileSettings): Promise<Runner> {
  const file = settings.facts.file.name;
  const m = await importModule(settings.path, file);
  if (m.load !== undefined) {
    try {
      await m.load();
    } catch (err) {
      throw refuse(file, `load() failed: ${errorMessage(err)}`);
    }
  }
  return {
    call: (features) => m.predict(features),
    // Called as a method of the module, as predict is.
    ...(m.predictBatch === undefined ? {} : { callBatch: (rows: number[][]) => m.predictBatch?.(rows) }),
    close: async () => undefined,
  };
}
