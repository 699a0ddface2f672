// Where things live on disk: the package root, compiled entry points for child processes, output folders.

import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'native'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`servebench: cannot find the package root above ${start}`);
    dir = parent;
  }
}

/** The servebench package root (the folder of package.json), whether running from src/ or dist/. */
export const packageRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

/**
 * The compiled JavaScript file for a module under src/ or benchmarks/, for starting it as a child process.
 * Children always run compiled code (profilers see plain JS and real function names); `npm run build` makes it.
 * @param relative path below the package root without extension, e.g. 'src/serving/model-api-main'
 */
export function compiledEntry(relative: string): string {
  const file = join(packageRoot, 'dist', `${relative}.js`);
  if (!existsSync(file)) {
    throw new Error(`servebench: ${file} is missing; run \`npm run build\` first`);
  }
  return file;
}

/** Default parent of the run folders: reports/ under the working folder (never the package's install folder). */
export function defaultReportsDir(): string {
  return resolve('reports');
}

/** Default parent of the profile runs (flame graphs, clinic reports): profiles/ under the working folder. */
export function defaultProfilesDir(): string {
  return resolve('profiles');
}

/**
 * A new run folder `<parent>/<name>-<stamp>` that did not exist before (a suffix -2, -3... when two runs
 * start in the same second): a run never writes into an earlier run's folder.
 */
export function newRunDir(parent: string, name: string, stamp: string = runStamp()): string {
  mkdirSync(parent, { recursive: true });
  for (let i = 1; ; i++) {
    const dir = join(resolve(parent), i === 1 ? `${name}-${stamp}` : `${name}-${stamp}-${i}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** A sortable, filesystem-safe timestamp for run folders: 20261122-043430. */
export function runStamp(date: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

/** Resolve and create an output folder. */
export function ensureDir(dir: string): string {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  return abs;
}
