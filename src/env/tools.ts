// Versions of the tools servebench drives: npm packages from their installed package.json, system programs
// from a short version query (execFile with a timeout). A missing tool is unknown with the reason.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { MaybeKnown, ToolName, ToolVersion } from '../results/env.js';
import { packageRoot } from '../paths.js';
import { firstLine, unknown } from './parse.js';
import type { HostSources } from './sources.js';

const PACKAGES: ReadonlyArray<ToolName> = ['autocannon', '0x', 'clinic'];

/** System programs: the version query and how to find the version in its output. */
const PROGRAMS: ReadonlyArray<{ name: ToolName; command: string; args: string[]; pattern: RegExp }> = [
  { name: 'nginx', command: 'nginx', args: ['-v'], pattern: /nginx\/(\S+)/ },
  { name: 'redis-server', command: 'redis-server', args: ['--version'], pattern: /\bv=(\S+)/ },
  { name: 'perf', command: 'perf', args: ['--version'], pattern: /perf version (\S+)/ },
  { name: 'chromium', command: 'chromium', args: ['--version'], pattern: /Chrom(?:e|ium) (\d[\d.]*)/ },
];

const TIMEOUT_MS = 5000;

/** The installed version of an npm package, read from its package.json. */
function packageVersion(name: string, from: string = packageRoot): MaybeKnown<ToolVersion> {
  let file: string;
  try {
    file = createRequire(join(from, 'package.json')).resolve(`${name}/package.json`);
  } catch {
    return unknown(`npm package ${name} is not installed (no ${name}/package.json below ${from})`);
  }
  try {
    const version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
    if (typeof version !== 'string' || version === '') return unknown(`${file} has no version`);
    return { version, source: file };
  } catch (err) {
    return unknown(`cannot read ${file}: ${(err as Error).message}`);
  }
}

async function programVersion(sources: HostSources, p: (typeof PROGRAMS)[number]): Promise<MaybeKnown<ToolVersion>> {
  const path = sources.which(p.command);
  const result = await sources.run(p.command, p.args, TIMEOUT_MS);
  if (!result.ok) return unknown(result.reason);
  const m = p.pattern.exec(result.output);
  if (m === null) return unknown(`\`${p.command} ${p.args.join(' ')}\` printed no version: ${firstLine(result.output) ?? '(nothing)'}`);
  return { version: m[1]!, source: `${path ?? p.command} ${p.args.join(' ')}` };
}

let cached: Promise<Record<ToolName, MaybeKnown<ToolVersion>>> | undefined;

/**
 * Versions of every tool servebench drives. On the real host the answer is cached for the process (the
 * versions do not change during a run, and a chromium query costs a few hundred ms).
 */
export function captureTools(sources: HostSources, useCache: boolean): Promise<Record<ToolName, MaybeKnown<ToolVersion>>> {
  const capture = async () => {
    const programs = await Promise.all(PROGRAMS.map(async (p) => [p.name, await programVersion(sources, p)] as const));
    const packages = PACKAGES.map((name) => [name, packageVersion(name)] as const);
    return Object.fromEntries([...packages, ...programs]) as Record<ToolName, MaybeKnown<ToolVersion>>;
  };
  if (!useCache) return capture();
  cached ??= capture();
  return cached;
}
