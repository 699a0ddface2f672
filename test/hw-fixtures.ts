// Fake /proc and /sys trees for the hardware tests: a folder with the given files, read through
// createHostSources({ root }), so every parser can be checked against a host that says exactly this.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createHostSources, type HostSources, type OsFacts } from '../src/env/sources.js';

export interface FakeHost {
  root: string;
  sources: HostSources;
  remove(): void;
}

/** A fake root holding `files` (path -> text) and `links` (path -> target below the root). */
export function fakeHost(files: Record<string, string>, options: { links?: Record<string, string>; os?: Partial<OsFacts> } = {}): FakeHost {
  const root = mkdtempSync(join(tmpdir(), 'servebench-hw-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  for (const [path, target] of Object.entries(options.links ?? {})) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    mkdirSync(join(root, target), { recursive: true });
    symlinkSync(join(root, target), join(root, path));
  }
  const sources = createHostSources({ root, systeminformation: false, commands: false, ...(options.os === undefined ? {} : { os: options.os }) });
  return { root, sources, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Paths of every empty string in a value: the report must say 'unknown (reason)' instead. */
export function emptyStrings(value: unknown, path = '$'): string[] {
  if (value === '') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => emptyStrings(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => emptyStrings(v, `${path}.${k}`));
  return [];
}
