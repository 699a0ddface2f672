#!/usr/bin/env node
// Entry point of the `servebench` command: the compiled CLI lives in dist/ (built by `npm install`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('servebench: dist/ is missing; run `npm install` (or `npm run build`) first\n');
  process.exit(2);
}
await import(cli.href);
