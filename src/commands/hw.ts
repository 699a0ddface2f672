// `servebench hw`: the hardware and environment report of this host. Captures the environment block, runs
// the hardware suite (noise check, measured frequency, clocks, memory-read bandwidth) and writes
// hardware.json, hardware.md and hardware.html; prints a short summary (or the JSON with --json).

import type { Command } from 'commander';
import { parseDuration, parseInteger } from '../options.js';
import { defaultReportsDir } from '../paths.js';
import { progress } from '../progress.js';
import { toJson } from '../results/index.js';
import { runSuiteToFile } from '../run/run-suite.js';
import { addGateOptions, finishWithGates, type GateFlags, parseGates } from './gates.js';
import { suites } from './suites.js';

interface HwOptions extends GateFlags {
  json?: boolean;
  out?: string;
  bandwidth: boolean;
  noiseWindow: string;
  repeats: string;
}

export function register(program: Command): void {
  addGateOptions(
    program
      .command('hw')
      .description('report the hardware and environment of this host: hardware.json, hardware.md, hardware.html')
      .option('--json', 'print the hardware.json envelope on stdout instead of the summary')
      .option('--out <dir>', 'the run folder for hardware.json, hardware.md and hardware.html (default: a new reports/hardware-<time>/)')
      .option('--no-bandwidth', 'skip the memory-read bandwidth probe')
      .option('--noise-window <duration>', 'how long to watch the host for the noise check (100ms..60s)', '1s')
      .option('--repeats <n>', 'repeats per bandwidth probe (1..50)', '5'),
    false,
  ).action(async (opts: HwOptions) => {
    const noiseWindowMs = parseDuration('--noise-window', opts.noiseWindow, 100, 60_000);
    const repeats = parseInteger('--repeats', opts.repeats, 1, 50);
    const gates = parseGates(opts, defaultReportsDir());
    progress('hw', 'capturing the environment');
    const options = { noiseWindowMs, bandwidth: opts.bandwidth, bandwidthRepeats: repeats };
    const run = await runSuiteToFile(suites.hardware, options, opts.out === undefined ? {} : { outDir: opts.out });
    const [md, html] = run.files;
    progress('hw', `wrote ${run.file}, ${md}, ${html}`);
    if (opts.json === true) process.stdout.write(toJson(run.result));
    else process.stdout.write(`${suites.hardware.terminal(run.result)}\nwrote ${run.file}\n      ${md}\n      ${html}\n`);
    finishWithGates(run.result, run.file, gates, defaultReportsDir(), opts.json === true);
  });
}
