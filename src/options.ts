// Option parsers shared by the commands: each validates once, at the edge, and names the option and the
// allowed range in its error.

import { OptionError } from './errors.js';

/** A number written plainly or in exponent form ('1e5', '100000', '1_000'). */
export function parseNumber(option: string, raw: string): number {
  const v = Number(raw.replaceAll('_', '').trim());
  if (raw.trim() === '' || !Number.isFinite(v)) throw new OptionError(option, `expected a number, got '${raw}'`);
  return v;
}

/** An integer in [min, max]. */
export function parseInteger(option: string, raw: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  const v = parseNumber(option, raw);
  if (!Number.isInteger(v)) throw new OptionError(option, `expected an integer, got '${raw}'`);
  if (v < min || v > max) throw new OptionError(option, `must be between ${min} and ${max}, got ${v}`);
  return v;
}

/** A comma-separated list of integers in [min, max], e.g. '1e3,1e5'. */
export function parseIntegerList(option: string, raw: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number[] {
  const parts = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new OptionError(option, 'expected a comma-separated list, got nothing');
  return parts.map((p) => parseInteger(option, p, min, max));
}

/** One of the allowed values. */
export function parseChoice<T extends string>(option: string, raw: string, allowed: readonly T[]): T {
  return checkChoice(option, raw as T, allowed);
}

/** A comma-separated list of allowed values. */
export function parseChoiceList<T extends string>(option: string, raw: string, allowed: readonly T[]): T[] {
  return raw.split(',').map((s) => parseChoice(option, s.trim(), allowed));
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration: '500ms', '10s', '2m', or a bare number of seconds. Returns milliseconds, within [minMs, maxMs]. */
export function parseDuration(option: string, raw: string, minMs = 1, maxMs = 24 * 3_600_000): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(raw);
  if (m === null) throw new OptionError(option, `expected a duration such as 500ms, 10s or 2m; got '${raw}'`);
  const ms = Number(m[1]) * DURATION_UNITS[m[2] ?? 's']!;
  if (ms < minMs || ms > maxMs) throw new OptionError(option, `must be between ${minMs} ms and ${maxMs} ms, got ${ms} ms`);
  return ms;
}

/** An http(s) URL. */
export function parseUrl(option: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OptionError(option, `expected a URL such as http://127.0.0.1:8080/score; got '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OptionError(option, `expected an http or https URL; got '${raw}'`);
  return url;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: KiB, kib: KiB, m: MiB, mib: MiB, g: GiB, gib: GiB, kb: 1e3, mb: 1e6, gb: 1e9 };

/** A size in bytes: '2GiB', '512M', '1.5g', '2147483648' (bytes), '800MB' (decimal). */
export function parseByteSize(option: string, raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
  const unit = m?.[2]?.toLowerCase() ?? '';
  if (m === null || BYTE_UNITS[unit] === undefined) throw new OptionError(option, `expected a size such as 2GiB, 512MiB or 1.5G; got '${raw}'`);
  return Math.round(Number(m[1]) * BYTE_UNITS[unit]);
}

// Options given as values (API options, defaults) rather than text: the same checks and messages.

/** An integer in [min, max]. */
export function checkInteger(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new OptionError(option, `must be an integer between ${min} and ${max}, got ${value}`);
  return value;
}

/** One of the allowed values. */
export function checkChoice<T extends string>(option: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw new OptionError(option, `must be one of ${allowed.join(', ')}; got '${String(value)}'`);
  return value;
}
