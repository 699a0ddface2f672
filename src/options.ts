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
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new OptionError(option, 'expected a comma-separated list, got nothing');
  return parts.map((p) => parseInteger(option, p, min, max));
}

/** One of the allowed values. */
export function parseChoice<T extends string>(option: string, raw: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new OptionError(option, `must be one of ${allowed.join(', ')}; got '${raw}'`);
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
