// A profile target for the tests: the fixture server (test/fixtures/profile-server.mjs) started under the
// profiler through the same wrap hook the serving system offers, so the tool adapters and the summary
// extraction are tested on a service with an obvious hot function and an obvious blocking wait.

import { join } from 'node:path';
import { freePort, Supervisor, waitUntil } from '../src/processes/index.js';
import type { StartTarget } from '../src/profile/target.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'profile-server.mjs');

/**
 * Starts the fixture: cpu mode for --predict cpu, else sync or async after the path. `hotLoopN`: the cpu mode's iterations a request (more work per
 * request keeps a process busy between requests, so its samples are its work, not idle, on a busy host).
 */
export function fixtureTarget(opts: { workers?: number; hotLoopN?: number } = {}): StartTarget {
  return async (options, wrap) => {
    const port = await freePort();
    const mode = options.predict === 'cpu' ? 'cpu' : options.path;
    const workers = opts.workers ?? 0;
    const cmd = wrap({
      command: process.execPath,
      args: [FIXTURE],
      env: {
        FIXTURE_MODE: mode,
        PORT: String(port),
        FIXTURE_WORKERS: String(workers),
        ...(opts.hotLoopN === undefined ? {} : { FIXTURE_HOT_N: String(opts.hotLoopN) }),
      },
    });
    const sup = new Supervisor();
    const proc = await sup.start({
      name: 'profile-fixture',
      command: cmd.command,
      args: cmd.args,
      env: cmd.env,
      ready: { kind: 'http', url: `http://127.0.0.1:${port}/health` },
      readyTimeoutMs: 30_000,
      stopTimeoutMs: 30_000,
    });
    // Every process says its pid; the roles label the summaries.
    const roles = new Map<number, string>();
    const read = () => {
      for (const m of proc.output().matchAll(/fixture (single|worker|primary) pid=(\d+)/g))
        roles.set(Number(m[2]), m[1] === 'worker' ? 'fixture-worker' : m[1] === 'primary' ? 'fixture-primary' : 'fixture');
      return roles.size >= (workers > 0 ? workers + 1 : 1);
    };
    await waitUntil(read, 10_000, 'the fixture processes to say their pids');
    return {
      request: { url: `http://127.0.0.1:${port}/score`, method: 'POST', headers: { 'content-type': 'application/json' }, bodies: ['{"entity":"e1"}'] },
      roles,
      // The node process itself (the primary for a cluster), not the profiler wrapping it.
      profiledPids: [...roles].filter(([, role]) => role !== 'fixture-worker').map(([pid]) => pid),
      notes: [],
      stop: () => sup.stopAll(),
    };
  };
}
