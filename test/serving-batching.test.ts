// The batching model API (--batching max-size=B,max-wait=W): batches form up to B and no request waits past
// W (read from each answer's timing breakdown, with a margin for a late timer on a busy host, never from wall
// time); every answer equals the unbatched predict's for the same input; one bad request in a batch fails
// alone (a malformed body its own 400, a row the model fails its own 500) while the others are answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictResponse } from '../src/results/serving.js';
import { startModelApi } from '../src/serving/system.js';
import type { RunningModelApi } from '../src/serving/types.js';
import { fixtureModel, onnxScores, post, shippedModel } from './serving-model-fixtures.js';

const WAIT_MS = 40;
/** A timer may fire late when the other core is busy: the bound checked is max-wait plus this. */
const LATE_TIMER_MARGIN_MS = 60;

const apis: Record<string, RunningModelApi> = {};
const vectors = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => ((i + 1) * (j - 3)) / 10));

beforeAll(async () => {
  const base = { topology: 'single', metricsIntervalMs: 0, poolThreads: 1 } as const;
  const started = await Promise.all([
    startModelApi({ ...base, path: 'async', predict: 'cpu', n: 2000, batching: { maxSize: 4, maxWaitMs: WAIT_MS } }),
    startModelApi({ ...base, path: 'async', predict: 'cpu', n: 2000 }),
    startModelApi({ ...base, path: 'sync', predict: 'io', ioWaitMs: { min: 5, max: 6 }, batching: { maxSize: 8, maxWaitMs: WAIT_MS } }),
    startModelApi({ ...base, path: 'async', predict: 'module', modelFile: fixtureModel('flaky-module.mjs'), batching: { maxSize: 4, maxWaitMs: 200 } }),
    startModelApi({ ...base, path: 'async', predict: 'onnx', modelFile: shippedModel('model-a'), batching: { maxSize: 8, maxWaitMs: WAIT_MS } }),
  ]);
  [apis.cpu, apis.cpuOff, apis.io, apis.flaky, apis.onnx] = started;
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(apis).map((a) => a.stop()));
});

const predictAll = (api: RunningModelApi, bodies: unknown[]) => Promise.all(bodies.map((b) => post<PredictResponse>(api.predictUrl, b)));

describe('batching model API', () => {
  it('describes its batching and how a batch runs', () => {
    expect(apis.cpu!.model.batching).toMatchObject({ maxSize: 4, maxWaitMs: WAIT_MS });
    expect(apis.io!.model.batching?.how).toBe('one wait per batch');
    expect(apis.onnx!.model.batching?.how).toMatch(/one inference over the batch dimension/);
    expect(apis.flaky!.model.batching?.how).toMatch(/once per row/);
    expect(apis.cpuOff!.model.batching).toBeUndefined();
  });

  it('forms batches up to max-size, none waiting past max-wait, each answer equal to the unbatched one', async () => {
    const bodies = vectors.map((features, i) => ({ features, n: 1000 + i }));
    const [batched, plain] = await Promise.all([predictAll(apis.cpu!, [...bodies, ...bodies.slice(0, 2)]), predictAll(apis.cpuOff!, bodies)]);
    for (const r of batched) {
      expect(r.status).toBe(200);
      expect(r.json.timing.batchSize).toBeGreaterThanOrEqual(1);
      expect(r.json.timing.batchSize).toBeLessThanOrEqual(4);
      expect(r.json.timing.batchWaitMs).toBeLessThanOrEqual(WAIT_MS + LATE_TIMER_MARGIN_MS);
    }
    // 10 requests at once into batches of at most 4: some batch filled (its wait ended early).
    expect(batched.some((r) => r.json.timing.batchSize === 4)).toBe(true);
    plain.forEach((p, i) => {
      expect(p.json.timing.batchSize).toBeUndefined();
      expect(batched[i]!.json.prediction).toBe(p.json.prediction);
      expect(batched[i]!.json.mean).toBe(p.json.mean);
      expect(batched[i]!.json.n).toBe(1000 + i);
    });
  });

  it('a lone request waits for max-wait, then runs as a batch of one', async () => {
    const r = await post<PredictResponse>(apis.cpu!.predictUrl, { features: vectors[0] });
    expect(r.status).toBe(200);
    expect(r.json.timing.batchSize).toBe(1);
    // The timer never fires before its delay (whole ms, rounded down from what was left).
    expect(r.json.timing.batchWaitMs).toBeGreaterThanOrEqual(WAIT_MS - 2);
    expect(r.json.timing.batchWaitMs).toBeLessThanOrEqual(WAIT_MS + LATE_TIMER_MARGIN_MS);
  });

  it('the io predict waits once per batch on the sync path', async () => {
    const rs = await predictAll(
      apis.io!,
      vectors.map((features) => ({ features })),
    );
    for (const r of rs) expect(r.status).toBe(200);
    const sizes = rs.map((r) => r.json.timing.batchSize ?? 0);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    expect(sizes.every((s) => s <= 8)).toBe(true);
    // The requests of one batch share one wait.
    const inBiggest = rs.filter((r) => r.json.timing.batchSize === Math.max(...sizes));
    expect(new Set(inBiggest.map((r) => r.json.timing.predictMs)).size).toBe(1);
  });

  it('the onnx model runs one inference over the batch, each row equal to its own inference', async () => {
    const rs = await predictAll(
      apis.onnx!,
      vectors.map((features) => ({ features })),
    );
    const want = await onnxScores(shippedModel('model-a'), vectors);
    rs.forEach((r, i) => {
      expect(r.status).toBe(200);
      expect(r.json.prediction).toBeCloseTo(want[i]!, 6);
    });
    expect(Math.max(...rs.map((r) => r.json.timing.batchSize ?? 0))).toBeGreaterThan(1);
  });

  it('one bad request in a batch fails alone: a malformed body its 400, a row the model fails its 500', async () => {
    const good = (k: number) => ({ features: [k, 1, 1, 1, 1, 1, 1, 1] });
    const rs = await predictAll(apis.flaky!, [good(1), { features: [1, 2] }, { features: [99, 1, 1, 1, 1, 1, 1, 1] }, good(2), good(3)]);
    expect(rs.map((r) => r.status)).toEqual([200, 400, 500, 200, 200]);
    expect(rs[2]!.json).toMatchObject({ error: { code: 'model_failed' } });
    // The malformed body never joined a batch; the failing row did, with three others.
    expect(rs[0]!.json.timing.batchSize).toBe(4);
    expect(rs[0]!.json.prediction).toBeCloseTo(8 / 8, 12);
    expect(rs[4]!.json.prediction).toBeCloseTo(10 / 8, 12);
  });
});
