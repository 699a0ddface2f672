// The hardware suite (src/env/) as a Suite: the host, its clocks, memory-read bandwidth and a noise check,
// with hardware.md and hardware.html beside hardware.json.

import { type HardwareSuiteOptions, runHardwareSuite } from '../../env/index.js';
import { warn } from '../../progress.js';
import { renderHardwareHtml, renderHardwareMarkdown, renderHardwareSummary } from '../../report/hardware/render.js';
import { type HardwareData, isUnknown, type ResultEnvelope, type ResultKind } from '../../results/index.js';
import type { Suite } from '../suite.js';

const reportInput = (r: ResultEnvelope<ResultKind, HardwareData>) => ({
  env: r.env,
  data: r.data,
  createdAt: r.createdAt,
  servebench: { version: r.servebench.version },
});

export const hardwareSuite: Suite<Omit<HardwareSuiteOptions, 'env'>, HardwareData> = {
  name: 'hardware',
  kind: 'hardware',
  file: 'hardware.json',
  // The suite measures the frequency with more repeats and fills the block's field; its own noise check is
  // longer than the capture's, so the capture prints nothing.
  capture: { measureFrequency: 'never', warn: false },
  expectedSeconds: { full: 2, quick: 1 },
  run: async (options, ctx) => {
    if (ctx.alone) for (const w of ctx.env.warnings) warn('hw', w);
    const data = await runHardwareSuite({ ...options, env: ctx.env });
    // One measured frequency per run: the suite's (more repeats) fills the block where the capture did not
    // measure one, so no page says "not measured" beside the measured figure.
    const f = data.frequency;
    if (ctx.alone || isUnknown(ctx.env.cpu.frequency.measuredMhz)) {
      ctx.env.cpu.frequency.measuredMhz = isUnknown(f) ? { unknown: true, reason: `measurement failed: ${f.reason}` } : f;
    }
    if (ctx.alone) for (const w of data.noise.warnings) warn('hw', `host looks busy: ${w}`);
    return data;
  },
  benchOptions: ({ quick }) => (quick ? { bandwidthRepeats: 3, noiseWindowMs: 500 } : {}),
  failed: () => false,
  interrupted: (data) => data,
  terminal: (result) => renderHardwareSummary(reportInput(result)),
  files: (result) => [
    { name: 'hardware.md', text: renderHardwareMarkdown(reportInput(result)) },
    { name: 'hardware.html', text: renderHardwareHtml(reportInput(result)) },
  ],
};
