import { defineConfig } from 'vitest/config';

// Two groups, run one after the other (sequence.groupOrder):
// 1. `functional`: files whose assertions are about behaviour, not speed or the processes on the host (option
//    errors, manifests, comparisons, renderers, the HTTP contract, summaries of saved profiles), two at a time;
// 2. `measuring`: everything else (load figures, profilers, restarts and recoveries, process trees, kernels and
//    capacity runs), one file at a time on an otherwise quiet suite. A new file is `measuring` unless listed here.
const FUNCTIONAL = [
  'architecture-rules',
  'stats',
  'results-atomic-write',
  'compare-*',
  'merge-*',
  'k8s-*',
  'report-*',
  'hw-cgroup-limits',
  'hw-cli',
  'hw-env-matches-os',
  'hw-gpu-facts',
  'hw-html-chromium',
  'hw-report-render',
  'hw-sysfs-facts',
  'hw-unknown-fields',
  'kernels-aggregate',
  'kernels-render',
  'kernels-edge-inputs',
  'kernels-native-type-errors',
  'kernels-build-without-cargo',
  'capacity-options',
  'capacity-render',
  'capacity-classify',
  'capacity-flags',
  'load-plan-*',
  'load-aggregate',
  'load-arrivals',
  'load-latency-histogram',
  'load-validity-rules',
  'load-faults-analysis',
  'load-faults-schedule',
  'load-request-data',
  'profile-render',
  'profile-summary-*',
  'profile-flamegraph-html',
  'serving-options',
  'serving-model-options',
  'serving-queue-options',
  'serving-batching-options',
  'serving-batcher',
  'serving-autoscale-hpa-rule',
  'serving-bad-input',
  'serving-http-input',
  'serving-http-limits',
  'serving-http-fuzz',
  'serving-model-bad-input',
  'serving-model-onnx',
  'serving-model-module',
  'serving-cpu-predict',
  'serving-vector-cache',
  'serving-metrics',
  'serving-queue-answers',
  'serving-jobs-lifecycle',
].map((name) => `test/${name}.test.ts`);

// Integration tests start real processes (servers, Redis, nginx, profilers) on a 2-core host.
const shared = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'functional', include: FUNCTIONAL, maxWorkers: 2, sequence: { groupOrder: 1 } } },
      { test: { ...shared, name: 'measuring', include: ['test/**/*.test.ts'], exclude: FUNCTIONAL, fileParallelism: false, sequence: { groupOrder: 2 } } },
    ],
  },
});
