// `servebench hw`: the hardware and environment report of this host. Captures the environment block, runs
// the hardware suite (noise check, measured frequency, clocks, memory-read bandwidth) and writes
// hardware.json, hardware.md and hardware.html; prints a short summary (or the JSON with --json).

import { join } from 'node:path';
import type { Command } from 'commander';
import { captureEnv, runHardwareSuite } from '../env/index.js';
import { parseDuration, parseInteger } from '../options.js';
import { defaultReportsDir, ensureDir } from '../paths.js';
import { progress, warn } from '../progress.js';
import { renderHardwareHtml, renderHardwareMarkdown, renderHardwareSummary } from '../report/hardware/render.js';
import { envelope } from '../results/index.js';
import { isUnknown } from '../results/env.js';
import { toJson, writeFileAtomic, writeJsonAtomic } from '../results/write.js';
import { version } from '../version.js';

interface HwOptions {
  json?: boolean;
  out: string;
  bandwidth: boolean;
  noiseWindow: string;
  repeats: string;
}

export function register(program: Command): void {
  program
    .command('hw')
    .description('report the hardware and environment of this host: hardware.json, hardware.md, hardware.html')
    .option('--json', 'print the hardware.json envelope on stdout instead of the summary')
    .option('--out <dir>', 'folder for hardware.json, hardware.md and hardware.html', defaultReportsDir)
    .option('--no-bandwidth', 'skip the memory-read bandwidth probe')
    .option('--noise-window <duration>', 'how long to watch the host for the noise check (100ms..60s)', '1s')
    .option('--repeats <n>', 'repeats per bandwidth probe (1..50)', '5')
    .action(async (opts: HwOptions) => {
      const noiseWindowMs = parseDuration('--noise-window', opts.noiseWindow, 100, 60_000);
      const repeats = parseInteger('--repeats', opts.repeats, 1, 50);
      const outDir = ensureDir(opts.out);

      progress('hw', 'capturing the environment');
      // the suite measures the frequency with more repeats; it fills the block's field below
      // its own noise warnings would repeat the suite's (longer) check below, so only capture failures are printed
      const env = await captureEnv({ measureFrequency: 'never', warn: false });
      for (const w of env.warnings) warn('hw', w);
      const data = await runHardwareSuite({ env, noiseWindowMs, bandwidth: opts.bandwidth, bandwidthRepeats: repeats });
      env.cpu.frequency.measuredMhz = isUnknown(data.frequency) ? { unknown: true, reason: `measurement failed: ${data.frequency.reason}` } : data.frequency;
      for (const w of data.noise.warnings) warn('hw', `host looks busy: ${w}`);

      const result = envelope('hardware', env, data, version);
      const input = { env, data, createdAt: result.createdAt, servebench: { version } };
      const files = {
        json: join(outDir, 'hardware.json'),
        md: join(outDir, 'hardware.md'),
        html: join(outDir, 'hardware.html'),
      };
      writeJsonAtomic(files.json, result);
      writeFileAtomic(files.md, renderHardwareMarkdown(input));
      writeFileAtomic(files.html, renderHardwareHtml(input));
      progress('hw', `wrote ${files.json}, ${files.md}, ${files.html}`);

      if (opts.json === true) process.stdout.write(toJson(result));
      else process.stdout.write(`${renderHardwareSummary(input)}\nwrote ${files.json}\n      ${files.md}\n      ${files.html}\n`);
    });
}
