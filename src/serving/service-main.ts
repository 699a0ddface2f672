// Child entry point: one service process (a model API or the scoring handler), as a single process, an
// nginx backend, or a cluster worker. Reads its settings from SERVEBENCH_SERVICE_CONFIG, listens, says
// it is ready (with its port), and sends metrics until its parent goes away.

import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { exitWithParent } from '../processes/index.js';
import { announceReady, isHangMessage } from './channel.js';
import { SERVICE_CONFIG_ENV, type ServiceConfig } from './config.js';
import { ProcessMeter } from './metrics.js';
import { holdRequests } from './http.js';
import { createModelApi } from './model-api.js';
import { createQueueScoringService } from './queue/scoring.js';
import { createScoringService } from './scoring.js';

async function main(): Promise<void> {
  exitWithParent();
  const raw = process.env[SERVICE_CONFIG_ENV];
  if (raw === undefined) throw new Error(`${SERVICE_CONFIG_ENV} is not set: this entry point is started by servebench`);
  const config = JSON.parse(raw) as ServiceConfig;
  const name = process.env.SERVEBENCH_WORKER_NAME ?? config.name;
  const meter = new ProcessMeter(config.service, name, config.service, config.service === 'scoring' ? 'scoring' : 'model');
  const svc =
    config.service === 'scoring'
      ? config.path === 'queue'
        ? createQueueScoringService(config, meter)
        : createScoringService(config, meter)
      : createModelApi(config, meter);
  await svc.warm();
  const { server } = svc;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.port, host: config.host, backlog: 4096 }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  meter.start(config.metricsIntervalMs);
  announceReady({ type: 'ready', port, pid: process.pid, role: config.service, name, service: config.service });

  // A hang fault (from servebench, or this cluster worker's primary): hold every request for a while.
  const onControl = (msg: unknown) => {
    if (isHangMessage(msg)) holdRequests(msg.ms);
  };
  if (typeof process.send === 'function') process.on('message', onControl);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // The IPC listener would keep a profiled process (which must end by itself) alive.
    process.off('message', onControl);
    meter.stop();
    server.close();
    server.closeAllConnections();
    // A clean exit lets --cpu-prof and profilers write their files. Under clinic (SERVEBENCH_PROFILED set by
    // the profile suite) the process must end by itself, with no process.exit: clinic's heap profiler
    // writes its file, and doctor and bubbleprof flush, on 'beforeExit'. The timer is only a backstop.
    const profiled = process.env.SERVEBENCH_PROFILED !== undefined;
    void svc.close().finally(() => {
      if (!profiled) process.exit(0);
    });
    setTimeout(() => process.exit(0), profiled ? 15_000 : 2000).unref();
  };
  // A sync process blocks its event loop for every queued request before a signal handler could run
  // (50 queued requests: 5 s), so SIGTERM keeps its default there and ends it at once; SIGINT (what
  // profilers send) stays graceful so profiles get written.
  if (config.path !== 'sync') process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (cluster.isWorker) process.on('disconnect', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`servebench service failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
