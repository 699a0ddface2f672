// The versioned result types: the one contract between measuring and rendering. Every results file is an
// envelope { schema, version, kind, createdAt, servebench, env, data }. Bump SCHEMA_VERSION on a change and
// keep the renderers able to read the previous version.

import type { EnvBlock } from './schema/env.js';

export * from './schema/common.js';
export * from './schema/env.js';
export * from './schema/kernels.js';
export * from './schema/serving.js';
export * from './schema/load.js';
export * from './schema/profile.js';
export * from './schema/hardware.js';
export * from './schema/bench.js';
export * from './schema/capacity.js';

export const SCHEMA_VERSION = 1 as const;

export type ResultKind = 'kernels' | 'load' | 'profile' | 'hardware' | 'bench' | 'capacity';

export interface ResultEnvelope<K extends ResultKind, D> {
  schema: 'servebench';
  version: typeof SCHEMA_VERSION;
  kind: K;
  createdAt: string;
  servebench: {
    version: string;
    /** The command line that produced the file. */
    argv: string[];
  };
  env: EnvBlock;
  data: D;
}

export function envelope<K extends ResultKind, D>(kind: K, env: EnvBlock, data: D, version: string): ResultEnvelope<K, D> {
  return {
    schema: 'servebench',
    version: SCHEMA_VERSION,
    kind,
    createdAt: new Date().toISOString(),
    servebench: { version, argv: process.argv.slice(2) },
    env,
    data,
  };
}
