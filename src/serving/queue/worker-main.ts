// Child entry point: one queue model worker. Reads its settings from SERVEBENCH_QUEUE_WORKER_CONFIG, connects
// to Redis, says it is ready, takes jobs one at a time, and sends its metrics until its parent goes away.
// SIGTERM/SIGINT finish the job in hand, then exit.

import { exitWithParent } from '../../processes/index.js';
import { announceReady, isHangMessage } from '../channel.js';
import { QUEUE_WORKER_CONFIG_ENV, type QueueWorkerConfig } from '../config.js';
import { runQueueWorker, WorkerMeter } from './worker.js';

async function main(): Promise<void> {
  exitWithParent();
  const raw = process.env[QUEUE_WORKER_CONFIG_ENV];
  if (raw === undefined) throw new Error(`${QUEUE_WORKER_CONFIG_ENV} is not set: this entry point is started by servebench`);
  const config = JSON.parse(raw) as QueueWorkerConfig;
  const meter = new WorkerMeter('model-worker', config.name, 'model-worker', 'model');
  const worker = await runQueueWorker(config, meter, (line) => process.stderr.write(`${config.name}: ${line}\n`));
  meter.start(config.metricsIntervalMs);
  // No port: the ready line's port is 0 (nothing listens; the worker only talks to Redis).
  announceReady({ type: 'ready', port: 0, pid: process.pid, role: 'model-worker', name: config.name, service: 'model-worker' });
  // A hang fault: take no job for a while.
  const onControl = (msg: unknown) => {
    if (isHangMessage(msg)) worker.hold(msg.ms);
  };
  if (typeof process.send === 'function') process.on('message', onControl);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.off('message', onControl);
    meter.stop();
    worker.stop();
    void worker.done.finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`servebench queue worker failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
