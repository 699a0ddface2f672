// `servebench serve` prints each exit and restart of a process on stderr; with --no-restart, a killed part
// stays dead and the line says so.
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { Supervisor, waitUntil } from '../src/processes/index.js';

const cli = join(packageRoot, 'bin', 'servebench.js');
const sup = new Supervisor();
afterAll(() => sup.stopAll());

it.each([
  [[], /model-a restarted as pid \d+ after \d+ ms down \(restart 1\)/],
  [['--no-restart'], /model-a \(pid \d+\) was killed by SIGKILL; not restarted \(restarts are off\)/],
] as const)('serve %j reports a killed model API on stderr', async (extra, line) => {
  const proc = await sup.start({
    name: 'serve',
    command: process.execPath,
    args: [cli, 'serve', '--path', 'async', '--topology', 'single', '--store', 'memory', ...extra],
    ready: { kind: 'line', pattern: /^http:\/\/127\.0\.0\.1:\d+\/score$/ },
    readyTimeoutMs: 30_000,
  });
  const pid = Number(/\bmodel-a=(\d+)\b/.exec(proc.output())![1]);
  process.kill(pid, 'SIGKILL');
  await waitUntil(() => line.test(proc.output()), 20_000, 'the line on stderr');
  expect(proc.output()).toMatch(new RegExp(`\\[serve\\] warning: model-a \\(pid ${pid}\\) was killed by SIGKILL`));
  proc.signal('SIGINT');
  expect((await proc.waitForExit(20_000)).code).toBe(130);
});
