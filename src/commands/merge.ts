// `servebench merge r1.json r2.json ...`: the load results of the shards of one distributed load (the pods
// of `servebench k8s --load`, or generator processes) merged exactly into one load result: histograms
// added, counts summed, series aligned by wall clock, validity per shard and for the whole. Without --out
// the merged JSON goes to stdout; with --out it is written there and the table printed.

import type { Command } from 'commander';
import { summarise } from '../load/aggregate.js';
import { warn } from '../progress.js';
import { renderLoadTerminal } from '../report/load.js';
import { envelope, readResults, toJson, writeJsonAtomic } from '../results/index.js';
import { mergeLoadResults } from '../results/merge.js';
import { version } from '../version.js';

interface RawMergeOptions {
  out?: string;
  json?: boolean;
  strict?: boolean;
}

export function register(program: Command): void {
  program
    .command('merge')
    .description(
      'Merge the load results of the shards of one distributed load (servebench k8s --load) exactly: HDR histograms added, ' +
        'counts and rps summed, series aligned by wall clock, validity per shard and for the whole',
    )
    .argument('<files...>', "the shards' load results (load.json of each)")
    .option('--out <file>', 'write the merged load result here (and print its table) instead of printing the JSON on stdout')
    .option('--json', 'with --out: print the merged JSON on stdout instead of the table')
    .option('--strict', 'exit 1 when the whole is not valid (a shard failed, was invalid or is missing)')
    .action((files: string[], raw: RawMergeOptions) => {
      const inputs = files.map((file) => ({ file, result: readResults(file) }));
      const { data, env } = mergeLoadResults(inputs, { summarise });
      const result = envelope('load', env, data, version);
      const m = data.merged;
      const ran = m.shards.map((s) => `shard ${s.index}: ${s.file}${s.valid ? '' : ' (not valid)'}`).join(', ');
      process.stderr.write(`[merge] ${m.shards.length} shard(s): ${ran}; ${data.runs.length} run(s) merged\n`);
      if (m.missing.length > 0) warn('merge', `shard(s) ${m.missing.join(', ')} missing: the whole is part of the load asked for`);
      for (const r of data.runs.filter((x) => !x.valid)) {
        warn('merge', `${r.id}: not valid: ${r.state === 'completed' ? r.validity.reasons.join('; ') : r.state === 'errored' ? r.error.message : r.reason}`);
      }
      process.stderr.write(`[merge] the whole is ${m.valid ? 'valid' : 'not valid'}\n`);
      if (raw.out === undefined) process.stdout.write(toJson(result));
      else {
        writeJsonAtomic(raw.out, result);
        process.stdout.write(raw.json === true ? toJson(result) : renderLoadTerminal(data));
        process.stderr.write(`[merge] wrote ${raw.out}\n`);
      }
      if (raw.strict === true && !m.valid) process.exitCode = 1;
    });
}
