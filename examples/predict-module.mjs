// An example predict module for `servebench serve --predict module --model examples/predict-module.mjs`
// (see docs/models.md): a small hand-written model over an entity's 8 features, a logistic regression with
// one interaction term. servebench calls load() once in every process (and worker thread) that runs it,
// then predict(features) once per request; predict returns a number (a Promise of one works too).

/** Shown in servebench's description of the system, instead of the file name. */
export const name = 'example logistic regression (hand-written)';

/** Features per request: servebench's feature store holds vectors of this many. */
export const featureCount = 8;

let weights;
let bias;

/** Run once before the first predict: where a real module would read its weights from a file. */
export async function load() {
  weights = Float64Array.from([0.8, -0.5, 0.3, 0.0, 1.2, -0.7, 0.25, 0.4]);
  bias = -0.1;
}

/** The probability of the positive class for one entity: sigmoid(w . x + b + 0.5 * x0 * x1). */
export function predict(features) {
  if (weights === undefined) throw new Error('load() has not run');
  let z = bias + 0.5 * features[0] * features[1];
  for (let i = 0; i < featureCount; i++) z += weights[i] * features[i];
  return 1 / (1 + Math.exp(-z));
}
