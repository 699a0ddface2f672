// Your own request data for --target (and for a server profiled from its command): a body from a file
// (--body @FILE), many bodies from an NDJSON file (--bodies FILE, one body a line, sent in turn or at random
// with the seed), and headers from a file (--header @FILE, one 'name: value' a line). Read once, at the edge;
// a malformed file is an OptionError naming the option, the file and the line (exit 2).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OptionError, errorMessage } from '../errors.js';
import type { RequestDataEcho } from '../results/request-data.js';
import { createRng } from '../stats/index.js';

/** The HTTP methods a --target (or your own server) may be sent. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'] as const;

/** The order bodies are sent in: the file's (each connection goes through them in turn), or a seeded random one. */
export const BODY_ORDERS = ['turn', 'random'] as const;
type BodyOrder = (typeof BODY_ORDERS)[number];

/** What the request-data options give, before reading any file. */
export interface RequestDataOptions {
  /** --body values: a literal body, or @FILE (the file's contents). */
  body: readonly string[];
  /** --bodies FILE.ndjson */
  bodies?: string;
  /** @default 'turn' */
  order?: BodyOrder;
  /** --header values: 'name: value', or @FILE (one a line). */
  header: readonly string[];
  /** Seed of the random order. */
  seed: number;
}

export interface RequestData {
  bodies: string[];
  /** Lower-case names. */
  headers: Record<string, string>;
  echo: RequestDataEcho;
}

/** Bodies in a random order: a seeded sequence this long at most (the engines go through it in turn). */
const RANDOM_SEQUENCE_MAX = 4096;

function readText(option: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : errorMessage(err);
    throw new OptionError(option, `${file}: ${why}`);
  }
  if (text.trim() === '') throw new OptionError(option, `${file}: the file is empty`);
  return text;
}

/** The lines of a file with their 1-based numbers, blank ones left out. */
function numberedLines(text: string): { line: number; text: string }[] {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t }))
    .filter((l) => l.text.trim() !== '');
}

/** One request body a line; every line must be JSON (the body is sent as written). */
function readBodiesFile(file: string): string[] {
  const out: string[] = [];
  for (const l of numberedLines(readText('--bodies', file))) {
    try {
      JSON.parse(l.text);
    } catch (err) {
      const shown = l.text.length > 60 ? `${l.text.slice(0, 60)}...` : l.text;
      throw new OptionError('--bodies', `${file}: line ${l.line} is not JSON (${errorMessage(err)}): ${shown}`);
    }
    out.push(l.text.trim());
  }
  return out;
}

/** One 'name: value' a line. */
function readHeadersFile(file: string): [string, string][] {
  return numberedLines(readText('--header', file)).map((l) => {
    const h = splitHeader(l.text);
    if (h === undefined) throw new OptionError('--header', `${file}: line ${l.line} is not 'name: value' (no colon after a name): ${l.text.trim()}`);
    return h;
  });
}

function splitHeader(raw: string): [string, string] | undefined {
  const i = raw.indexOf(':');
  if (i <= 0 || raw.slice(0, i).trim() === '') return undefined;
  return [raw.slice(0, i).trim().toLowerCase(), raw.slice(i + 1).trim()];
}

/** A --header value: 'name: value'. */
function parseHeader(raw: string): [string, string] {
  const h = splitHeader(raw);
  if (h === undefined) throw new OptionError('--header', `expected 'name: value' (or @FILE), got '${raw}'`);
  return h;
}

/** A seeded random sequence of the bodies (each drawn independently), for engines that send a list in turn. */
function randomSequence(bodies: readonly string[], seed: number): string[] {
  if (bodies.length < 2) return [...bodies];
  const rng = createRng(seed ^ 0xb0d1e5);
  const length = Math.min(RANDOM_SEQUENCE_MAX, Math.max(256, bodies.length * 4));
  return Array.from({ length }, () => bodies[Math.floor(rng() * bodies.length)]!);
}

/** Read every file the options name and give the bodies (in their sending order) and headers. */
export function readRequestData(o: RequestDataOptions): RequestData {
  const files: string[] = [];
  const bodies: string[] = [];
  for (const b of o.body) {
    if (!b.startsWith('@')) {
      bodies.push(b);
      continue;
    }
    const file = b.slice(1);
    if (file === '') throw new OptionError('--body', "expected @FILE after '@'");
    bodies.push(readText('--body', file));
    files.push(file);
  }
  if (o.bodies !== undefined) {
    bodies.push(...readBodiesFile(o.bodies));
    files.push(o.bodies);
  }
  const order = o.order ?? 'turn';
  if (order === 'random' && bodies.length < 2) throw new OptionError('--bodies-order', 'random needs at least two bodies (--bodies FILE, or --body twice)');
  const headerFiles: string[] = [];
  const headers: Record<string, string> = {};
  for (const h of o.header) {
    if (!h.startsWith('@')) {
      const [k, v] = parseHeader(h);
      headers[k] = v;
      continue;
    }
    headerFiles.push(h.slice(1));
    for (const [k, v] of readHeadersFile(h.slice(1))) headers[k] = v;
  }
  // JSON bodies get their content type unless a header says otherwise.
  if (bodies.length > 0 && headers['content-type'] === undefined && bodies.every((b) => /^\s*[[{]/.test(b))) headers['content-type'] = 'application/json';
  return {
    bodies: order === 'random' ? randomSequence(bodies, o.seed) : bodies,
    headers,
    echo: { bodies: bodies.length, files, order, headerFiles },
  };
}
