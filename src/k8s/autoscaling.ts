// One autoscaling/v2 HorizontalPodAutoscaler per model API (on the queue path, for the model workers),
// configured like servebench's emulation of it (src/serving/autoscale): the same replica range and target,
// the same stabilization windows and scale-up limit (+100% or +4 pods a period, whichever is more). The
// real HPA reads CPU utilization against each pod's CPU request; the emulation reads the same quantity with
// its cpu metric (its default, elu, has no built-in counterpart in Kubernetes).

import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { ServiceName } from '../results/vocab.js';
import { metadataFor } from './labels.js';
import { hpaTimes, type K8sSettings } from './settings.js';

export function modelHpa(s: K8sSettings, service: ServiceName): HorizontalPodAutoscaler {
  const t = hpaTimes(s.hpa.times);
  const meta = metadataFor(s, service);
  return new HorizontalPodAutoscaler({
    metadata: {
      ...meta,
      annotations: {
        'servebench/hpa-settings': `servebench's emulated HPA defaults (AUTOSCALER_DEFAULTS), time constants: ${s.hpa.times}`,
      },
    },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service },
      minReplicas: s.hpa.minReplicas,
      maxReplicas: s.hpa.maxReplicas,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: Math.round(s.hpa.targetUtilization * 100) } } },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: t.scaleUpWindowS,
          selectPolicy: 'Max',
          policies: [
            { type: 'Percent', value: t.scaleUpLimit.percent, periodSeconds: t.periodS },
            { type: 'Pods', value: t.scaleUpLimit.pods, periodSeconds: t.periodS },
          ],
        },
        // The emulation limits no scale-down beyond its window: 100% a period is Kubernetes' own default, no limit.
        scaleDown: {
          stabilizationWindowSeconds: t.scaleDownWindowS,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: t.periodS }],
        },
      },
    },
  });
}
