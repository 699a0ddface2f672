// The serving system's workloads as typed Kubernetes objects: a Deployment (and, for what listens, a Service)
// per service: the scoring handler, model-a and model-b (on the queue path, the model workers), and Redis.
// Each pod runs `servebench serve --only <service>` with the settings of the ConfigMap, probes /health,
// and requests the CPU the HPA measures its utilization against.

import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { ServiceName } from '../results/vocab.js';
import { labelsFor, metadataFor, selectorFor, SETTINGS_CONFIG_MAP, MODELS_CONFIG_MAP } from './labels.js';
import { redisUrlOf, serveArgs, servicePort } from './serve-args.js';
import { K8S_DEFAULTS, RESOURCES, type K8sSettings } from './settings.js';

type Resources = (typeof RESOURCES)[keyof typeof RESOURCES];

/** Requests and limits for `processes` processes of a kind. */
export function resourcesFor(r: Resources, processes: number): IResourceRequirements {
  return {
    requests: { cpu: `${r.cpuRequestM * processes}m`, memory: `${r.memoryRequestMi * processes}Mi` },
    limits: { cpu: `${r.cpuLimitM * processes}m`, memory: `${r.memoryLimitMi * processes}Mi` },
  };
}

/**
 * Probes on GET /health. A sync-path process answers only between requests, so liveness is lenient (a busy pod
 * is not a dead one); the startup probe covers a model's load (an ONNX session) before liveness begins.
 */
function healthProbes(): Pick<IContainer, 'readinessProbe' | 'livenessProbe' | 'startupProbe'> {
  const get = { path: '/health', port: 'http' };
  const probe = (p: Omit<IProbe, 'httpGet'>): IProbe => ({ httpGet: get, ...p });
  return {
    startupProbe: probe({ periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 60 }),
    readinessProbe: probe({ periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 }),
    livenessProbe: probe({ periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 }),
  };
}

/** Processes in one pod of a service: --workers with --topology cluster, else one (a queue worker pod: always one). */
function processesPerPod(s: K8sSettings, service: ServiceName): number {
  return s.serve.topology === 'cluster' && service !== 'model-worker' ? (s.serve.workers ?? K8S_DEFAULTS.workers) : 1;
}

function modelVolume(s: K8sSettings): { volumes: IVolume[]; mounts: NonNullable<IContainer['volumeMounts']> } {
  if (s.modelFiles.length === 0) return { volumes: [], mounts: [] };
  return {
    volumes: [{ name: 'models', configMap: { name: MODELS_CONFIG_MAP } }],
    mounts: [{ name: 'models', mountPath: K8S_DEFAULTS.modelsDir, readOnly: true }],
  };
}

/** The Deployment of one servebench service. `replicas` undefined: its HPA sets them. */
export function serviceDeployment(s: K8sSettings, service: ServiceName, replicas: number | undefined): Deployment {
  const listens = service !== 'model-worker';
  const { volumes, mounts } = modelVolume(s);
  const container: IContainer = {
    name: service,
    image: s.image,
    args: serveArgs(s, service),
    envFrom: [{ configMapRef: { name: SETTINGS_CONFIG_MAP } }],
    resources: resourcesFor(service === 'scoring' ? RESOURCES.scoring : RESOURCES.model, processesPerPod(s, service)),
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000 },
    ...(listens ? { ports: [{ name: 'http', containerPort: servicePort(s, service) }], ...healthProbes() } : {}),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
  };
  const d = new Deployment({
    metadata: metadataFor(s, service),
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: selectorFor(service) },
      template: {
        metadata: { labels: labelsFor(service) },
        spec: {
          // SIGTERM stops the service's processes; a queue worker finishes the job in hand first.
          terminationGracePeriodSeconds: 30,
          containers: [container],
          ...(volumes.length > 0 ? { volumes } : {}),
        },
      },
    },
  });
  return d;
}

/** The Service in front of a listening servebench service (ClusterIP, named after it: http://model-a:8080). */
export function serviceService(s: K8sSettings, service: ServiceName): Service {
  const port = servicePort(s, service);
  return new Service({
    metadata: metadataFor(s, service),
    spec: { selector: selectorFor(service), ports: [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }] },
  });
}

/** Whether the manifests run a Redis of their own (the store or the queue's broker needs one, and none was given). */
export function needsRedis(s: K8sSettings): boolean {
  return s.serve.redisUrl === undefined && redisUrlOf(s.serve) !== undefined;
}

/** Redis: the feature store and the queue's broker. No persistence: a benchmark loads its store fresh. */
export function redisObjects(s: K8sSettings): [Deployment, Service] {
  const port = K8S_DEFAULTS.redis.port;
  const probe = (p: Omit<IProbe, 'exec'>): IProbe => ({ exec: { command: ['redis-cli', 'ping'] }, ...p });
  const container: IContainer = {
    name: 'redis',
    image: K8S_DEFAULTS.redis.image,
    args: ['redis-server', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--port', String(port)],
    ports: [{ name: 'redis', containerPort: port }],
    resources: resourcesFor(RESOURCES.redis, 1),
    readinessProbe: probe({ periodSeconds: 5, timeoutSeconds: 2 }),
    livenessProbe: { tcpSocket: { port: 'redis' }, periodSeconds: 10, timeoutSeconds: 5 },
  };
  const deployment = new Deployment({
    metadata: metadataFor(s, 'redis'),
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorFor('redis') },
      template: { metadata: { labels: labelsFor('redis') }, spec: { containers: [container] } },
    },
  });
  const service = new Service({
    metadata: metadataFor(s, 'redis'),
    spec: { selector: selectorFor('redis'), ports: [{ name: 'redis', port, targetPort: 'redis', protocol: 'TCP' }] },
  });
  return [deployment, service];
}
