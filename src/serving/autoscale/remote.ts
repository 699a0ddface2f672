// The autoscaled system run in its own control-plane process (control-plane-main.ts): what the load suite
// uses, so that spawning replicas, reloading nginx and scanning /proc never stall the load generator's
// event loop (late sends would blame the system for the generator's own delays). The handle mirrors the
// in-process one: scoring URL, process list (kept current), metrics, replica events, decisions, stop.

import { ServebenchError } from '../../errors.js';
import { compiledEntry } from '../../paths.js';
import { Supervisor, withTimeout, type ManagedProcess } from '../../processes/index.js';
import type { ProcessMetrics, SystemProcess } from '../../results/serving.js';
import type { SystemNotice } from '../types.js';
import type { AutoscaleDecision } from './controller.js';
import { AUTOSCALE_CONFIG_ENV, type ControlPlaneMessage } from './control-plane-protocol.js';
import type { ReplicaEvent } from './replica-set.js';
import { autoscaleAvailability, type AutoscaledSystemDescription, type AutoscaledSystemOptions } from './system.js';

/** What both the in-process and the control-plane system offer. */
export interface AutoscaledSystemView {
  scoringUrl: string;
  readonly processes: SystemProcess[];
  notes: string[];
  onMetrics(listener: (m: ProcessMetrics) => void): () => void;
  onReplicaEvent(listener: (e: ReplicaEvent) => void): () => void;
  onDecision(listener: (d: AutoscaleDecision) => void): () => void;
  onNotice(listener: (n: SystemNotice) => void): () => void;
  describe(): AutoscaledSystemDescription;
  stop(): Promise<void>;
}

function listeners<T>() {
  const set = new Set<(x: T) => void>();
  return {
    add: (l: (x: T) => void) => {
      set.add(l);
      return () => void set.delete(l);
    },
    emit: (x: T) => {
      for (const l of set) l(x);
    },
  };
}

/** Start the autoscaled system in its own process; resolves once it serves. */
export async function startAutoscaledSystemProcess(options: AutoscaledSystemOptions, readyTimeoutMs = 60_000): Promise<AutoscaledSystemView> {
  const avail = await autoscaleAvailability();
  if (!avail.available) throw new ServebenchError('SB_ERR_MISSING_TOOL', avail.reason);
  const supervisor = new Supervisor();
  const metrics = listeners<ProcessMetrics>();
  const events = listeners<ReplicaEvent>();
  const decisions = listeners<AutoscaleDecision>();
  const notices = listeners<SystemNotice>();
  let processes: SystemProcess[] = [];
  let description: AutoscaledSystemDescription | undefined;
  let failed: string | undefined;
  const onMessage = (raw: unknown) => {
    const msg = raw as ControlPlaneMessage;
    switch (msg.type) {
      case 'metrics':
        return metrics.emit(msg.metrics);
      case 'replica-event':
        return events.emit(msg.event);
      case 'decision':
        return decisions.emit(msg.decision);
      case 'notice':
        return notices.emit(msg.notice);
      case 'processes':
        processes = msg.processes;
        if (description !== undefined) description = { ...description, processes: msg.processes };
        return;
      case 'autoscale-ready':
        description = msg.description;
        processes = msg.description.processes;
        return;
      case 'failed':
        failed = msg.error.message;
        return;
      case 'stopped':
        return;
    }
  };
  let proc: ManagedProcess;
  try {
    proc = await supervisor.start({
      name: 'autoscale-control-plane',
      command: process.execPath,
      args: [compiledEntry('src/serving/autoscale/control-plane-main')],
      env: { [AUTOSCALE_CONFIG_ENV]: JSON.stringify(options) },
      ipc: true,
      ready: { kind: 'message', type: 'autoscale-ready' },
      readyTimeoutMs,
      // It stops its replicas, nginx and scoring process itself first.
      stopTimeoutMs: 15_000,
    });
  } catch (err) {
    await supervisor.stopAll();
    throw err;
  }
  if (failed !== undefined) {
    await proc.stop();
    throw new ServebenchError('SB_ERR_NOT_READY', failed);
  }
  for (const m of proc.messages) onMessage(m);
  proc.onMessage(onMessage);
  if (description === undefined) {
    await proc.stop();
    throw new ServebenchError('SB_ERR_NOT_READY', 'the autoscale control plane said it was ready without describing the system');
  }
  let stopped: Promise<void> | undefined;
  const desc = description;
  return {
    scoringUrl: desc.scoringUrl,
    get processes() {
      return [...processes, { role: 'control-plane', pid: proc.pid, name: 'autoscale-control-plane' }];
    },
    notes: desc.notes,
    onMetrics: metrics.add,
    onReplicaEvent: events.add,
    onDecision: decisions.add,
    onNotice: notices.add,
    describe: () => description ?? desc,
    stop: () =>
      (stopped ??= (async () => {
        if (!proc.exited) {
          try {
            proc.send({ type: 'stop' });
            await withTimeout(proc.waitForExit(), 15_000, 'the autoscale control plane did not stop in time');
          } catch {
            await proc.stop();
          }
        }
        await supervisor.stopAll();
      })()),
  };
}
