// Helpers of the k8s tests: the command's raw options with commander's defaults, the manifests of an option
// set as plain objects read back from the YAML stream, and each object re-validated against the Kubernetes
// schemas by the kubernetes-models class of its kind (independently of how servebench built it).

import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { toK8sSettings } from '../src/commands/k8s.js';
import { buildManifests, yamlStream } from '../src/k8s/manifests.js';

/** A manifest as written: a plain object. */
// biome-ignore lint/suspicious/noExplicitAny: the tests walk arbitrary Kubernetes objects read back from YAML
export type Obj = Record<string, any>;

type Raw = Parameters<typeof toK8sSettings>[0];

/** The options as commander hands them over (defaults included), with `over` on top. */
export function rawOptions(over: Partial<Raw> = {}): Raw {
  return { image: 'servebench:local', path: 'async', topology: 'single', predict: 'io', store: 'redis', hpaTimes: 'emulation', ...over };
}

/** The objects of an option set, read back from the YAML stream stdout would get. */
export function manifestsOf(over: Partial<Raw> = {}): Obj[] {
  const { settings } = toK8sSettings(rawOptions(over));
  return parseAllDocuments(yamlStream(buildManifests(settings))).map((d) => d.toJS() as Obj);
}

type ModelClass = (new (data: never) => { validate(): void }) & { apiVersion: string };

const MODELS: Record<string, ModelClass> = {
  ConfigMap: ConfigMap as never,
  Service: Service as never,
  Deployment: Deployment as never,
  HorizontalPodAutoscaler: HorizontalPodAutoscaler as never,
  Job: Job as never,
};

/** Validate a plain object against the schema of its kind; throws naming the object. */
export function validateObject(o: Obj): void {
  const Model = MODELS[o.kind as string];
  if (Model === undefined) throw new Error(`unexpected kind ${String(o.kind)}`);
  if (o.apiVersion !== Model.apiVersion) throw new Error(`${o.kind} ${o.metadata?.name}: apiVersion ${o.apiVersion}, expected ${Model.apiVersion}`);
  const { apiVersion: _a, kind: _k, ...rest } = o;
  try {
    new Model(rest as never).validate();
  } catch (err) {
    throw new Error(`${o.kind} ${o.metadata?.name}: ${(err as Error).message}`);
  }
}

export const byKind = (objs: Obj[], kind: string) => objs.filter((o) => o.kind === kind);
export const named = (objs: Obj[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata?.name === name);

/** Every label of `selector` is on `labels` with the same value. */
export function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}
