// `servebench k8s`: for several option sets (each path, the onnx and module predicts, a model file, the
// redis and memory stores, an external Redis, cluster pods, the load Job), every object read back from the
// YAML validates against the Kubernetes schemas offline; every HPA targets a Deployment of the same output
// whose labels match; every Service selects a Deployment's pods; every $(VAR) a container uses is defined.

import { describe, expect, it } from 'vitest';
import { AUTOSCALER_DEFAULTS, HPA_DEFAULTS } from '../src/serving/index.js';
import { byKind, manifestsOf, named, type Obj, type rawOptions, selects, validateObject } from './k8s-fixtures.js';

const OPTION_SETS: Record<string, Partial<ReturnType<typeof rawOptions>>> = {
  'sync, io, redis': { path: 'sync' },
  'async, io, memory': { store: 'memory' },
  'queue, io, redis, 2 model workers': { path: 'queue', modelWorkers: '2' },
  'queue, memory store (Redis as the broker only)': { path: 'queue', store: 'memory' },
  'async, onnx (the shipped models in the image)': { predict: 'onnx' },
  'sync, onnx, a model file in a ConfigMap': { path: 'sync', predict: 'onnx', model: 'test/fixtures/models/four-features.onnx' },
  'async, module predict, two files': { predict: 'module', modelA: 'examples/predict-module.mjs', modelB: 'test/fixtures/models/async-module.cjs' },
  'async, cpu, cluster pods of 3 processes': { predict: 'cpu', kernel: 'typed', n: '1000', topology: 'cluster', workers: '3' },
  'external Redis, a namespace, 3 scoring pods': { redisUrl: 'redis://my-redis.example:6379', namespace: 'bench', workers: '3' },
  'load Job, open loop': { load: true, rate: '300', shards: '3', duration: '30s', warmup: '5s', scenario: 'sustained' },
  'load Job, closed loop, queue path': { path: 'queue', load: true, connections: '10', shards: '4' },
  "HPA with Kubernetes' time constants": { hpaTimes: 'kubernetes', minReplicas: '2', maxReplicas: '8', targetUtilization: '75%' },
};

/** The containers of a workload's pod template. */
const containersOf = (o: Obj): Obj[] => [...(o.spec?.template?.spec?.initContainers ?? []), ...(o.spec?.template?.spec?.containers ?? [])];

describe('servebench k8s: every object validates against the Kubernetes schemas', () => {
  for (const [name, over] of Object.entries(OPTION_SETS)) {
    it(name, () => {
      const objs = manifestsOf(over);
      expect(objs.length).toBeGreaterThan(4);
      for (const o of objs) validateObject(o);

      // Every HPA scales a Deployment of this output, and they carry the same component.
      const hpas = byKind(objs, 'HorizontalPodAutoscaler');
      expect(hpas.length).toBeGreaterThan(0);
      for (const h of hpas) {
        const ref = h.spec.scaleTargetRef;
        expect(ref).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
        const d = named(objs, 'Deployment', ref.name);
        expect(d, `HPA ${h.metadata.name} targets Deployment ${ref.name}`).toBeDefined();
        expect(h.metadata.labels['app.kubernetes.io/component']).toBe(d!.metadata.labels['app.kubernetes.io/component']);
        // Its replicas are the HPA's to set: an apply must not reset them.
        expect(d!.spec.replicas).toBeUndefined();
      }

      // Each Deployment selects its own pods, and each Service the pods of one Deployment.
      const deployments = byKind(objs, 'Deployment');
      for (const d of deployments) expect(selects(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
      for (const s of byKind(objs, 'Service')) {
        const matching = deployments.filter((d) => selects(s.spec.selector, d.spec.template.metadata.labels));
        expect(matching.map((d) => d.metadata.name)).toEqual([s.metadata.name]);
      }

      // Every $(VAR) in a container's arguments is an entry of the settings ConfigMap or an env var of the container.
      const settings = named(objs, 'ConfigMap', 'servebench-settings')!;
      for (const c of [...deployments, ...byKind(objs, 'Job')].flatMap(containersOf)) {
        const env = new Set((c.env ?? []).map((e: Obj) => e.name as string));
        const usesSettings = (c.envFrom ?? []).some((e: Obj) => e.configMapRef?.name === 'servebench-settings');
        for (const arg of [...(c.command ?? []), ...(c.args ?? [])] as string[]) {
          for (const m of arg.matchAll(/\$\(([A-Z_]+)\)/g)) {
            expect(env.has(m[1]!) || (usesSettings && settings.data[m[1]!] !== undefined), `${c.name}: $(${m[1]}) is defined`).toBe(true);
          }
        }
      }
      // Every servebench container runs the image asked for; the HTTP services probe /health.
      for (const d of deployments.filter((x) => x.metadata.name !== 'redis')) {
        const c = containersOf(d)[0]!;
        expect(c.image).toBe('servebench:local');
        expect(c.resources.requests.cpu).toMatch(/m$/);
        expect(c.resources.limits.memory).toMatch(/Mi$/);
        if (d.metadata.name !== 'model-worker') {
          expect(c.readinessProbe.httpGet.path).toBe('/health');
          expect(c.livenessProbe.httpGet.path).toBe('/health');
        }
      }
    });
  }
});

describe('servebench k8s: what each option set deploys', () => {
  const names = (objs: Obj[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`);

  it('sync and async: two model APIs with Services and HPAs, Redis for the store', () => {
    expect(names(manifestsOf({ path: 'sync' }))).toEqual([
      'ConfigMap/servebench-settings',
      'Deployment/redis',
      'Service/redis',
      'Deployment/model-a',
      'Service/model-a',
      'HorizontalPodAutoscaler/model-a',
      'Deployment/model-b',
      'Service/model-b',
      'HorizontalPodAutoscaler/model-b',
      'Deployment/scoring',
      'Service/scoring',
    ]);
    const memory = names(manifestsOf({ store: 'memory' }));
    expect(memory).not.toContain('Deployment/redis');
  });

  it('queue: model workers (no Service, no port) with their HPA, Redis as the broker even with the memory store', () => {
    const objs = manifestsOf({ path: 'queue', store: 'memory', modelWorkers: '2' });
    expect(names(objs)).toContain('Deployment/model-worker');
    expect(names(objs)).toContain('HorizontalPodAutoscaler/model-worker');
    expect(names(objs)).toContain('Deployment/redis');
    expect(names(objs)).not.toContain('Service/model-worker');
    expect(names(objs)).not.toContain('Deployment/model-a');
    expect(named(objs, 'HorizontalPodAutoscaler', 'model-worker')!.spec.minReplicas).toBe(2);
  });

  it('an external Redis is used, not deployed; a model file travels in a ConfigMap mounted where --model points', () => {
    const ext = manifestsOf({ redisUrl: 'redis://my-redis.example:6379' });
    expect(named(ext, 'Deployment', 'redis')).toBeUndefined();
    expect(named(ext, 'ConfigMap', 'servebench-settings')!.data.SERVEBENCH_REDIS_URL).toBe('redis://my-redis.example:6379');
    const onnx = manifestsOf({ predict: 'onnx', model: 'test/fixtures/models/four-features.onnx' });
    expect(Object.keys(named(onnx, 'ConfigMap', 'servebench-models')!.binaryData)).toEqual(['model.onnx']);
    expect(named(onnx, 'ConfigMap', 'servebench-settings')!.data.SERVEBENCH_MODEL).toBe('/etc/servebench/models/model.onnx');
    const scoring = containersOf(named(onnx, 'Deployment', 'scoring')!)[0]!;
    expect(scoring.volumeMounts).toEqual([{ name: 'models', mountPath: '/etc/servebench/models', readOnly: true }]);
  });

  it('the scoring pods run serve --only scoring with the model APIs Services; cluster pods request W cores', () => {
    const objs = manifestsOf({ predict: 'cpu', topology: 'cluster', workers: '3' });
    const scoring = named(objs, 'Deployment', 'scoring')!;
    expect(scoring.spec.replicas).toBe(1);
    const args = containersOf(scoring)[0]!.args as string[];
    expect(args.slice(0, 3)).toEqual(['serve', '--only', 'scoring']);
    expect(args).toEqual(expect.arrayContaining(['--model-a-url', '$(SERVEBENCH_MODEL_A_URL)', '--host', '0.0.0.0', '--port', '8080']));
    expect(containersOf(named(objs, 'Deployment', 'model-a')!)[0]!.resources.requests.cpu).toBe('3000m');
    expect(named(manifestsOf({ workers: '3' }), 'Deployment', 'scoring')!.spec.replicas).toBe(3);
    // A queue worker pod runs one worker, cluster or not.
    const queue = manifestsOf({ path: 'queue', topology: 'cluster', workers: '3' });
    expect(containersOf(named(queue, 'Deployment', 'model-worker')!)[0]!.resources.requests.cpu).toBe('1000m');
    expect(containersOf(named(queue, 'Deployment', 'scoring')!)[0]!.resources.requests.cpu).toBe('1500m');
  });

  it("each HPA takes the emulation's settings, or Kubernetes' time constants", () => {
    const h = named(manifestsOf(), 'HorizontalPodAutoscaler', 'model-a')!;
    expect(h.spec.minReplicas).toBe(AUTOSCALER_DEFAULTS.minReplicas);
    expect(h.spec.maxReplicas).toBe(AUTOSCALER_DEFAULTS.maxReplicas);
    expect(h.spec.metrics[0].resource).toEqual({
      name: 'cpu',
      target: { type: 'Utilization', averageUtilization: AUTOSCALER_DEFAULTS.targetUtilization * 100 },
    });
    expect(h.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(AUTOSCALER_DEFAULTS.scaleDownStabilizationMs / 1000);
    expect(h.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(AUTOSCALER_DEFAULTS.scaleUpStabilizationMs / 1000);
    expect(h.spec.behavior.scaleUp.policies).toEqual([
      { type: 'Percent', value: AUTOSCALER_DEFAULTS.scaleUpLimit.percent, periodSeconds: AUTOSCALER_DEFAULTS.syncPeriodMs / 1000 },
      { type: 'Pods', value: AUTOSCALER_DEFAULTS.scaleUpLimit.pods, periodSeconds: AUTOSCALER_DEFAULTS.syncPeriodMs / 1000 },
    ]);
    expect(h.spec.behavior.scaleUp.selectPolicy).toBe('Max');
    const k = named(manifestsOf({ hpaTimes: 'kubernetes', targetUtilization: '75%' }), 'HorizontalPodAutoscaler', 'model-b')!;
    expect(k.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(HPA_DEFAULTS.scaleDownStabilizationMs / 1000);
    expect(k.spec.behavior.scaleUp.policies[0].periodSeconds).toBe(15);
    expect(k.spec.metrics[0].resource.target.averageUtilization).toBe(75);
  });
});
