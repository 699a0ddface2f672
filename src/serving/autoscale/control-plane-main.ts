// Child entry point: the autoscaled system's control plane, in a process of its own (as Kubernetes' control
// plane is not the load generator). It starts the replica sets, nginx, the scoring handler and the
// controllers, and reports over IPC: ready (with the scoring URL), every ProcessMetrics sample, replica
// changes, controller decisions and the current process list. A 'stop' message (or SIGTERM/SIGINT) stops
// everything it started; so does its parent going away.

import { errorMessage } from '../../errors.js';
import { exitWithParent } from '../../processes/index.js';
import { AUTOSCALE_CONFIG_ENV, type ControlPlaneMessage } from './control-plane-protocol.js';
import { startAutoscaledSystem, type AutoscaledSystemOptions } from './system.js';

function send(msg: ControlPlaneMessage): void {
  if (typeof process.send === 'function' && process.connected) process.send(msg);
}

async function main(): Promise<void> {
  exitWithParent();
  const raw = process.env[AUTOSCALE_CONFIG_ENV];
  if (raw === undefined) throw new Error(`${AUTOSCALE_CONFIG_ENV} is not set: this entry point is started by servebench`);
  const options = JSON.parse(raw) as AutoscaledSystemOptions;
  const sys = await startAutoscaledSystem(options);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await sys.stop().catch(() => undefined);
      send({ type: 'stopped' });
      process.exit(0);
    })());
  sys.onMetrics((m) => send({ type: 'metrics', metrics: m }));
  sys.onReplicaEvent((e) => {
    send({ type: 'replica-event', event: e });
    send({ type: 'processes', processes: sys.processes });
  });
  sys.onDecision((d) => send({ type: 'decision', decision: d }));
  sys.onNotice((n) => send({ type: 'notice', notice: n }));
  process.on('message', (msg: unknown) => {
    if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'stop') void stop();
  });
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  send({ type: 'autoscale-ready', scoringUrl: sys.scoringUrl, description: sys.describe() });
}

main().catch((err: unknown) => {
  process.stderr.write(`servebench autoscale control plane failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  send({ type: 'failed', error: { code: (err as { code?: string }).code ?? 'SB_ERR_INTERNAL', message: errorMessage(err) } });
  process.exit(1);
});
