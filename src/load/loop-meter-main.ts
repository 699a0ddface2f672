// Preloaded (NODE_OPTIONS=--import) into a user's own node server that `servebench load --target URL -- node
// app.js` starts: every 500 ms it sends the process's own view (event-loop utilization and delay p99, CPU,
// RSS, HTTP responses counted through node's diagnostics channel) over the IPC channel servebench opened, as
// servebench's own server processes do. Only in the process servebench started itself (not in its cluster
// workers or children, whose IPC channel, if any, belongs to the app), and only on the main thread.

import { subscribe } from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const INTERVAL_MS = 500;

function start(): void {
  let requests = 0;
  let errorResponses = 0;
  const errorCodes: Record<string, number> = {};
  subscribe('http.server.response.finish', (message) => {
    const status = (message as { response?: ServerResponse }).response?.statusCode ?? 0;
    requests++;
    if (status >= 400) {
      errorResponses++;
      errorCodes[String(status)] = (errorCodes[String(status)] ?? 0) + 1;
    }
  });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let last = performance.eventLoopUtilization();
  const send = () => {
    const now = performance.eventLoopUtilization();
    const diff = performance.eventLoopUtilization(now, last);
    last = now;
    const p99Ns = delay.count > 0 ? delay.percentile(99) : 0;
    delay.reset();
    const cpu = process.cpuUsage();
    const metrics = {
      role: 'target',
      pid: process.pid,
      atMs: Date.now(),
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      rssBytes: process.memoryUsage.rss(),
      eventLoopUtilization: diff.utilization,
      eventLoopDelayP99Ms: p99Ns / 1e6,
      requests,
      errorResponses,
      errorCodes: { ...errorCodes },
      intervalMs: INTERVAL_MS,
    };
    process.send?.({ type: 'metrics', metrics }, undefined, undefined, () => undefined);
  };
  // One sample as soon as the server runs (the baseline of a first window), then one every interval.
  setImmediate(send).unref();
  setInterval(send, INTERVAL_MS).unref();
  // The channel must not keep the user's server alive once it wants to exit.
  (process.channel as { unref?: () => void } | undefined)?.unref?.();
}

if (isMainThread && typeof process.send === 'function' && String(process.ppid) === process.env.SERVEBENCH_LOOP_METER) start();
