// scripts/build-native.mjs never fails `npm install`: without cargo it exits 0, says why on stderr and
// records the reason, which the wrapper then reports as "native: unavailable (cargo not found at build time)".
// Runs a copy of the script in a scratch tree, so the real native/ folder is untouched.

import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNativeFrom } from '../src/kernels/native-binding.js';
import { describeNativeStatus } from '../src/report/format.js';
import { packageRoot } from '../src/paths.js';

const root = mkdtempSync(join(tmpdir(), 'servebench-build-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('build-native without a Rust toolchain', () => {
  it('exits 0, explains on stderr and records the reason for the wrapper', async () => {
    mkdirSync(join(root, 'scripts'));
    mkdirSync(join(root, 'native'));
    copyFileSync(join(packageRoot, 'scripts', 'build-native.mjs'), join(root, 'scripts', 'build-native.mjs'));
    writeFileSync(join(root, 'native', 'Cargo.toml'), '[package]\nname = "x"\n');
    // A PATH with node but without cargo, and a HOME without ~/.cargo.
    const env = { PATH: dirname(process.execPath), HOME: root, CARGO_HOME: join(root, '.cargo') };
    const { stderr } = await promisify(execFile)(process.execPath, [join(root, 'scripts', 'build-native.mjs')], { env });
    expect(stderr).toMatch(/native addon not built: cargo not found at build time/);
    const status = JSON.parse(readFileSync(join(root, 'native', 'build-status.json'), 'utf8')) as { state: string; reason: string };
    expect(status).toMatchObject({ state: 'unavailable', reason: 'cargo not found at build time' });
    expect(existsSync(join(root, 'native', 'index.cjs'))).toBe(false);

    const load = loadNativeFrom(join(root, 'native', 'index.cjs'), {});
    expect(describeNativeStatus(load.status)).toBe('native: unavailable (cargo not found at build time)');
  });
});
