// Issue 3's speed goals, shown by a benchmark (not a timed test): with the io predict and 50 connections,
// async single process vs sync single process (target >= 20x), and sync cluster of W workers vs sync
// single (target about W x); plus issue 4's: async single at 100 connections vs Little's law (>= 90%) and
// sync single vs 1 / service time (within 10%). All in one run, rounds interleaving the configurations,
// each ratio paired within a round and reported with its spread.
//
//   npm run build && node dist/benchmarks/request-paths.bench.js [--repeats 3] [--workers W] [--quick] [--out DIR]
//
// Same as `servebench load --scenario request-paths --repeats 3`; writes request-paths.json and .md.

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { captureEnv } from '../src/env/index.js';
import { runLoadSuite } from '../src/load/suite.js';
import { parseInteger } from '../src/options.js';
import { defaultReportsDir, ensureDir } from '../src/paths.js';
import { installSignalHandlers, stopAllProcesses } from '../src/processes/index.js';
import { renderLoadMarkdown, renderLoadTerminal } from '../src/report/load.js';
import { envelope } from '../src/results/index.js';
import { writeFileAtomic, writeJsonAtomic } from '../src/results/write.js';
import { version } from '../src/version.js';
import { scenarios } from './scenarios/index.js';

const { values } = parseArgs({
  options: { repeats: { type: 'string', default: '3' }, workers: { type: 'string' }, quick: { type: 'boolean', default: false }, out: { type: 'string' } },
});

installSignalHandlers();
try {
  const repeats = parseInteger('--repeats', values.repeats ?? '3', 1, 50);
  const env = await captureEnv();
  const data = await runLoadSuite({
    scenarios: ['request-paths'],
    definitions: scenarios,
    repeats,
    quick: values.quick === true,
    ...(values.workers === undefined ? {} : { workers: parseInteger('--workers', values.workers, 1, 256) }),
  });
  const dir = ensureDir(values.out ?? defaultReportsDir());
  writeJsonAtomic(join(dir, 'request-paths.json'), envelope('load', env, data, version));
  writeFileAtomic(join(dir, 'request-paths.md'), renderLoadMarkdown(data));
  process.stdout.write(renderLoadTerminal(data));
  process.stderr.write(`[request-paths] wrote ${join(dir, 'request-paths.json')}\n`);
  if (data.goals.some((g) => g.met === false)) process.stderr.write('[request-paths] some goals are not met on this run (see above)\n');
} catch (err) {
  process.stderr.write(`request-paths: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await stopAllProcesses();
}
