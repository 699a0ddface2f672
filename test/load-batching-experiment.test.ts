// The batching experiment through the load suite in --quick, with short windows (a relation, not a
// benchmark): batching off and a setting on the sync and async paths, an open-loop ramp at multiples of
// batching off's capacity, each run's batches from the model API's metrics, summaries and findings that
// name the best setting or say why none beat batching off, and the renderers show it.
import { describe, expect, it } from 'vitest';
import { runLoadSuite } from '../src/load/suite.js';
import { setQuiet } from '../src/progress.js';
import { renderLoadMarkdown } from '../src/report/load.js';
import { withDefinitions } from './load-definitions.js';

describe('batching experiment', () => {
  it('runs in --quick: off vs a setting per path, batches measured, findings for each path', async () => {
    setQuiet(true);
    const data = await runLoadSuite(withDefinitions({ scenarios: ['batching'], quick: true, warmupMs: 100, durationMs: 400 })).finally(() => setQuiet(false));
    const b = data.batching!;
    expect(b.paths).toEqual(['sync', 'async']);
    expect(data.configurations.map((c) => [c.id, c.state])).toEqual([
      ['batching/sync/off', 'completed'],
      ['batching/sync/b16-w1ms', 'completed'],
      ['batching/async/off', 'completed'],
      ['batching/async/b16-w1ms', 'completed'],
    ]);
    // The calibration, then each rate with the settings interleaved.
    expect(data.runs.filter((r) => r.configId.startsWith('batching/sync/')).map((r) => `${r.configId} ${r.step.index}`)).toEqual([
      'batching/sync/off 0',
      'batching/sync/off 1',
      'batching/sync/b16-w1ms 1',
      'batching/sync/off 2',
      'batching/sync/b16-w1ms 2',
    ]);
    expect(b.rows.length).toBe(8);
    for (const r of b.rows) {
      expect(r.rps).toBeGreaterThan(0);
      if (r.batching === null) expect(r.meanBatchSize).toBeNull();
      else if (r.meanBatchSize !== null) {
        expect(r.meanBatchSize).toBeGreaterThanOrEqual(1);
        expect(r.meanBatchSize).toBeLessThanOrEqual(16);
      }
    }
    expect(b.summaries.map((s) => s.configId)).toEqual(data.configurations.map((c) => c.id));
    expect(b.summaries.filter((s) => s.batching === null).every((s) => s.speedup === 1)).toBe(true);
    for (const path of ['sync', 'async']) {
      const f = b.findings.filter((x) => x.startsWith(`${path}: `));
      expect(f.some((x) => /best setting|batching off is the best/.test(x))).toBe(true);
      expect(f.some((x) => /goal met|no setting reached 1.5x/.test(x))).toBe(true);
    }
    expect(renderLoadMarkdown(data)).toMatch(/#### Batching/);
  }, 60_000);
});
