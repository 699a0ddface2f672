// Scenario `faults` (issue 15: faults under load): the async path on a cluster of 2 per service with the Redis
// store and restarts on, under a sustained open loop, while parts of it are killed, paused and hung on a
// schedule. Per fault: the requests that failed by kind, the time to the first failure, the time to recovery
// and the restarts it caused; the per-second timeline with the faults marked. --fault replaces the schedule.
// Each fault gets a few seconds to show its recovery before the next (default about 34 s; --quick about 18 s,
// with the warm-up and the system's start).

import type { FaultsScenario } from '../../src/experiments/types.js';

export const faults: FaultsScenario = {
  name: 'faults',
  description: 'faults under load: parts killed, paused and hung on a schedule; failures by kind, time to recovery, restarts',
  path: 'async',
  topology: 'cluster',
  workers: 2,
  predict: 'io',
  store: 'redis',
  rateRps: { default: 80, quick: 50 },
  schedule: {
    // A cluster primary killed is down about 5 s before its restart is ready (measured): the next fault waits for it.
    default: ['at=4s kill model-a', 'at=11s pause redis 2s', 'at=17s kill scoring-worker', 'at=21s hang model-b 3s'],
    quick: ['at=2s kill model-a', 'at=8.5s pause redis 1500ms', 'at=12s kill scoring-worker'],
  },
  recoveryMs: { default: 5000, quick: 2500 },
  warmupMs: { default: 2000, quick: 1000 },
  maxInFlight: 1000,
};
