// The feature store a run uses when none is named (load, experiments, profile, bench): Redis wherever one can
// be had (REDIS_URL set, or a redis-server on PATH that servebench starts), the embedded in-process store only
// when it cannot, and then with the reason, which the output and the report's doubtful figures repeat.

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { StoreChoiceEcho } from '../results/load-options.js';
import type { StoreKind } from '../results/vocab.js';

/** Whether an executable file of this name is in one of PATH's folders. */
function onPath(name: string, path: string | undefined): boolean {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return true;
    } catch {
      // Not in this folder: try the next.
    }
  }
  return false;
}

/**
 * The default store for this environment: 'redis' when REDIS_URL (or the given URL) is set or redis-server is
 * on PATH, else 'memory' with the reason. Reads the environment only (nothing is started).
 */
export function defaultStoreChoice(redisUrl?: string, env: NodeJS.ProcessEnv = process.env): { store: StoreKind; fallback?: string } {
  const url = redisUrl ?? env.REDIS_URL;
  if (url !== undefined && url !== '') return { store: 'redis' };
  if (onPath('redis-server', env.PATH)) return { store: 'redis' };
  return {
    store: 'memory',
    fallback: 'no redis-server found: REDIS_URL is not set and no redis-server is on PATH (Debian: apt-get install redis-server)',
  };
}

/** The store a run uses: the one named, else the default, echoed with how it was chosen. */
export function resolveStore(named: StoreKind | undefined, redisUrl?: string): StoreChoiceEcho {
  if (named !== undefined) return { kind: named, chosen: 'named' };
  const d = defaultStoreChoice(redisUrl);
  return d.fallback === undefined ? { kind: d.store, chosen: 'default' } : { kind: d.store, chosen: 'default', fallback: d.fallback };
}
