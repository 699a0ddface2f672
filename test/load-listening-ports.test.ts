// Finding where a user's own server listens: the LISTEN rows of /proc/<pid>/net/tcp matched with the
// process's socket inodes (a real server in this process), and the port a line it prints names.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listeningSockets, parseListenTable, portInLine } from '../src/load/listening.js';

describe('listening ports', () => {
  it('reads the LISTEN rows of a /proc/net/tcp table by inode', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 424242 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:0BB8 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000  1000        0 424243 1 0000000000000000 20 4 30 10 -1',
    ].join('\n');
    expect([...parseListenTable(table)]).toEqual([['424242', 3000]]);
  });

  it.runIf(process.platform === 'linux')('finds the port a process listens on from /proc', async () => {
    const server: Server = createServer((_q, r) => r.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      expect(listeningSockets(process.pid)).toEqual(expect.arrayContaining([{ pid: process.pid, port }]));
    } finally {
      server.close();
    }
  });

  it.each([
    ['Server listening on http://localhost:3000', 3000],
    ['listening on [::]:8080', 8080],
    ['App started on port 5000', 5000],
    ['ready in 120 ms', undefined],
  ])('reads the port in %j', (line, port) => {
    expect(portInLine(line)).toBe(port);
  });
});
