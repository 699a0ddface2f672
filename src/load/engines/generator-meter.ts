// The load generator's own load over a measured window: CPU time of this process (all its threads,
// autocannon workers included) and the main thread's event-loop utilization. On a 2-core host the
// generator can become the bottleneck; the "generator-cpu" validity rule reads these figures.

import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { GeneratorFacts, LoadEngineName } from '../../results/load.js';
import { round3 } from '../../stats/index.js';

export interface GeneratorMeter {
  stop(): GeneratorFacts;
}

export function startGeneratorMeter(engine: LoadEngineName, threads: number): GeneratorMeter {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const elu0: EventLoopUtilization = performance.eventLoopUtilization();
  let done: GeneratorFacts | undefined;
  return {
    stop(): GeneratorFacts {
      if (done !== undefined) return done;
      const cpu = process.cpuUsage(cpu0);
      const wallUs = Math.max(1, (performance.now() - t0) * 1000);
      const elu = performance.eventLoopUtilization(elu0);
      done = {
        engine,
        pid: process.pid,
        cpuCores: round3((cpu.user + cpu.system) / wallUs),
        threads,
        eventLoopUtilization: round3(elu.utilization),
      };
      return done;
    },
  };
}
