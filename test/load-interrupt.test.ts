// Ctrl-C during `servebench load` keeps what was measured and tells the rest truthfully: the command exits
// 130, load.json is written once, marked interrupted, with the finished runs; a configuration the interrupt
// kept from running is `skipped` ('interrupted'), never `completed`, with a flag saying so.

import { watch } from 'node:fs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLoadSuite } from '../src/load/suite.js';
import { packageRoot } from '../src/paths.js';
import { Supervisor } from '../src/processes/index.js';
import { setQuiet } from '../src/progress.js';
import type { LoadData, ResultEnvelope } from '../src/results/index.js';
import { withDefinitions } from './load-definitions.js';
import { startTestServer } from './load-fixtures.js';

const sup = new Supervisor();
const out = mkdtempSync(join(tmpdir(), 'servebench-load-int-'));
afterAll(async () => {
  await sup.stopAll();
  rmSync(out, { recursive: true, force: true });
});

describe('interrupting servebench load', () => {
  it('SIGINT after the first run: exit 130, load.json written once, marked interrupted, with the run that finished', async () => {
    const server = await startTestServer(sup, 'ok', { delayMs: 2 });
    const dir = join(out, 'cli');
    rmSync(dir, { recursive: true, force: true });
    const writes: string[] = [];
    const cli = await sup.start({
      name: 'servebench-load',
      command: process.execPath,
      args: [join(packageRoot, 'bin', 'servebench.js'), 'load', '--target', server.url, '--quick', '--out', dir],
      // ready once the first run (response-time) has finished and its progress line is out
      ready: { kind: 'line', pattern: /\[load\] target r1 response-time c=1: / },
      readyTimeoutMs: 60_000,
    });
    // Every file that appears under its own name in the folder: the atomic writer renames a temp file onto it.
    const watcher = watch(dir, (_event, name) => {
      if (name === 'load.json') writes.push(name);
    });
    cli.signal('SIGINT');
    const exit = await cli.waitForExit(30_000);
    // Let the last file event arrive.
    await new Promise((r) => setTimeout(r, 200));
    watcher.close();
    expect(exit.code).toBe(130);
    expect(writes).toEqual(['load.json']);
    const result = JSON.parse(readFileSync(join(dir, 'load.json'), 'utf8')) as ResultEnvelope<'load', LoadData>;
    const d = result.data;
    expect(d.interrupted).toBe(true);
    expect(d.runs[0]).toMatchObject({ configId: 'target', scenario: 'response-time', state: 'completed' });
    // The ramp that was under way stopped early; nothing after it ran.
    expect(d.runs.some((r) => r.scenario === 'sustained')).toBe(false);
    expect(d.configurations).toMatchObject([{ id: 'target', state: 'completed' }]);
  });

  it('a configuration the interrupt kept from running is skipped (interrupted), never completed', async () => {
    const controller = new AbortController();
    setQuiet(true);
    const updates: LoadData[] = [];
    const data = await runLoadSuite(
      withDefinitions({
        quick: true,
        scenarios: ['response-time'],
        paths: ['async'],
        topologies: ['single', 'cluster'],
        predicts: ['io'],
        workers: 2,
        signal: controller.signal,
        onUpdate: (d) => {
          updates.push(structuredClone(d));
          if (d.runs.length > 0) controller.abort();
        },
      }),
    ).finally(() => setQuiet(false));
    expect(data.interrupted).toBe(true);
    expect(data.runs.map((r) => r.configId)).toEqual(['async/single/io']);
    expect(data.configurations.map((c) => [c.id, c.state, c.reason])).toEqual([
      ['async/single/io', 'completed', undefined],
      ['async/cluster/io', 'skipped', 'interrupted'],
    ]);
    expect(data.flags).toContainEqual({ subject: 'load:async/cluster/io', kind: 'skipped', message: 'interrupted before it ran' });
    // The partial data handed out at the interrupt (what a shutdown writes if the suite is slow to return) says so too.
    const atInterrupt = updates.find((u) => u.interrupted);
    expect(atInterrupt?.configurations.find((c) => c.id === 'async/cluster/io')).toMatchObject({ state: 'skipped', reason: 'interrupted' });
  });
});
