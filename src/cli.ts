// The command line: one parser, one command per verb (src/commands/), exit codes in one place.
//   0 success · 1 a run failed or produced invalid results · 2 bad options or input · 130/143 interrupted
//   3 a --threshold was crossed · 4 compare --fail-on-regression: a significant regression beyond the allowance
//   (3 and 4 are set after every result is written; src/results/compare/exit-codes.ts names them)

import { Command, CommanderError } from 'commander';
import { OptionError, ServebenchError, errorMessage } from './errors.js';
import { version } from './version.js';
import { installSignalHandlers, stopAllProcesses } from './processes/index.js';
import type { register as Register } from './commands/runs.js';

type RegisterCommand = typeof Register;

// Each verb's module, loaded only when that verb runs: some pull heavy libraries (the Kubernetes models, the
// hardware capture, the suites), and a CLI that imports every verb to run one starts seconds slower.
// The order is the help listing's.
const COMMANDS: Readonly<Record<string, () => Promise<{ register: RegisterCommand }>>> = {
  bench: () => import('./commands/bench.js'),
  kernels: () => import('./commands/kernels.js'),
  serve: () => import('./commands/serve.js'),
  load: () => import('./commands/load.js'),
  profile: () => import('./commands/profile.js'),
  hw: () => import('./commands/hw.js'),
  capacity: () => import('./commands/capacity.js'),
  report: () => import('./commands/report.js'),
  merge: () => import('./commands/merge.js'),
  k8s: () => import('./commands/k8s.js'),
  compare: () => import('./commands/compare.js'),
  runs: () => import('./commands/runs.js'),
};

/** The verb named on the command line (its first word that is not an option), if it is one servebench has. */
function verbOf(argv: readonly string[]): string | undefined {
  const word = argv.slice(2).find((a) => !a.startsWith('-'));
  return word !== undefined && Object.hasOwn(COMMANDS, word) ? word : undefined;
}

/** The parser with the verb `argv` names registered, or every verb (for help, a bad verb, no verb). */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('servebench')
    .description('Profile and benchmark the request paths of a model-serving system on Node.js, and the kernels behind its predict.')
    .version(version)
    .showHelpAfterError()
    .exitOverride();
  const verb = verbOf(argv);
  const loaders = verb === undefined ? Object.values(COMMANDS) : [COMMANDS[verb]];
  for (const load of loaders) if (load) (await load()).register(program);
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
  const program = await buildProgram(process.argv);
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
