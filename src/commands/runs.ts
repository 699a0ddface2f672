// `servebench runs [--dir reports]`: the results files under a folder tree, newest first: when, what (a bench
// run's suites), the git commit of the measured project where recorded, the host, the path.

import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { textTable } from '../report/tables.js';
import { listRuns } from '../results/compare/index.js';

interface RunsCliFlags {
  dir: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('runs')
    .description('list the results files under a folder (suite, time, git commit, host, path), newest first')
    .option('--dir <dir>', 'the folder to search, with its subfolders', 'reports')
    .option('--json', 'print the list as JSON')
    .action((flags: RunsCliFlags) => {
      const dir = resolve(flags.dir);
      const runs = listRuns(dir);
      if (flags.json === true) {
        process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
        return;
      }
      if (runs.length === 0) {
        process.stdout.write(`no results files under ${dir}\n`);
        return;
      }
      const rows = runs.map((r) => [
        r.createdAt,
        r.suites.length === 0 ? r.kind : `${r.kind} (${r.suites.join(', ')})`,
        r.gitCommit,
        r.host,
        relative(process.cwd(), r.path) || r.path,
      ]);
      process.stdout.write(`${textTable(['created', 'suite', 'commit', 'host', 'path'], rows, { rule: true }).join('\n')}\n`);
    });
}
