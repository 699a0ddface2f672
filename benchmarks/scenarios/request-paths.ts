// Scenario `request-paths`: issue 3's speed goals (async single >= 20x sync single at 50 connections;
// sync cluster of W workers ~ W x sync single) and issue 4's (async single at 100 connections >= 90% of
// Little's law; sync single within 10% of 1 / service time), with the io predict, interleaved repeats.

import type { RequestPathsScenario } from '../../src/load/scenario-types.js';

export const requestPaths: RequestPathsScenario = {
  name: 'request-paths',
  description: "io predict: async vs sync (single) and sync cluster vs single at 50 connections; async at 100 vs Little's law",
  connections: 50,
  littleConnections: 100,
  asyncOverSyncMin: 20,
  clusterTolerance: 0.2,
  littleShareMin: 0.9,
  syncServiceTolerance: 0.1,
  // benchmarks/request-paths.bench.ts runs 3 rounds by default; inside the full `servebench load` run, 2.
  repeats: { default: 2, quick: 1 },
  timing: {
    default: { warmupMs: 700, durationMs: 2000 },
    quick: { warmupMs: 500, durationMs: 1000 },
  },
  responseTime: {
    default: { warmupMs: 300, durationMs: 1500 },
    quick: { warmupMs: 200, durationMs: 1000 },
  },
  // The goals were set and are tracked with autocannon, the card's reference closed-loop engine; at a few
  // thousand rps against 40-50 ms model calls the engines agree within a few percent (docs/load.md).
  engine: 'autocannon',
};
