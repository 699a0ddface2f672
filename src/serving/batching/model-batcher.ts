// A model API's batching (--batching): puts each parsed /predict input into the forming batch and runs a
// batch through the model's runBatch (one blocking call on the sync path, one awaited call elsewhere). Each
// request gets its own row: its outcome, or its own error (a row the model failed fails that request alone).

import type { ProcessMeter } from '../metrics.js';
import type { BatchRow, Model, PredictInput, PredictOutcome } from '../models/types.js';
import type { BatchingSettings } from '../../results/serving.js';
import { MicroBatcher, type Batched } from './batcher.js';

export interface ModelBatcher {
  /** Predict one input in the next batch: its outcome, the batch's size and its wait for the batch. */
  predict(input: PredictInput): Promise<Batched<PredictOutcome>>;
  /** Fail the requests still waiting (the process is closing). */
  close(): void;
}

export function createModelBatcher(model: Model, settings: BatchingSettings, meter: ProcessMeter): ModelBatcher {
  const run = (inputs: PredictInput[]): BatchRow[] | Promise<BatchRow[]> => (model.mode === 'blocking' ? model.runBatch(inputs) : model.runBatch(inputs));
  const batcher = new MicroBatcher<PredictInput, PredictOutcome>(settings, run, (size, waits) => meter.recordBatch(size, waits));
  return {
    predict: (input) => batcher.add(input),
    close: () => batcher.close(new Error('the model API is closing')),
  };
}
