// The command line: one parser, one command per verb (src/commands/), exit codes in one place.
//   0 success · 1 a run failed or produced invalid results · 2 bad options or input · 130/143 interrupted
//   3 a --threshold was crossed · 4 compare --fail-on-regression: a significant regression beyond the allowance
//   (3 and 4 are set after every result is written; src/results/compare/exit-codes.ts names them)

import { Command, CommanderError } from 'commander';
import { OptionError, ServebenchError, errorMessage } from './errors.js';
import { version } from './version.js';
import { installSignalHandlers, stopAllProcesses } from './processes/index.js';
import { register as registerKernels } from './commands/kernels.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerLoad } from './commands/load.js';
import { register as registerProfile } from './commands/profile.js';
import { register as registerHw } from './commands/hw.js';
import { register as registerBench } from './commands/bench.js';
import { register as registerReport } from './commands/report.js';
import { register as registerCapacity } from './commands/capacity.js';
import { register as registerMerge } from './commands/merge.js';
import { register as registerK8s } from './commands/k8s.js';
import { register as registerCompare } from './commands/compare.js';
import { register as registerRuns } from './commands/runs.js';

export function buildProgram(): Command {
  const program = new Command('servebench')
    .description('Profile and benchmark the request paths of a model-serving system on Node.js, and the kernels behind its predict.')
    .version(version)
    .showHelpAfterError()
    .exitOverride();
  for (const register of [
    registerBench,
    registerKernels,
    registerServe,
    registerLoad,
    registerProfile,
    registerHw,
    registerCapacity,
    registerReport,
    registerMerge,
    registerK8s,
    registerCompare,
    registerRuns,
  ]) {
    register(program);
  }
  return program;
}

/** Process exit code for an error thrown out of a command. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof OptionError) return 2;
  if (err instanceof ServebenchError && err.code === 'SB_ERR_INPUT') return 2;
  return 1;
}

async function main(): Promise<void> {
  installSignalHandlers();
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; parse errors were already printed by commander
      process.exitCode = err.exitCode === 0 ? 0 : 2;
    } else {
      process.stderr.write(`servebench: error: ${errorMessage(err)}\n`);
      if (process.env.SERVEBENCH_DEBUG === '1' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
      process.exitCode = exitCodeFor(err);
    }
  } finally {
    await stopAllProcesses();
  }
}

await main();
