#!/usr/bin/env node
// Builds the native addon (native/) with `napi build --platform --release` when a Rust toolchain exists.
// Run by `npm run build:native` and by `npm install` (the root `prepare` script). It never fails the
// install: without cargo, or when the build fails, it says why on stderr and records the reason in
// native/build-status.json, which src/kernels/native-binding.ts reads so every output can say
// "native: unavailable (<reason>)".

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const statusFile = join(nativeDir, 'build-status.json');
// The generated loader: CommonJS (the package is ESM, so it must say .cjs), wrapped by native-binding.ts.
const loaderJs = 'index.cjs';
const loaderDts = 'index.d.cts';

const log = (msg) => process.stderr.write(`[build:native] ${msg}\n`);

function writeStatus(status) {
  const tmp = `${statusFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...status, at: new Date().toISOString() }, null, 2)}\n`);
  renameSync(tmp, statusFile);
}

function unavailable(reason, detail) {
  log(`native addon not built: ${reason}${detail ? `\n${detail}` : ''}`);
  log('servebench still works without it; the native kernels and the bandwidth probe report "unavailable".');
  writeStatus({ state: 'unavailable', reason });
}

/** cargo on PATH, or in $CARGO_HOME/bin or ~/.cargo/bin (rustup's default, often not on PATH under npm). */
function findCargo() {
  const candidates = [process.env.CARGO, 'cargo'];
  const home = process.env.CARGO_HOME ?? join(homedir(), '.cargo');
  candidates.push(join(home, 'bin', 'cargo'));
  for (const c of candidates) {
    if (c === undefined || c === '') continue;
    const r = spawnSync(c, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return { command: c, version: r.stdout.trim() };
  }
  return undefined;
}

/** Run a command, echoing its output to stderr and keeping the last lines for the status file. */
function run(command, args, options) {
  return new Promise((resolve) => {
    let tail = '';
    const keep = (chunk) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    };
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => resolve({ code: -1, tail: String(err) }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), signal, tail }));
  });
}

async function main() {
  if (!existsSync(join(nativeDir, 'Cargo.toml'))) {
    unavailable('native/Cargo.toml is missing');
    return;
  }
  const cargo = findCargo();
  if (cargo === undefined) {
    unavailable('cargo not found at build time');
    return;
  }
  let napiCli;
  try {
    const require = createRequire(import.meta.url);
    const pkgPath = require.resolve('@napi-rs/cli/package.json');
    const pkg = require(pkgPath);
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.napi;
    if (typeof bin !== 'string') throw new Error('no "napi" bin in @napi-rs/cli');
    napiCli = join(dirname(pkgPath), bin);
  } catch (err) {
    unavailable(`@napi-rs/cli is not installed (a dev dependency): ${err instanceof Error ? err.message : String(err)}`);
    return;
  }

  log(`building with ${cargo.version} (napi build --platform --release)...`);
  const env = { ...process.env };
  // Let napi and cargo find the same cargo we found, even when it is not on PATH.
  if (cargo.command.includes('/')) env.PATH = `${dirname(cargo.command)}${delimiter}${env.PATH ?? ''}`;
  const started = Date.now();
  const result = await run(process.execPath, [napiCli, 'build', '--platform', '--release', '--js', loaderJs, '--dts', loaderDts], { cwd: nativeDir, env });
  if (result.code !== 0) {
    const lastError = result.tail
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /error/i.test(l))
      .at(-1);
    unavailable(`napi build failed (exit ${result.code})${lastError ? `: ${lastError.slice(0, 300)}` : ''}`);
    return;
  }
  const nodeFiles = readdirSync(nativeDir).filter((f) => f.endsWith('.node'));
  if (!existsSync(join(nativeDir, loaderJs)) || nodeFiles.length === 0) {
    unavailable(`napi build reported success but native/${loaderJs} or the .node file is missing`);
    return;
  }
  writeStatus({ state: 'built', reason: null, files: [loaderJs, ...nodeFiles], cargo: cargo.version });
  log(`built native/${nodeFiles.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  // Whatever happened, the install goes on: record it and exit 0.
  try {
    unavailable(`build script error: ${err instanceof Error ? err.message : String(err)}`);
  } catch {
    log(`build script error: ${String(err)}`);
  }
});
