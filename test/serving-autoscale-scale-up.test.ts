// A short real scale-up: under load beyond one replica's capacity, the controller adds model-server
// processes behind nginx (upstream reloaded with SIGHUP), requests reach the new ones, and stopping the
// system leaves no replica behind.
import { afterEach, expect, it } from 'vitest';
import { sleep, waitUntil } from '../src/processes/index.js';
import type { ScoreResponse } from '../src/results/serving.js';
import type { AutoscaleDecision } from '../src/serving/autoscale/controller.js';
import type { ReplicaEvent } from '../src/serving/autoscale/replica-set.js';
import { startAutoscaledSystem, type RunningAutoscaledSystem } from '../src/serving/autoscale/system.js';

let sys: RunningAutoscaledSystem | undefined;
afterEach(async () => {
  await sys?.stop();
  sys = undefined;
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('adds replicas under load, sends them requests, and stops them all', async () => {
  sys = await startAutoscaledSystem({
    autoscale: true,
    autoscaler: { syncPeriodMs: 500, targetUtilization: 0.5, maxReplicas: 3, scaleDownStabilizationMs: 60_000 },
    metricsIntervalMs: 100,
    entities: 100,
  });
  expect(sys.describe().emulation).toMatch(/emulation of the Kubernetes HorizontalPodAutoscaler's algorithm .* not Kubernetes/);
  const events: ReplicaEvent[] = [];
  const decisions: AutoscaleDecision[] = [];
  sys.onReplicaEvent((e) => events.push(e));
  sys.onDecision((d) => decisions.push(d));
  const a = sys.services['model-a'];
  expect(a.ready()).toBe(1);
  const first = a.list()[0]!.pid;

  // Twelve clients without pause: one replica (one request at a time, 40-50 ms) is busy all the time.
  const servedBy = new Set<number>();
  let stop = false;
  const client = async () => {
    while (!stop) {
      const r = await fetch(sys!.scoringUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"entity":"e3"}' });
      if (r.status === 200) servedBy.add(((await r.json()) as ScoreResponse).models.a.pid);
      else await r.text();
    }
  };
  const clients = Array.from({ length: 12 }, () => client());
  await waitUntil(() => a.ready() >= 2, 20_000, 'model-a to get a second replica');
  await sleep(500);
  stop = true;
  await Promise.all(clients);

  const up = decisions.find((d) => d.service === 'model-a' && d.desired > d.currentReplicas)!;
  expect(up).toBeDefined();
  expect(up.utilization).toBeGreaterThan(0.5 * 1.1);
  expect(up.reason).toMatch(/ceil\(1 x \d\.\d+\) = [23]/);
  const added = events.filter((e) => e.service === 'model-a' && e.kind === 'ready');
  expect(added.length).toBeGreaterThanOrEqual(1);
  const pids = a.list().map((r) => r.pid);
  expect(new Set(pids).size).toBe(pids.length);
  for (const pid of pids) expect(alive(pid)).toBe(true);
  // nginx sends requests to the new replica(s) as well as to the first.
  expect(servedBy.has(first)).toBe(true);
  expect([...servedBy].some((p) => p !== first)).toBe(true);
  expect(sys.processes.filter((p) => p.role === 'model-a').length).toBe(pids.length);

  await sys.stop();
  await waitUntil(() => pids.every((p) => !alive(p)), 10_000, 'every replica to exit');
});
