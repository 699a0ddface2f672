import { afterAll, describe, expect, it } from 'vitest';
import { Supervisor, freePort, httpStatus } from '../src/processes/index.js';

const sup = new Supervisor();
afterAll(() => sup.stopAll());

const server = (port: number) => `require('http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1', () => console.log('listening'))`;

describe('supervisor', () => {
  it('starts a process, waits for http readiness and stops it', async () => {
    const port = await freePort();
    const p = await sup.start({
      name: 'tiny',
      command: process.execPath,
      args: ['-e', server(port)],
      ready: { kind: 'http', url: `http://127.0.0.1:${port}/` },
    });
    expect(await httpStatus(`http://127.0.0.1:${port}/`)).toBe(200);
    await p.stop();
    expect(p.exited).toBe(true);
    expect(await httpStatus(`http://127.0.0.1:${port}/`)).toBeUndefined();
  });

  it('reports a process that exits before it is ready, with its output', async () => {
    await expect(
      sup.start({ name: 'dies', command: process.execPath, args: ['-e', 'console.error("boom"); process.exit(3)'], ready: { kind: 'line', pattern: /never/ } }),
    ).rejects.toThrow(/dies exited with code 3.*\n?.*boom/s);
  });

  it('reports a missing executable clearly', async () => {
    await expect(sup.start({ name: 'ghost', command: 'servebench-no-such-tool', args: [] })).rejects.toThrow(/not found/);
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    const p = await sup.start({
      name: 'stubborn',
      command: process.execPath,
      args: ['-e', "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"],
      ready: { kind: 'line', pattern: /up/ },
      stopTimeoutMs: 300,
    });
    const exit = await p.stop();
    expect(exit.signal).toBe('SIGKILL');
  });
});
