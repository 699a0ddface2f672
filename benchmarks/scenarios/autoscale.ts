// Scenario `autoscale` (seed 002: "Kubernetes autoscaling of model servers under load"), as an emulation of
// the HorizontalPodAutoscaler's algorithm (no Kubernetes here): open-loop arrivals ramp up, hold, then drop,
// against model servers that serve one request at a time (about 22 requests/s each), once with the
// autoscaling controller and once held at one replica. Kubernetes syncs every 15 s and stabilizes scale-downs
// over 300 s; here 1 s and 8 s (4 s quick), so the whole scenario stays under 90 s.

import type { AutoscaleScenario } from '../../src/experiments/types.js';

export const autoscale: AutoscaleScenario = {
  name: 'autoscale',
  description: 'emulated HPA: arrivals ramp up, hold, drop; model-server replicas over time vs one fixed replica',
  predict: 'io',
  profile: {
    default: [
      { name: 'ramp', durationMs: 10_000, fromRps: 5, toRps: 70 },
      { name: 'hold', durationMs: 12_000, fromRps: 70, toRps: 70 },
      { name: 'drop', durationMs: 14_000, fromRps: 5, toRps: 5 },
    ],
    quick: [
      { name: 'ramp', durationMs: 5000, fromRps: 5, toRps: 60 },
      { name: 'hold', durationMs: 6000, fromRps: 60, toRps: 60 },
      { name: 'drop', durationMs: 8000, fromRps: 5, toRps: 5 },
    ],
  },
  controller: {
    default: { targetUtilization: 0.6, tolerance: 0.1, minReplicas: 1, maxReplicas: 6, syncPeriodMs: 1000, scaleDownStabilizationMs: 8000, metric: 'elu' },
    quick: { targetUtilization: 0.6, tolerance: 0.1, minReplicas: 1, maxReplicas: 6, syncPeriodMs: 1000, scaleDownStabilizationMs: 4000, metric: 'elu' },
  },
  fixedReplicas: 1,
  metricsIntervalMs: 250,
  maxInFlight: 1000,
  binMs: 1000,
};
