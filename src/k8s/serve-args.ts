// The settings of the serving system as the pods get them: one ConfigMap entry per `servebench serve` option
// (SERVEBENCH_PATH=async, ...), and each container's arguments `serve --only <service> --path $(SERVEBENCH_PATH)
// ...`, which the kubelet fills from the ConfigMap. The settings live in one place; every service reads the
// same ones, with the same checks as `servebench serve`.

import type { SystemOptions } from '../serving/index.js';
import type { ServiceName } from '../results/vocab.js';
import { K8S_DEFAULTS, type K8sSettings, type ModelFile } from './settings.js';

/** One option: its flag, its ConfigMap key and environment variable, and its value. */
export interface SettingEntry {
  flag: string;
  key: string;
  value: string;
}

/** SERVEBENCH_ and the flag in capitals: --model-a-url -> SERVEBENCH_MODEL_A_URL. */
function settingKey(flag: string): string {
  return `SERVEBENCH_${flag.replace(/^--/, '').toUpperCase().replaceAll('-', '_')}`;
}

const entry = (flag: string, value: string | number): SettingEntry => ({ flag, key: settingKey(flag), value: String(value) });

/** The Redis every service reaches: --redis-url, else the Redis of the manifests; none on memory outside the queue path. */
export function redisUrlOf(o: SystemOptions): string | undefined {
  if (o.redisUrl !== undefined) return o.redisUrl;
  return o.store === 'redis' || o.path === 'queue' ? `redis://redis:${K8S_DEFAULTS.redis.port}` : undefined;
}

/** Where a model file of the ConfigMap appears in the pods. */
function podPath(files: readonly ModelFile[], option: ModelFile['option']): string | undefined {
  const f = files.find((x) => x.option === option);
  return f === undefined ? undefined : `${K8S_DEFAULTS.modelsDir}/${f.key}`;
}

/** The options every service gets, in the order `serve --help` lists them. */
function serveEntries(s: K8sSettings): SettingEntry[] {
  const o = s.serve;
  const out: SettingEntry[] = [entry('--path', o.path), entry('--topology', o.topology)];
  if (o.topology !== 'single') out.push(entry('--workers', o.workers ?? K8S_DEFAULTS.workers));
  const t = o.timeoutsMs ?? {};
  if (t.queue !== undefined) out.push(entry('--queue-timeout', `${t.queue}ms`));
  out.push(entry('--predict', o.predict));
  for (const option of ['--model', '--model-a', '--model-b'] as const) {
    const path = podPath(s.modelFiles, option);
    if (path !== undefined) out.push(entry(option, path));
  }
  if (o.predict === 'onnx') out.push(entry('--onnx-threads', o.onnxThreads ?? K8S_DEFAULTS.onnxThreads));
  if (o.kernel !== undefined) out.push(entry('--kernel', o.kernel));
  if (o.n !== undefined) out.push(entry('--n', o.n));
  if (o.nMax !== undefined) out.push(entry('--n-max', o.nMax));
  out.push(entry('--store', o.store));
  const redis = redisUrlOf(o);
  if (redis !== undefined) out.push(entry('--redis-url', redis));
  if (o.entities !== undefined) out.push(entry('--entities', o.entities));
  if (o.seed !== undefined) out.push(entry('--seed', o.seed));
  if (t.featureRead !== undefined) out.push(entry('--feature-timeout', `${t.featureRead}ms`));
  if (t.model !== undefined) out.push(entry('--model-timeout', `${t.model}ms`));
  if (o.path === 'async') out.push(entry('--pool-threads', o.poolThreads ?? K8S_DEFAULTS.poolThreads));
  return out;
}

/** The scoring handler's way to the model APIs (their Services), on the sync and async paths. */
function modelUrlEntries(o: SystemOptions): SettingEntry[] {
  if (o.path === 'queue') return [];
  return [entry('--model-a-url', `http://model-a:${K8S_DEFAULTS.port}`), entry('--model-b-url', `http://model-b:${K8S_DEFAULTS.port}`)];
}

/** Every entry of the settings ConfigMap. */
export function settingEntries(s: K8sSettings): SettingEntry[] {
  return [...serveEntries(s), ...modelUrlEntries(s.serve)];
}

/** The port a service listens on: the scoring handler's --port, 8080 for the others. */
export function servicePort(s: K8sSettings, service: ServiceName): number {
  return service === 'scoring' ? (s.serve.port ?? K8S_DEFAULTS.port) : K8S_DEFAULTS.port;
}

/** A container's arguments for one service; $(KEY) is filled by the kubelet from the ConfigMap (envFrom). */
export function serveArgs(s: K8sSettings, service: ServiceName): string[] {
  const refs = (entries: SettingEntry[]) => entries.flatMap((e) => [e.flag, `$(${e.key})`]);
  const args = ['serve', '--only', service, ...refs(serveEntries(s))];
  if (service === 'scoring') args.push(...refs(modelUrlEntries(s.serve)));
  // Pods are reached through their Service: listen on every interface (the model workers listen on none).
  if (service !== 'model-worker') args.push('--host', '0.0.0.0', '--port', String(servicePort(s, service)));
  return args;
}
