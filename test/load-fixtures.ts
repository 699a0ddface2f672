// Tiny HTTP servers for the load tests, each in its own process (the test process is the load generator):
// ok (optionally slow), block (each request blocks the process for delayMs, one at a time, like a sync
// worker), error (500), reset (RST), close (FIN mid-request), hang (never answers), stall
// (its event loop blocks once, for a set time).

import type { Supervisor, ManagedProcess } from '../src/processes/index.js';

export type TestServerMode = 'ok' | 'block' | 'error' | 'reset' | 'close' | 'hang' | 'stall';

export interface TestServerOptions {
  /** Delay of each answer, ms (ok mode: a timer; block mode: the process blocks). @default 0 */
  delayMs?: number;
  /** stall mode: the stall starts this long after the first request, ms. @default 1000 */
  stallAfterMs?: number;
  /** stall mode: how long the event loop blocks, ms. @default 1000 */
  stallMs?: number;
  /** error / reset / close modes: the share of requests that fail (the others get 200). @default 1 */
  failShare?: number;
}

const SCRIPT = String.raw`
const http = require('http');
const [mode, delayMs, stallAfterMs, stallMs, failShare] = [process.argv[1], ...process.argv.slice(2).map(Number)];
let first = 0, stalled = false, n = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    n++;
    const now = Date.now();
    if (first === 0) first = now;
    if (mode === 'stall' && !stalled && now - first >= stallAfterMs) {
      stalled = true;
      // Blocks the whole process, as a sync worker or a long GC pause would, without spinning a core.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, stallMs);
    }
    // Spread evenly: request n fails when n * share crosses an integer (every other one for 0.5).
    const fails = Math.floor(n * failShare) !== Math.floor((n - 1) * failShare);
    if (mode === 'hang') return;
    if (mode === 'block') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delayMs);
    if (mode === 'error' && fails) { res.statusCode = 500; return res.end('{"error":"boom"}'); }
    if (mode === 'reset' && fails) return req.socket.resetAndDestroy();
    if (mode === 'close' && fails) return req.socket.destroy();
    const answer = () => { res.setHeader('content-type', 'application/json'); res.end('{"ok":true}'); };
    if (delayMs > 0 && mode !== 'block') setTimeout(answer, delayMs); else answer();
  });
});
server.keepAliveTimeout = 60000;
server.maxConnections = 100000;
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
`;

export interface TestServer {
  url: string;
  proc: ManagedProcess;
  stop(): Promise<void>;
}

export async function startTestServer(sup: Supervisor, mode: TestServerMode, o: TestServerOptions = {}): Promise<TestServer> {
  const proc = await sup.start({
    name: `test-server-${mode}`,
    command: process.execPath,
    args: ['-e', SCRIPT, mode, String(o.delayMs ?? 0), String(o.stallAfterMs ?? 1000), String(o.stallMs ?? 1000), String(o.failShare ?? 1)],
    ready: { kind: 'line', pattern: /^listening \d+/ },
    stopTimeoutMs: 2000,
  });
  const m = /listening (\d+)/.exec(proc.output());
  if (m === null) throw new Error('test server printed no port');
  return { url: `http://127.0.0.1:${m[1]}/`, proc, stop: async () => void (await proc.stop()) };
}
