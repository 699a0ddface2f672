// The faults experiment end to end, in a short run: the async path on a cluster of 2 with the Redis store,
// 50 requests/s, model-a's primary killed under load. The kill's failures by kind and code, the time to the
// first failure and to recovery, the restart it caused (in the fault's figures and in the timeline), the
// finding in plain words; the run is a load run, and the report shows the fault. (Redis killed and paused:
// load-faults-redis.test.ts.)

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseFaultSchedule } from '../src/experiments/faults-schedule.js';
import { runLoadSuite } from '../src/load/suite.js';
import { setQuiet } from '../src/progress.js';
import { renderLoadMarkdown } from '../src/report/load.js';
import { withDefinitions } from './load-definitions.js';
import { needTool } from './needs-tool.js';

function commandWorks(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
const hasRedis = commandWorks('redis-server', ['--version']);

describe('servebench load --scenario faults', () => {
  it('kills model-a under load: failures by kind, first failure, recovery, and the restart in the timeline', async (ctx) => {
    needTool(ctx, 'redis-server', hasRedis, 'apt-get install redis-server');
    setQuiet(true);
    const schedule = parseFaultSchedule(['at=1s kill model-a']);
    // The window leaves the restart (a cluster primary and its workers: about 5 s down on a busy 2-core host) room.
    const options = withDefinitions({ quick: true, faults: schedule, scenarios: ['faults'], durationMs: 9000, entities: 500 });
    const data = await runLoadSuite(options).finally(() => setQuiet(false));

    expect(data.configurations).toMatchObject([{ id: 'faults/async/cluster/io', state: 'completed', workers: 2, store: { kind: 'redis' } }]);
    expect(data.runs).toHaveLength(1);
    const run = data.runs[0]!;
    expect(run).toMatchObject({ scenario: 'faults', state: 'completed', load: { kind: 'open', rateRps: 50 } });
    const f = data.faults!;
    expect(f.runId).toBe(run.id);
    expect(f.schedule.map((s) => s.expression)).toEqual(['at=1s kill model-a']);
    const [kill] = f.faults;

    // model-a's primary (its workers with it) is gone until it is restarted: the scoring handler answers 503.
    expect(kill).toMatchObject({ state: 'applied', action: 'kill', target: 'model-a', processes: [{ name: 'model-a-primary' }], recovered: true });
    expect(kill!.failures.byKind.non2xx).toBeGreaterThan(0);
    expect(kill!.failureCodes['503']).toBeGreaterThan(0);
    expect(kill!.firstFailureMs).toBeGreaterThanOrEqual(0);
    expect(kill!.recoveryMs).toBeGreaterThan(0);
    const restart = kill!.restarts.find((r) => r.process === 'model-a-primary')!;
    expect(restart).toBeDefined();
    expect(restart.downMs).toBeGreaterThan(0);
    expect(restart.atMs).toBeGreaterThan(kill!.appliedAtMs!);
    // Recovered: requests sent after the restart are served again (the span that counts starts after it is up).
    expect(kill!.appliedAtMs! + kill!.recoveryMs!).toBeGreaterThanOrEqual(restart.atMs - 1000);
    expect(kill!.finding).toMatch(
      /^after model-a \(model-a-primary\) was killed at 1\.\d s, \d+ requests? failed \(.*503 x\d+.*\).* back in \d+\.\d s; model-a-primary restarted after \d+ ms down \(restart 1\)/,
    );

    // The timeline: one row a second of the window, the fault and the restart marked in theirs.
    expect(f.timeline.length).toBe(Math.ceil(f.windowMs / 1000 - 0.05));
    expect(f.timeline.reduce((n, t) => n + t.sent, 0)).toBeGreaterThan(100);
    expect(f.timeline[Math.floor(kill!.appliedAtMs! / 1000)]!.faults).toContain('at=1s kill model-a');
    expect(f.timeline.flatMap((t) => t.events).some((e) => /^model-a-primary restarted \(down \d+ ms\)$/.test(e))).toBe(true);
    expect(f.events.some((e) => e.kind === 'exited' && e.process === 'model-a-primary' && e.atMs >= kill!.appliedAtMs! - 1)).toBe(true);
    expect(f.timeline.reduce((n, t) => n + t.failures.total, 0)).toBe(kill!.failures.total);
    expect(f.findings).toHaveLength(1);

    const md = renderLoadMarkdown(data);
    expect(md).toContain('#### Faults under load');
    expect(md).toContain('at=1s kill model-a');
  });
});
