// The results files under a folder tree, described for `servebench runs`: kind (and a bench's suites), when,
// the git commit of the measured project where the file records one, the host, the path. Newest first.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchData } from '../bench.js';
import { readResults } from '../read.js';

export interface RunListing {
  path: string;
  kind: string;
  /** A bench run's suites, in the order run. */
  suites: string[];
  createdAt: string;
  /** The measured project's git commit (env.project) where recorded, else '-'. */
  gitCommit: string;
  host: string;
}

/** Folders never searched (dependencies, VCS data, a run's chart and profile artefacts). */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'charts', '.clinic']);

function jsonFiles(dir: string, depth: number, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      if (depth > 0 && !SKIPPED_DIRS.has(name) && !name.endsWith('.0x')) jsonFiles(path, depth - 1, out);
    } else if (name.endsWith('.json')) out.push(path);
  }
}

/** Describe one results file; undefined when it is not one (another JSON file). */
function describeFile(path: string): RunListing | undefined {
  let r: ReturnType<typeof readResults>;
  try {
    r = readResults(path);
  } catch {
    return undefined;
  }
  const commit = r.env.project?.gitCommit ?? (r.servebench as { gitCommit?: unknown }).gitCommit;
  return {
    path,
    kind: r.kind,
    suites: r.kind === 'bench' ? (r.data as BenchData).suites.map((s) => s.suite) : [],
    createdAt: r.createdAt,
    gitCommit: typeof commit === 'string' && commit !== '' ? commit : '-',
    host: `${r.env.host.hostname} (${r.env.cpu.model}, ${r.env.cpu.logicalCores} cores)`,
  };
}

/** Every results file under `dir` (at most `depth` folders down), newest first. */
export function listRuns(dir: string, depth = 6): RunListing[] {
  const files: string[] = [];
  jsonFiles(dir, depth, files);
  return files
    .map(describeFile)
    .filter((r): r is RunListing => r !== undefined)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.path.localeCompare(b.path)));
}
