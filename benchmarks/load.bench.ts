// The default load run as a script: the scenarios response-time, ramp, sustained and stress over the
// matrix {sync, async} x {single, cluster, nginx} x {io, cpu}, then request-paths; the same as
// `servebench load` (and `npm run bench:load`), written out as an example of the programmatic API.
//
//   npm run build && node dist/benchmarks/load.bench.js [--quick] [--out DIR]

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { captureEnv } from '../src/env/index.js';
import { runLoadSuite } from '../src/load/suite.js';
import { defaultReportsDir, ensureDir } from '../src/paths.js';
import { installSignalHandlers, stopAllProcesses } from '../src/processes/index.js';
import { renderLoadTerminal } from '../src/report/load.js';
import { envelope } from '../src/results/index.js';
import { writeJsonAtomic } from '../src/results/write.js';
import { version } from '../src/version.js';
import { scenarios } from './scenarios/index.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } } });

installSignalHandlers();
try {
  const env = await captureEnv();
  const data = await runLoadSuite({ quick: values.quick === true, definitions: scenarios });
  const file = join(ensureDir(values.out ?? defaultReportsDir()), 'load.json');
  writeJsonAtomic(file, envelope('load', env, data, version));
  process.stdout.write(renderLoadTerminal(data));
  process.stderr.write(`[load] wrote ${file}\n`);
} catch (err) {
  process.stderr.write(`load: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await stopAllProcesses();
}
