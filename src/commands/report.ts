// `servebench report <file>`: the renderers alone, on a saved results file (results.json, kernels.json,
// load.json, profile.json, capacity.json or hardware.json). Re-renders without re-measuring.

import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import { parseChoice } from '../options.js';
import { REPORT_FORMATS, renderSavedResults } from '../report/results-file.js';
import { readResults } from '../results/index.js';
import { writeFileAtomic } from '../results/write.js';

interface ReportCliOptions {
  format: string;
  out?: string;
  series?: boolean;
}

export function register(program: Command): void {
  program
    .command('report')
    .description('re-render a saved results file (results.json, kernels.json, load.json, profile.json, hardware.json) without measuring')
    .argument('<file>', 'the results file')
    .option('--format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'terminal')
    .option('--out <dir>', 'write <name>.md, <name>.html or <name>.csv into this folder instead of stdout')
    .option('--series', 'with --format csv: add the per-second rows of every load run')
    .action(async (file: string, opts: ReportCliOptions) => {
      const format = parseChoice('--format', opts.format, REPORT_FORMATS);
      const r = readResults(resolve(file));
      const runDir = dirname(resolve(file));
      if (opts.series === true && format !== 'csv') throw new OptionError('--series', 'applies only with --format csv');
      const outDir = opts.out === undefined ? undefined : resolve(opts.out);
      const text = await renderSavedResults(r, { format, runDir, outDir, series: opts.series === true });
      if (opts.out === undefined || format === 'terminal') {
        process.stdout.write(text);
        return;
      }
      const target = join(resolve(opts.out), `${basename(file).replace(/\.json$/, '')}.${format}`);
      writeFileAtomic(target, text);
      process.stderr.write(`[report] wrote ${target} (from ${runDir})\n`);
    });
}
