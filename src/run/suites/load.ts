// The load suite (src/load/) as a Suite: the scenarios over the serving matrix (or a --target), load.md beside load.json.

import { type LoadSuiteOptions, runLoadSuite } from '../../load/suite.js';
import { renderLoadMarkdown, renderLoadTerminal } from '../../report/load.js';
import type { LoadData } from '../../results/index.js';
import type { Suite } from '../suite.js';

/** The load data says a run or a configuration errored. */
export function loadFailed(data: LoadData): boolean {
  return data.runs.some((r) => r.state === 'errored') || data.configurations.some((c) => c.state === 'errored');
}

export const loadSuite: Suite<LoadSuiteOptions, LoadData> = {
  name: 'load',
  kind: 'load',
  file: 'load.json',
  capture: {},
  run: (options, ctx) => runLoadSuite({ ...options, signal: ctx.signal, onUpdate: ctx.onUpdate }),
  benchOptions: ({ quick }) => ({ quick }),
  failed: loadFailed,
  interrupted: (data) => ({ ...data, interrupted: true }),
  terminal: (result) => renderLoadTerminal(result.data),
  files: (result) => [{ name: 'load.md', text: renderLoadMarkdown(result.data) }],
};
