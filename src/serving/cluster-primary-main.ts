// Child entry point: a node:cluster primary (the gunicorn analogue). Forks W workers running
// service-main, relays their messages (metrics) to its parent, says it is ready once all of them listen
// on the shared port, and replaces a worker that dies, unless it keeps dying right after starting. It tells
// its parent of each worker's exit and replacement (with the time it was down), and passes a hang fault on.

import cluster, { type Worker } from 'node:cluster';
import { compiledEntry } from '../paths.js';
import { exitWithParent } from '../processes/index.js';
import { announceReady, isHangMessage, isServiceMessage, sendToParent } from './channel.js';
import { CLUSTER_CONFIG_ENV, SERVICE_CONFIG_ENV, type ClusterConfig } from './config.js';
import { ProcessMeter } from './metrics.js';

/** Workers dying this soon after starting, this many times in a row, are not replaced again. */
const CRASH_WINDOW_MS = 2000;
const CRASH_LIMIT = 5;
/** The wait before a dead worker's replacement is forked. */
const REPLACE_DELAY_MS = 100;

function main(): void {
  exitWithParent();
  const raw = process.env[CLUSTER_CONFIG_ENV];
  if (raw === undefined) throw new Error(`${CLUSTER_CONFIG_ENV} is not set: this entry point is started by servebench`);
  const { worker: config, workers } = JSON.parse(raw) as ClusterConfig;
  const service = config.service;
  const role = `${service}-primary`;
  const meter = new ProcessMeter(role, role, service, 'primary');
  meter.start(config.metricsIntervalMs);

  cluster.setupPrimary({ exec: compiledEntry('src/serving/service-main'), silent: false });
  const state = { stopping: false };
  let initialReady = 0;
  let port = 0;
  const info = new Map<Worker, { index: number; name: string; startedAt: number; ready: boolean; replacing?: number }>();
  const quickDeaths = new Map<number, number>();
  const lastExit = new Map<number, { code: number | null; signal: string | null; atMs: number }>();
  const restarts = new Map<number, number>();

  const fork = (index: number, replacing?: number) => {
    const name = `${service}-w${index}`;
    const w = cluster.fork({ [SERVICE_CONFIG_ENV]: JSON.stringify(config), SERVEBENCH_WORKER_NAME: name, SERVEBENCH_WORKER_INDEX: String(index) });
    const entry = { index, name, startedAt: Date.now(), ready: false, ...(replacing === undefined ? {} : { replacing }) };
    info.set(w, entry);
    w.on('message', (msg: unknown) => {
      if (!isServiceMessage(msg)) return;
      if (msg.type === 'metrics') return sendToParent(msg);
      if (msg.type !== 'ready' || entry.ready) return;
      entry.ready = true;
      port = msg.port;
      if (entry.replacing !== undefined) {
        const exit = lastExit.get(entry.replacing);
        sendToParent({
          type: 'worker-replaced',
          service,
          oldPid: entry.replacing,
          pid: msg.pid,
          name,
          code: exit?.code ?? null,
          signal: exit?.signal ?? null,
          ...(exit === undefined ? {} : { downMs: Date.now() - exit.atMs }),
          restarts: restarts.get(index) ?? 0,
        });
        return;
      }
      initialReady++;
      if (initialReady === workers) {
        const list = [...info.entries()].filter(([, e]) => e.ready).map(([wk, e]) => ({ name: e.name, pid: wk.process.pid ?? 0 }));
        announceReady({ type: 'ready', port, pid: process.pid, role, name: role, service, workers: list });
      }
    });
  };

  cluster.on('exit', (w, code, signal) => {
    const entry = info.get(w);
    info.delete(w);
    const pid = w.process.pid ?? 0;
    lastExit.set(pid, { code, signal, atMs: Date.now() });
    if (entry === undefined || state.stopping) return;
    // A worker that dies before the set is up makes the whole start fail (the supervisor reports it).
    if (initialReady < workers && entry.replacing === undefined && !entry.ready) {
      process.stderr.write(`${entry.name} exited (code ${code}, signal ${signal}) before it was ready\n`);
      process.exit(1);
    }
    const quick = Date.now() - entry.startedAt < CRASH_WINDOW_MS ? (quickDeaths.get(entry.index) ?? 0) + 1 : 0;
    quickDeaths.set(entry.index, quick);
    const count = restarts.get(entry.index) ?? 0;
    const exited = { type: 'worker-exited', service, pid, name: entry.name, code, signal, atMs: Date.now(), restarts: count } as const;
    if (quick >= CRASH_LIMIT) {
      sendToParent(exited);
      sendToParent({
        type: 'worker-lost',
        service,
        pid,
        name: entry.name,
        reason: `it died ${quick} times within ${CRASH_WINDOW_MS} ms of starting; not replacing it again`,
        restarts: count,
      });
      return;
    }
    sendToParent({ ...exited, replaceInMs: REPLACE_DELAY_MS });
    process.stderr.write(`${entry.name} (pid ${pid}) exited (code ${code}, signal ${signal}); starting a replacement\n`);
    // A moment's grace: when the whole process group is being stopped, a worker may exit before this
    // primary has handled its own SIGTERM; do not fork into a shutdown.
    setTimeout(() => {
      if (state.stopping) return;
      restarts.set(entry.index, count + 1);
      fork(entry.index, pid);
    }, REPLACE_DELAY_MS);
  });

  for (let i = 0; i < workers; i++) fork(i);

  handleSignals(state, meter, info);
}

/** Stop on SIGTERM or SIGINT (the workers first), and pass a hang fault on to the workers (or the one named). */
function handleSignals(state: { stopping: boolean }, meter: ProcessMeter, info: Map<Worker, { name: string }>): void {
  const stop = () => {
    if (state.stopping) return;
    state.stopping = true;
    meter.stop();
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    const done = () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    };
    cluster.on('exit', done);
    done();
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('message', (msg: unknown) => {
    if (!isHangMessage(msg)) return;
    for (const [w, e] of info) if (msg.worker === undefined || msg.worker === e.name) w.send(msg);
  });
}

main();
