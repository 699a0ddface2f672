// The messages between the autoscaled system's control-plane process and servebench (its own module, so
// that importing it does not start a control plane).

import type { ErrorInfo } from '../../errors.js';
import type { ProcessMetrics, SystemProcess } from '../../results/serving.js';
import type { SystemNotice } from '../types.js';
import type { AutoscaleDecision } from './controller.js';
import type { ReplicaEvent } from './replica-set.js';
import type { AutoscaledSystemDescription } from './system.js';

export const AUTOSCALE_CONFIG_ENV = 'SERVEBENCH_AUTOSCALE_CONFIG';

export type ControlPlaneMessage =
  | { type: 'autoscale-ready'; scoringUrl: string; description: AutoscaledSystemDescription }
  | { type: 'metrics'; metrics: ProcessMetrics }
  | { type: 'replica-event'; event: ReplicaEvent }
  | { type: 'decision'; decision: AutoscaleDecision }
  | { type: 'processes'; processes: SystemProcess[] }
  | { type: 'notice'; notice: SystemNotice }
  | { type: 'failed'; error: ErrorInfo }
  | { type: 'stopped' };
