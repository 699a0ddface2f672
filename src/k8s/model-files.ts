// The model files given with --model, --model-a and --model-b, read to travel to the pods in a ConfigMap
// (mounted at /etc/servebench/models). A ConfigMap holds at most 1 MiB: a larger model goes into an image
// of its own instead (docs/kubernetes.md).

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { OptionError } from '../errors.js';
import type { SystemOptions } from '../serving/index.js';
import type { ModelFile } from './settings.js';

/** What one ConfigMap can hold (etcd's limit on an object), base64 included. */
const CONFIG_MAP_LIMIT_BYTES = 1_000_000;

export function readModelFiles(o: SystemOptions): ModelFile[] {
  const given: [ModelFile['option'], string | undefined][] = [
    ['--model', o.modelFile],
    ['--model-a', o.modelFiles?.a],
    ['--model-b', o.modelFiles?.b],
  ];
  const files = given.flatMap(([option, path]) => {
    if (path === undefined) return [];
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      throw new OptionError(option, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    return [{ option, key: `${option.slice(2)}${extname(path)}`, bytes }];
  });
  const base64Bytes = files.reduce((a, f) => a + Math.ceil(f.bytes.length / 3) * 4, 0);
  if (base64Bytes > CONFIG_MAP_LIMIT_BYTES) {
    const largest = [...files].sort((a, b) => b.bytes.length - a.bytes.length)[0]!;
    throw new OptionError(
      largest.option,
      `the model files take ${base64Bytes} bytes in a ConfigMap, above its limit of about 1 MiB: ` +
        'put the model in an image of your own instead (FROM servebench, COPY it over /app/models/model-a.onnx; see docs/kubernetes.md)',
    );
  }
  return files;
}
