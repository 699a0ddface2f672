// The wrapper never throws when the addon cannot load: it records why (missing loader with the build
// script's reason, a loader that throws, a build that lacks a function, the SERVEBENCH_NATIVE switch).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNativeFrom, NATIVE_FUNCTIONS, nativeLoaderPath } from '../src/kernels/native-binding.js';
import { describeNativeStatus } from '../src/report/format.js';

const dir = mkdtempSync(join(tmpdir(), 'servebench-native-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('native load failures are recorded with their reason', () => {
  it('a missing loader with a build-status file gives the build script reason', () => {
    const d = join(dir, 'no-cargo');
    mkdirSync(d);
    writeFileSync(join(d, 'build-status.json'), JSON.stringify({ state: 'unavailable', reason: 'cargo not found at build time' }));
    const load = loadNativeFrom(join(d, 'index.cjs'), {});
    expect(load.status).toEqual({ available: false, reason: 'cargo not found at build time' });
    expect(describeNativeStatus(load.status)).toBe('native: unavailable (cargo not found at build time)');
  });

  it('a missing loader without a status file says how to build it', () => {
    const load = loadNativeFrom(join(dir, 'nowhere', 'index.cjs'), {});
    expect(load.status.available).toBe(false);
    expect(!load.status.available && load.status.reason).toMatch(/index\.cjs not found.*npm run build:native/);
  });

  it('a loader that throws is a load failure with its message', () => {
    const file = join(dir, 'throws.cjs');
    writeFileSync(file, "throw new Error('Cannot find native binding: corrupt file')");
    const load = loadNativeFrom(file, {});
    expect(!load.status.available && load.status.reason).toMatch(/failed to load throws\.cjs: Cannot find native binding/);
  });

  it('a build that lacks an expected function is a load failure naming it', () => {
    const file = join(dir, 'partial.cjs');
    writeFileSync(file, 'module.exports = { buildInfo: () => ({}), mean: () => 0 }');
    const load = loadNativeFrom(file, {});
    expect(!load.status.available && load.status.reason).toMatch(/lacks meanParallel, meanAsync, bandwidthProbe/);
  });

  it('SERVEBENCH_NATIVE=off disables even a good addon', () => {
    const load = loadNativeFrom(nativeLoaderPath, { SERVEBENCH_NATIVE: 'off' });
    expect(load.status).toEqual({ available: false, reason: 'disabled by SERVEBENCH_NATIVE=off' });
  });

  it('the real addon loads with every function and its build facts', () => {
    const load = loadNativeFrom(nativeLoaderPath, {});
    expect(load.status.available).toBe(true);
    if (!('binding' in load) || !load.status.available) return;
    for (const name of NATIVE_FUNCTIONS) expect(typeof load.binding[name]).toBe('function');
    expect(load.status.file).toMatch(/\.node$/);
    expect(load.status.build).toMatchObject({ crateVersion: expect.any(String), rustc: expect.stringMatching(/^rustc /), target: expect.any(String) });
    expect(load.status.build.kernelIsa).toMatch(/^(avx512|avx2|baseline)$/);
    expect(describeNativeStatus(load.status)).toMatch(/^native: available \(servebench-native /);
  });
});
