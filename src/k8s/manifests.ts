// Every object `servebench k8s` writes, built as typed kubernetes-models objects and validated against the
// Kubernetes schemas (offline) before anything is written; then as YAML: one stream for stdout, or one file
// per object plus a kustomization.yaml listing them (`kubectl apply -k DIR`).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Document } from 'yaml';
import { ServebenchError, errorMessage } from '../errors.js';
import { ensureDir } from '../paths.js';
import { writeFileAtomic } from '../results/write.js';
import { version } from '../version.js';
import { modelHpa } from './autoscaling.js';
import { MODELS_CONFIG_MAP, metadataFor, SETTINGS_CONFIG_MAP } from './labels.js';
import { loadJob } from './load-job.js';
import { settingEntries } from './serve-args.js';
import type { K8sSettings } from './settings.js';
import { needsRedis, redisObjects, serviceDeployment, serviceService } from './workloads.js';

/** What every kubernetes-models object offers. */
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
  validate(): void;
  toJSON(): unknown;
}

/** One object and the file it goes to. */
export interface Manifest {
  file: string;
  object: KubeObject;
}

const FILE_PREFIX: Record<string, string> = {
  ConfigMap: 'configmap',
  Deployment: 'deployment',
  Service: 'service',
  HorizontalPodAutoscaler: 'hpa',
  Job: 'job',
};

function configMaps(s: K8sSettings): KubeObject[] {
  const settings = new ConfigMap({
    metadata: metadataFor(s, SETTINGS_CONFIG_MAP, 'settings'),
    data: Object.fromEntries(settingEntries(s).map((e) => [e.key, e.value])),
  });
  if (s.modelFiles.length === 0) return [settings];
  const models = new ConfigMap({
    metadata: metadataFor(s, MODELS_CONFIG_MAP, 'models'),
    binaryData: Object.fromEntries(s.modelFiles.map((f) => [f.key, Buffer.from(f.bytes).toString('base64')])),
  });
  return [settings, models];
}

/** The model services: model-a and model-b with their Services, or the queue's model workers; each with its HPA. */
function modelObjects(s: K8sSettings): KubeObject[] {
  if (s.serve.path === 'queue') return [serviceDeployment(s, 'model-worker', undefined), modelHpa(s, 'model-worker')];
  return (['model-a', 'model-b'] as const).flatMap((m) => [serviceDeployment(s, m, undefined), serviceService(s, m), modelHpa(s, m)]);
}

/** Every object, validated: ConfigMaps, Redis, the model services, the scoring handler, the load Job. */
export function buildManifests(s: K8sSettings): Manifest[] {
  const scoringReplicas = s.serve.topology === 'cluster' ? 1 : (s.serve.workers ?? 1);
  const objects: KubeObject[] = [
    ...configMaps(s),
    ...(needsRedis(s) ? redisObjects(s) : []),
    ...modelObjects(s),
    serviceDeployment(s, 'scoring', scoringReplicas),
    serviceService(s, 'scoring'),
    ...(s.load === undefined ? [] : [loadJob(s, s.load)]),
  ];
  return objects.map((object) => {
    const name = object.metadata?.name ?? '';
    try {
      object.validate();
    } catch (err) {
      throw new ServebenchError('SB_ERR_INTERNAL', `${object.kind} ${name} does not validate against the Kubernetes schema: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    return { file: `${FILE_PREFIX[object.kind] ?? object.kind.toLowerCase()}-${name}.yaml`, object };
  });
}

function yamlOf(value: unknown, comment?: string): string {
  const doc = new Document(value);
  if (comment !== undefined) doc.commentBefore = comment;
  return doc.toString({ lineWidth: 0 });
}

const HEADER = ` written by servebench ${version} (servebench k8s); rerun it rather than editing by hand`;

/** One YAML stream of every object, for stdout (`servebench k8s | kubectl apply -f -`). */
export function yamlStream(manifests: readonly Manifest[]): string {
  return manifests.map((m, i) => yamlOf(m.object.toJSON(), i === 0 ? HEADER : undefined)).join('---\n');
}

/** The kustomization that lists the files: `kubectl apply -k DIR` applies exactly them. */
function kustomization(manifests: readonly Manifest[]): string {
  return yamlOf({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: manifests.map((m) => m.file) }, HEADER);
}

/**
 * One file per object and kustomization.yaml in `dir` (created if needed). Returns the files written and the
 * YAML files already there that the kustomization does not list (left alone, and not applied).
 */
export function writeManifests(dir: string, manifests: readonly Manifest[]): { dir: string; files: string[]; unlisted: string[] } {
  const abs = ensureDir(dir);
  for (const m of manifests) writeFileAtomic(join(abs, m.file), yamlOf(m.object.toJSON(), HEADER));
  writeFileAtomic(join(abs, 'kustomization.yaml'), kustomization(manifests));
  const files = [...manifests.map((m) => m.file), 'kustomization.yaml'];
  const unlisted = readdirSync(abs).filter((f) => /\.ya?ml$/.test(f) && !files.includes(f));
  return { dir: abs, files, unlisted };
}
