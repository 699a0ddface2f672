// The faults experiment on the feature store, in a short run on a single-process system (async path, Redis
// store, 50 requests/s): redis-server paused, then killed. The pause times feature reads out (504 naming the
// store) and the system comes back by itself when it resumes; the kill fails requests (503) until redis-server
// is restarted on its port with its data, and the restart is the kill's.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { experiments } from '../benchmarks/scenarios/index.js';
import { parseFaultSchedule } from '../src/experiments/faults-schedule.js';
import { runLoadSuite } from '../src/load/suite.js';
import { setQuiet } from '../src/progress.js';
import { withDefinitions } from './load-definitions.js';
import { needTool } from './needs-tool.js';

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

describe('servebench load --scenario faults on redis', () => {
  it('pauses then kills redis-server under load: timeouts then refusals, each recovered, the restart charged to the kill', async (ctx) => {
    needTool(ctx, 'redis-server', hasRedisServer(), 'apt-get install redis-server');
    setQuiet(true);
    const experimentDefinitions = { ...experiments, faults: { ...experiments.faults, topology: 'single' as const } };
    const schedule = parseFaultSchedule(['at=1s pause redis 1500ms', 'at=4s kill redis']);
    const options = withDefinitions({ quick: true, faults: schedule, scenarios: ['faults'], durationMs: 8000, entities: 500, experimentDefinitions });
    const data = await runLoadSuite(options).finally(() => setQuiet(false));

    expect(data.configurations).toMatchObject([{ id: 'faults/async/single/io', state: 'completed', store: { kind: 'redis' } }]);
    const [pause, kill] = data.faults!.faults;

    // The pause: feature reads past their deadline get 504s; nothing restarts, the system comes back by itself.
    expect(pause).toMatchObject({
      state: 'applied',
      action: 'pause',
      target: 'redis',
      durationMs: 1500,
      processes: [{ name: 'redis-server' }],
      recovered: true,
    });
    expect(pause!.failureCodes['504']).toBeGreaterThan(0);
    expect(pause!.recoveryMs).toBeGreaterThan(0);
    expect(pause!.untilMs! - pause!.appliedAtMs!).toBeCloseTo(1500, -2);
    expect(pause!.restarts).toEqual([]);

    // The kill: requests fail until redis-server is back on its port; the restart is the kill's.
    expect(kill).toMatchObject({ state: 'applied', action: 'kill', target: 'redis', processes: [{ name: 'redis-server' }], recovered: true });
    expect(kill!.failures.total).toBeGreaterThan(0);
    expect(kill!.firstFailureMs).toBeGreaterThanOrEqual(0);
    expect(kill!.recoveryMs).toBeGreaterThan(0);
    expect(kill!.restarts.map((r) => r.process)).toEqual(['redis-server']);
    expect(kill!.finding).toMatch(/^after redis \(redis-server\) was killed at 4\.\d s, \d+ requests? failed .* back in \d+\.\d s; redis-server restarted/);
    expect(data.faults!.timeline.flatMap((t) => t.faults)).toEqual(['at=1s pause redis 1500ms', 'at=4s kill redis']);
  });
});
