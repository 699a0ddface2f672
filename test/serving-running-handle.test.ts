// The one builder of running handles (src/serving/running-system.ts): the process list is read when asked,
// stop runs once however often it is called, and the description carries the queue only on the queue path.

import { describe, expect, it } from 'vitest';
import type { SystemProcess } from '../src/results/serving.js';
import { SystemEvents } from '../src/serving/events.js';
import { resolveCpuPredict, resolveSystemOptions } from '../src/serving/options.js';
import { getKernel } from '../src/kernels/index.js';
import { runningHandle, runningSystem, type SystemParts } from '../src/serving/running-system.js';
import type { RunningQueue } from '../src/serving/types.js';
import { needTool } from './needs-tool.js';

function parts(processes: SystemProcess[], stops: { count: number }): SystemParts {
  return {
    events: new SystemEvents(),
    processes: () => [...processes],
    stopEverything: async () => {
      stops.count++;
    },
    options: resolveSystemOptions({ path: 'async', topology: 'single', predict: 'io', store: 'memory' }),
    scoringBaseUrl: 'http://127.0.0.1:1',
    modelBaseUrls: { a: 'http://127.0.0.1:2', b: 'http://127.0.0.1:3' },
    modelUrls: { a: 'http://127.0.0.1:2/predict', b: 'http://127.0.0.1:3/predict' },
    store: { kind: 'memory', detail: 'embedded' },
    versions: {},
    notes: ['a note'],
  };
}

describe('running handles', () => {
  it('read the processes when asked and stop once', async () => {
    const processes: SystemProcess[] = [{ role: 'scoring', pid: 1, name: 'scoring' }];
    const stops = { count: 0 };
    const handle = runningHandle(parts(processes, stops), { extra: 42 });
    expect(handle.extra).toBe(42);
    expect(handle.processes.map((p) => p.pid)).toEqual([1]);
    processes.push({ role: 'model-a', pid: 2, name: 'model-a' });
    expect(handle.processes.map((p) => p.pid)).toEqual([1, 2]);
    await Promise.all([handle.stop(), handle.stop()]);
    await handle.stop();
    expect(stops.count).toBe(1);
  });

  it('pass metrics and notices from the system events to listeners', () => {
    const p = parts([], { count: 0 });
    const handle = runningHandle(p, {});
    const seen: string[] = [];
    const off = handle.onNotice((n) => seen.push(n.name));
    p.events.emitNotice({ kind: 'process-exited', name: 'scoring', pid: 1, message: 'gone' });
    off();
    p.events.emitNotice({ kind: 'process-exited', name: 'scoring', pid: 1, message: 'gone again' });
    expect(seen).toEqual(['scoring']);
  });

  it('describe the system, with the queue only on the queue path', () => {
    const system = runningSystem(parts([{ role: 'scoring', pid: 1, name: 'scoring' }], { count: 0 }));
    expect(system.scoringUrl).toBe('http://127.0.0.1:1/score');
    expect(system.queue).toBeUndefined();
    const d = system.describe();
    expect(d).toMatchObject({ path: 'async', topology: 'single', scoringUrl: 'http://127.0.0.1:1/score', notes: ['a note'] });
    expect(d.processes).toHaveLength(1);
    expect('queue' in d).toBe(false);
    expect('modelWorkers' in d).toBe(false);

    const queue = { redisUrl: 'redis://127.0.0.1:4', jobsKey: 'jobs' } as RunningQueue;
    const description = { broker: 'b', redisUrl: 'redis://127.0.0.1:4', jobsKey: 'jobs', replies: 'r', timeoutMs: 5000 };
    const queued = runningSystem({ ...parts([], { count: 0 }), queue: { running: queue, description, modelWorkers: 2 } });
    expect(queued.queue).toBe(queue);
    expect(queued.describe()).toMatchObject({ modelWorkers: 2, queue: description });
  });
});

// The sync kernels named in the message come from the vocabulary (KERNEL_NAMES), not a literal list.
it('names the sync kernels when an async kernel is asked on the sync path', (ctx) => {
  needTool(ctx, 'the native addon', getKernel('native-async').availability().available, 'a Rust toolchain: npm run build:native');
  expect(() => resolveCpuPredict('sync', 'native-async', 2)).toThrow(
    'native-async runs off the event loop, which the sync path never does; use naive, typed, native or native-parallel, or --path async',
  );
});
