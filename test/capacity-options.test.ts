// Bad options give OptionErrors that name the option and the allowed range, before anything runs; the CLI
// turns them into exit code 2 with that message.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveCapacitySettings } from '../src/capacity/settings.js';
import { parseByteSize } from '../src/options.js';
import { OptionError } from '../src/errors.js';
import { packageRoot } from '../src/paths.js';

const GiB = 1024 ** 3;
const roomy = { availableBytes: 20 * GiB };

function optionOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof OptionError) return err.option;
    throw err;
  }
  return undefined;
}

describe('capacity options', () => {
  it('parses sizes with binary and decimal units', () => {
    expect(parseByteSize('--memory-budget', '2GiB')).toBe(2 * GiB);
    expect(parseByteSize('--memory-budget', '512M')).toBe(512 * 1024 ** 2);
    expect(parseByteSize('--memory-budget', '1.5g')).toBe(1.5 * GiB);
    expect(parseByteSize('--memory-budget', '800MB')).toBe(800e6);
    expect(parseByteSize('--memory-budget', '1073741824')).toBe(GiB);
    expect(() => parseByteSize('--memory-budget', 'lots')).toThrow(/--memory-budget: expected a size such as 2GiB/);
  });

  it('names the option of every bad value', () => {
    expect(optionOf(() => resolveCapacitySettings({ ...roomy, budgetBytes: 1024 }))).toBe('--memory-budget');
    expect(optionOf(() => resolveCapacitySettings({ availableBytes: 3 * GiB, budgetBytes: 2 * GiB }))).toBe('--memory-budget');
    expect(optionOf(() => resolveCapacitySettings({ ...roomy, tolerance: 0.9 }))).toBe('--tolerance');
    expect(optionOf(() => resolveCapacitySettings({ ...roomy, maxProbesPerKernel: 2 }))).toBe('--max-probes');
    expect(optionOf(() => resolveCapacitySettings({ ...roomy, concurrency: [0] }))).toBe('--concurrency');
    expect(optionOf(() => resolveCapacitySettings({ ...roomy, kernels: [] }))).toBe('--kernels');
    expect(optionOf(() => resolveCapacitySettings({ ...roomy, startN: 10 }))).toBe('--start-n');
    expect(() => resolveCapacitySettings({ availableBytes: 3 * GiB, budgetBytes: 2 * GiB })).toThrow(
      /--memory-budget: 2 GiB would leave less than 2 GiB of the 3 GiB available now; at most 1 GiB/,
    );
    expect(() => resolveCapacitySettings({ ...roomy, tolerance: 0.9 })).toThrow(/--tolerance: must be between 0.5% and 50%/);
  });

  it('fills the defaults in one place: 2 GiB, 5%, C = 1 and 4; quick: 1 GiB, 10%', () => {
    expect(resolveCapacitySettings(roomy)).toMatchObject({
      budgetBytes: 2 * GiB,
      tolerance: 0.05,
      concurrency: [1, 4],
      startN: 5e7,
      maxProbesPerKernel: 16,
      serverCheck: true,
    });
    expect(resolveCapacitySettings({ ...roomy, quick: true })).toMatchObject({ budgetBytes: GiB, tolerance: 0.1, maxProbesPerKernel: 9, startN: 2e7 });
  });

  it('the CLI exits 2 with the message naming the option', async () => {
    const cli = join(packageRoot, 'bin', 'servebench.js');
    for (const [args, pattern] of [
      [['--memory-budget', 'lots'], /--memory-budget: expected a size/],
      [['--memory-budget', '64MiB'], /--memory-budget: must be between 128 MiB and 64 GiB/],
      [['--kernels', 'numpy'], /--kernels: must be one of naive, typed, native, native-parallel, native-async; got 'numpy'/],
      [['--concurrency', '0'], /--concurrency: must be between 1 and 64/],
      [['--tolerance', '80%'], /--tolerance: must be between 0.5% and 50%/],
    ] as const) {
      const r = await promisify(execFile)(process.execPath, [cli, 'capacity', ...args]).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code: number; stderr: string }) => err,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
    }
  });
});
