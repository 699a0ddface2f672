// The HorizontalPodAutoscaler's rule as servebench emulates it (pure functions): desired = ceil(current x
// utilization / target), nothing inside the tolerance band, conservative treatment of replicas without a
// metric, the scale-up limit, min/max, and the scale-down stabilization window.
import { describe, expect, it } from 'vitest';
import {
  HPA_DEFAULTS,
  hpaSync,
  normalize,
  recommendReplicas,
  remember,
  validateHpaSpec,
  type HpaSpec,
  type PastRecommendation,
} from '../src/serving/autoscale/hpa.js';

const spec: HpaSpec = { ...HPA_DEFAULTS, targetUtilization: 0.6, tolerance: 0.1, minReplicas: 1, maxReplicas: 6, scaleDownStabilizationMs: 10_000 };
const m = (currentReplicas: number, utilizations: number[], missing = 0, unready = 0) => ({ currentReplicas, utilizations, missing, unready });

describe('the replica calculator', () => {
  it('scales up to ceil(current x utilization / target)', () => {
    expect(recommendReplicas(m(2, [0.9, 0.9]), 0.6, 0.1).replicas).toBe(3);
    expect(recommendReplicas(m(1, [0.92]), 0.6, 0.1).replicas).toBe(2);
    expect(recommendReplicas(m(4, [1, 1, 1, 1]), 0.6, 0.1).replicas).toBe(7);
  });

  it('scales down the same way', () => {
    expect(recommendReplicas(m(6, [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]), 0.6, 0.1).replicas).toBe(1);
    expect(recommendReplicas(m(4, [0.3, 0.3, 0.3, 0.3]), 0.6, 0.1).replicas).toBe(2);
  });

  it('keeps the count inside the tolerance band', () => {
    // 0.63 / 0.6 = 1.05 and 0.57 / 0.6 = 0.95: within 10%.
    expect(recommendReplicas(m(3, [0.63, 0.63, 0.63]), 0.6, 0.1).replicas).toBe(3);
    expect(recommendReplicas(m(3, [0.57, 0.57, 0.57]), 0.6, 0.1).replicas).toBe(3);
    // Just outside: 0.67 / 0.6 = 1.12.
    expect(recommendReplicas(m(3, [0.67, 0.67, 0.67]), 0.6, 0.1).replicas).toBe(4);
    expect(recommendReplicas(m(3, [0.63, 0.63, 0.63]), 0.6, 0.1).reason).toMatch(/tolerance band/);
  });

  it('keeps the count without any metric', () => {
    const r = recommendReplicas(m(3, []), 0.6, 0.1);
    expect(r.replicas).toBe(3);
    expect(r.usageRatio).toBeNull();
  });

  it('counts a replica without a metric as fully used on a scale down, idle on a scale up', () => {
    // Down: [0.1, 0.1] + one missing at 100% -> mean 0.4 -> ratio 0.67 -> ceil(3 x 0.67) = 2 (not 1).
    expect(recommendReplicas(m(3, [0.1, 0.1], 1), 0.6, 0.1).replicas).toBe(2);
    // Up: [1.2, 1.2] + one missing at 0 -> mean 0.8 -> ratio 1.33 -> ceil(3 x 1.33) = 4 (not 5).
    expect(recommendReplicas(m(3, [1.2, 1.2], 1), 0.6, 0.1).replicas).toBe(4);
    // Filled in, the change vanishes into the band: keep.
    expect(recommendReplicas(m(2, [0.75], 1), 0.6, 0.1).replicas).toBe(2);
  });

  it('counts a replica not ready yet as idle on a scale up, and leaves it out on a scale down', () => {
    // Up: two ready at 1.0 and one starting (0) -> mean 0.67 -> ratio 1.11 -> ceil(3 x 1.11) = 4.
    expect(recommendReplicas(m(3, [1, 1], 0, 1), 0.6, 0.1).replicas).toBe(4);
    // Down: the starting one is ignored -> ceil(2 x 0.5) = 1.
    expect(recommendReplicas(m(3, [0.3, 0.3], 0, 1), 0.6, 0.1).replicas).toBe(1);
  });
});

describe("the controller's normalisation", () => {
  it('caps at maxReplicas and raises to minReplicas', () => {
    expect(normalize(20, 4, 0, [], spec)).toMatchObject({ replicas: 6, reason: expect.stringMatching(/capped at maxReplicas 6/) as unknown });
    expect(normalize(0, 1, 0, [], spec).replicas).toBe(1);
  });

  it('limits a scale up to double or +4 replicas per period', () => {
    expect(normalize(10, 1, 0, [], { ...spec, maxReplicas: 20 })).toMatchObject({ replicas: 5 });
    expect(normalize(20, 6, 0, [], { ...spec, maxReplicas: 20 })).toMatchObject({ replicas: 12 });
  });

  it('holds a scale down at the highest recommendation of the stabilization window, then lets it go', () => {
    let history: PastRecommendation[] = [];
    history = remember(history, { atMs: 0, replicas: 6 }, spec);
    // 3 s later the metrics ask for 2: held at 6 (the window still holds the 6).
    const held = normalize(2, 6, 3000, history, spec);
    expect(held.replicas).toBe(6);
    expect(held.reason).toMatch(/stabilization window/);
    history = remember(history, { atMs: 3000, replicas: 2 }, spec);
    history = remember(history, { atMs: 8000, replicas: 3 }, spec);
    // At 11 s the 6 has left the 10 s window; the highest left is 3.
    expect(normalize(2, 6, 11_000, history, spec).replicas).toBe(3);
    // At 19 s the window (9 s, 19 s] holds only the 2 of 11 s.
    history = remember(history, { atMs: 11_000, replicas: 2 }, spec);
    expect(normalize(2, 3, 19_000, history, spec).replicas).toBe(2);
  });

  it('scales up at once (no up-stabilization by default)', () => {
    const history = remember([], { atMs: 0, replicas: 1 }, spec);
    expect(normalize(4, 1, 1000, history, spec).replicas).toBe(4);
  });

  it('one sync: calculator then normalisation, with both reasons', () => {
    const d = hpaSync(m(6, [0.05, 0.05, 0.05, 0.05, 0.05, 0.05]), 2000, [{ atMs: 1000, replicas: 6 }], spec);
    expect(d.recommended).toBe(1);
    expect(d.replicas).toBe(6);
    expect(d.calculator).toMatch(/ceil\(6 x 0\.08\) = 1/);
  });

  it('rejects a bad spec, naming the field', () => {
    expect(validateHpaSpec({ ...spec, targetUtilization: 0 })[0]).toMatch(/targetUtilization/);
    expect(validateHpaSpec({ ...spec, maxReplicas: 0 })[0]).toMatch(/maxReplicas/);
    expect(validateHpaSpec(spec)).toEqual([]);
  });
});
