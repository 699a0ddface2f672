// The profile suite (src/profile/) as a Suite: both request paths under profilers, summaries from their data.
// Its artefacts (flame graphs, the tools' reports) go in the run folder, beside profile.json and profile.md
// (in the main job: <run folder>/profile/, which the run report links relatively).

import type { ProfileOptions } from '../../profile/options.js';
import { runProfileSuite } from '../../profile/suite.js';
import { renderProfileMarkdown, renderProfileTerminal } from '../../report/profile.js';
import type { ProfileData } from '../../results/index.js';
import type { Suite } from '../suite.js';

export const profileSuite: Suite<ProfileOptions, ProfileData> = {
  name: 'profile',
  kind: 'profile',
  file: 'profile.json',
  capture: {},
  expectedSeconds: { full: 61, quick: 39 },
  run: (options, ctx) => runProfileSuite({ outDir: ctx.runDir, ...options }, { signal: ctx.signal, onUpdate: ctx.onUpdate, supervisor: ctx.supervisor }),
  // With a model (bench --model): the model API alone under the profiler, where the model runs.
  benchOptions: ({ quick, profilesDir, model }) => ({
    outDir: profilesDir,
    ...(quick ? { durationMs: 5000 } : {}),
    ...(model === undefined ? {} : { service: 'model', predict: model.predict, modelFile: model.file }),
  }),
  failed: (data) => data.cases.some((c) => c.state === 'errored'),
  interrupted: (data) => ({ ...data, interrupted: true }),
  terminal: (result) => renderProfileTerminal(result.data),
  files: (result) => [{ name: 'profile.md', text: renderProfileMarkdown(result.data) }],
};
