// The envelope every results file is: { schema, version, kind, createdAt, servebench, env, data }. Bump
// SCHEMA_VERSION on a change and keep the renderers able to read the previous version.

import type { EnvBlock } from './env.js';
import type { ResultKind } from './vocab.js';

export const SCHEMA_VERSION = 1 as const;

export type { ResultKind } from './vocab.js';

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
