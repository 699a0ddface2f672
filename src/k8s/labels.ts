// Names and labels of the objects `servebench k8s` writes: one component label per part, which ties each
// Deployment's selector to its pods, each Service to them, and each HPA to its Deployment.

import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { version } from '../version.js';
import type { K8sSettings } from './settings.js';

type ObjectMeta = NonNullable<IDeployment['metadata']>;

export const SETTINGS_CONFIG_MAP = 'servebench-settings';
export const MODELS_CONFIG_MAP = 'servebench-models';
export const LOAD_JOB = 'servebench-load';

const NAME = 'app.kubernetes.io/name';
const COMPONENT = 'app.kubernetes.io/component';

/** What selects a component's pods: the app and the component, nothing that changes between versions. */
export function selectorFor(component: string): Record<string, string> {
  return { [NAME]: 'servebench', [COMPONENT]: component };
}

/** Every label of a component's objects and pods. */
export function labelsFor(component: string): Record<string, string> {
  return {
    ...selectorFor(component),
    'app.kubernetes.io/part-of': 'servebench',
    'app.kubernetes.io/managed-by': 'servebench-k8s',
    'app.kubernetes.io/version': version,
  };
}

/** An object's metadata: named after its component, labelled, in the namespace asked for (else the current one). */
export function metadataFor(s: K8sSettings, name: string, component: string = name): ObjectMeta {
  return { name, labels: labelsFor(component), ...(s.namespace === undefined ? {} : { namespace: s.namespace }) };
}
