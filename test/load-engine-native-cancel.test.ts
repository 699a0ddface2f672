// Cancelling the native engine through the run's AbortSignal ends its window at once: the figures cover
// what ran (partial, never lost), and a load run cut short that way is marked interrupted, with the step's
// figures kept, as the other engines' are on SIGINT.

import { afterAll, expect, it } from 'vitest';
import { nativeEngine } from '../src/load/engines/native.js';
import { runLoadSuite } from '../src/load/suite.js';
import { Supervisor } from '../src/processes/index.js';
import { setQuiet } from '../src/progress.js';
import { closedNative, describeNative, openNative, runOptions } from './load-engine-native-fixtures.js';
import { withDefinitions } from './load-definitions.js';
import { startTestServer } from './load-fixtures.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

describeNative('native engine: cancellation', () => {
  it.each([
    ['closed', closedNative(2)],
    ['open', openNative(200)],
  ] as const)('%s loop: an abort mid-window gives the figures so far', async (_loop, load) => {
    const server = await startTestServer(sup, 'ok');
    const durationMs = 20_000;
    const abort = new AbortController();
    let windowStarted = false;
    let windowEnded = false;
    setTimeout(() => abort.abort(), 1500);
    const r = await nativeEngine.run(
      runOptions(server.url, load, {
        warmupMs: 200,
        durationMs,
        signal: abort.signal,
        onWindowStart: () => (windowStarted = true),
        onWindowEnd: () => (windowEnded = true),
      }),
    );
    expect(windowStarted && windowEnded).toBe(true);
    // The window ended at the abort, far short of its planned length, with what ran in it.
    expect(r.windowMs).toBeGreaterThan(0);
    expect(r.windowMs).toBeLessThan(durationMs / 4);
    expect(r.requests.successes).toBeGreaterThan(0);
    expect(r.failures.total).toBe(0);
    if (r.open !== undefined) expect(r.open.scheduled).toBe(r.requests.successes);
  });

  it.each([
    ['closed', closedNative(2)],
    ['open', openNative(200)],
  ] as const)('%s loop: an abort during the warm-up ends the run then, not at the warm-up’s end', async (_loop, load) => {
    const server = await startTestServer(sup, 'ok');
    const warmupMs = 20_000;
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const started = Date.now();
    const r = await nativeEngine.run(runOptions(server.url, load, { warmupMs, durationMs: 5000, signal: abort.signal }));
    // Relative to the planned warm-up: the run ends long before it would have (a busy host adds seconds, not 20).
    expect(Date.now() - started).toBeLessThan(warmupMs / 2);
    expect(r.requests.completed).toBe(0);
  });

  it('a load run interrupted mid-step keeps that step, marked interrupted', async () => {
    const server = await startTestServer(sup, 'ok');
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 2000);
    setQuiet(true);
    try {
      const data = await runLoadSuite(
        withDefinitions({ target: { url: server.url }, connections: 2, scenarios: ['sustained'], durationMs: 20_000, warmupMs: 200, signal: abort.signal }),
      );
      expect(data.interrupted).toBe(true);
      expect(data.options).toMatchObject({ engine: 'native', engineChoice: { reason: 'default', loop: 'closed' } });
      const [run] = data.runs;
      expect(run?.state).toBe('completed');
      if (run?.state !== 'completed') return;
      expect(run.load).toMatchObject({ kind: 'closed', engine: 'native' });
      expect(run.generator.engine).toBe('native');
      expect(run.windowMs).toBeLessThan(20_000 / 4);
      expect(run.requests.successes).toBeGreaterThan(0);
    } finally {
      setQuiet(false);
    }
  });
});
