// The model a load run measured, in words: a label naming it (file, size, sha256, runtime, placement,
// threads) for the configurations table, and the sentences that answer the seeds' questions for it: sync or
// async on each topology, one process or a pool on each path, with the figures. Reads LoadData only.

import type { LoadConfiguration, LoadData, LoadSummary } from '../results/load.js';
import type { ModelDescription } from '../results/serving.js';
import { formatNumber, formatUs, times } from './format.js';

/** e.g. 'model-a.onnx (316 B, sha256 2e6c8b598056; onnxruntime-node 1.31.1, worker-pool, 1 intra-op thread, pool 2)'. */
export function modelLabel(m: ModelDescription): string {
  const file = m.file === undefined ? '' : `${m.file.bytes} B, sha256 ${m.file.sha256.slice(0, 12)}; `;
  const threads = [
    m.threads.intraOp === undefined ? undefined : `${m.threads.intraOp} intra-op thread${m.threads.intraOp === 1 ? '' : 's'}`,
    m.threads.pool === undefined ? undefined : `pool ${m.threads.pool}`,
  ].filter((t) => t !== undefined);
  const name = m.file !== undefined && m.name !== m.file.name ? `${m.name} [${m.file.name}]` : m.name;
  return `${name} (${file}${m.runtime.name} ${m.runtime.version}, ${[m.placement, ...threads].join(', ')})`;
}

/** The name a sentence uses: the model's name and its predict, e.g. 'model-a.onnx (onnx)'. */
function modelName(m: ModelDescription): string {
  return `${m.name} (${m.predict})`;
}

/** The figure a configuration is judged by: its best sustained step, else its best ramp step, else its baseline. */
function headline(d: LoadData, configId: string): LoadSummary | undefined {
  const own = d.summaries.filter((s) => s.configId === configId);
  for (const scenario of ['sustained', 'ramp', 'response-time'] as const) {
    const best = own.filter((s) => s.scenario === scenario).sort((a, b) => b.rps.median - a.rps.median)[0];
    if (best !== undefined) return best;
  }
  return undefined;
}

/** 'sustained c=16: 812 rps, p99 38.2 ms' (marked when only invalid repeats were there). */
function figures(s: LoadSummary): string {
  const invalid = s.fromInvalid ? ', from invalid runs' : '';
  return `${s.scenario} ${s.step}: ${formatNumber(s.rps.median)} rps, p99 ${formatUs(s.latencyP99Us.median)}${invalid}`;
}

interface Measured {
  config: LoadConfiguration;
  model: ModelDescription;
  best: LoadSummary;
}

/** One comparison sentence: `a` against `b`, named by `aName` and `bName`, with both figures. */
function compare(what: string, aName: string, a: Measured, bName: string, b: Measured): string {
  const ratio = b.best.rps.median > 0 ? a.best.rps.median / b.best.rps.median : null;
  const verdict = ratio === null ? `${bName} served nothing` : `${aName} has ${times(ratio)} the throughput of ${bName}`;
  return `${modelName(a.model)}, ${what}: ${verdict} (${aName} ${figures(a.best)}; ${bName} ${figures(b.best)}).`;
}

/**
 * The model sentences of a load run: for every model measured on both paths of a topology, async against
 * sync; for every model measured on one path in more than one topology, each pool against single.
 */
export function modelLines(d: LoadData): string[] {
  const measured: Measured[] = [];
  for (const c of d.configurations) {
    const best = c.state === 'completed' && c.model !== undefined ? headline(d, c.id) : undefined;
    if (best !== undefined && c.model !== undefined) measured.push({ config: c, model: c.model, best });
  }
  const key = (m: Measured) => `${m.model.predict}|${m.model.name}|${m.model.file?.sha256 ?? ''}`;
  const find = (k: string, path: string, topology: string) => measured.find((m) => key(m) === k && m.config.path === path && m.config.topology === topology);
  const out: string[] = [];
  const keys = [...new Set(measured.map(key))];
  for (const k of keys) {
    for (const topology of new Set(measured.filter((m) => key(m) === k).map((m) => m.config.topology))) {
      const a = find(k, 'async', topology ?? '');
      const s = find(k, 'sync', topology ?? '');
      if (a !== undefined && s !== undefined) out.push(compare(`${topology}, sync vs async`, 'async', a, 'sync', s));
    }
    for (const path of ['sync', 'async']) {
      const single = find(k, path, 'single');
      if (single === undefined) continue;
      for (const pool of measured.filter((m) => key(m) === k && m.config.path === path && m.config.topology !== 'single')) {
        const w = pool.config.workers === undefined ? '' : ` x${pool.config.workers}`;
        out.push(compare(`${path} path, one process vs a pool`, `${pool.config.topology}${w}`, pool, 'single', single));
      }
    }
  }
  return out;
}
