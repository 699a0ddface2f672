// Reading a results file back: clear errors for a missing file, bad JSON, another schema or version.

import { readFileSync } from 'node:fs';
import { ServebenchError } from '../errors.js';
import { type ResultEnvelope, SCHEMA_VERSION } from './envelope.js';
import { isOneOf, RESULT_KINDS, type ResultKind } from './vocab.js';

/** Read and check a results file: clear errors for a missing file, bad JSON, another schema or version. */
export function readResults(path: string): ResultEnvelope<ResultKind, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ServebenchError('SB_ERR_INPUT', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ServebenchError('SB_ERR_INPUT', `${path} is not valid JSON: ${(err as Error).message}`);
  }
  const v = value as Partial<ResultEnvelope<ResultKind, unknown>>;
  if (typeof value !== 'object' || value === null || v.schema !== 'servebench') {
    throw new ServebenchError('SB_ERR_INPUT', `${path} is not a servebench results file (no "schema": "servebench")`);
  }
  if (typeof v.version !== 'number' || v.version > SCHEMA_VERSION) {
    throw new ServebenchError('SB_ERR_INPUT', `${path} has schema version ${String(v.version)}; this servebench reads versions up to ${SCHEMA_VERSION}`);
  }
  if (!isOneOf(RESULT_KINDS, v.kind)) {
    throw new ServebenchError('SB_ERR_INPUT', `${path} has an unknown kind '${String(v.kind)}' (expected one of ${RESULT_KINDS.join(', ')})`);
  }
  if (v.env === undefined || v.data === undefined) throw new ServebenchError('SB_ERR_INPUT', `${path} lacks its env or data block`);
  return v as ResultEnvelope<ResultKind, unknown>;
}
