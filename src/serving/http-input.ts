// What a service accepts as a request body, checked before anything walks it: a JSON content type, JSON text
// whose nesting and strings stay within bounds (scanned in one pass over the text, before JSON.parse), and an
// object. Error messages quote at most a short excerpt of what was sent, so a hostile body never comes back.

import { errorMessage } from '../errors.js';
import { HttpError } from './http-error.js';

/** Limits on a JSON body's shape, applied to the raw text before it is parsed. */
export const JSON_LIMITS = {
  /** Nesting of arrays and objects. */
  maxDepth: 32,
  /** Characters of one string (keys included), counted in UTF-16 code units, an escape as one. */
  maxStringChars: 1024,
} as const;

/** The longest excerpt of a client's input an error message quotes. */
const EXCERPT_CHARS = 80;

/** At most `max` characters of `text`, with '…' when cut. */
export function excerpt(text: string, max: number = EXCERPT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** `text` cut to an excerpt and quoted as a JSON string, for messages. */
export function quoted(text: string): string {
  return JSON.stringify(excerpt(text));
}

/**
 * A request body must say it is JSON: `application/json`, optionally with `charset=utf-8`; anything else
 * (or no content type) is a 415 naming what was sent.
 */
export function requireJsonContentType(header: string | undefined): void {
  if (header === undefined || header.trim() === '') {
    throw new HttpError(415, 'unsupported_media_type', 'content-type: required, application/json (this service reads JSON bodies only)');
  }
  const [type = '', ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  const badParam = params.find((p) => p !== '' && !/^charset=(?:"?utf-?8"?)$/.test(p));
  if (type !== 'application/json' || badParam !== undefined) {
    const why = type === 'application/json' ? `the parameter ${quoted(badParam ?? '')} (only charset=utf-8 is read)` : 'a body that is not JSON';
    throw new HttpError(415, 'unsupported_media_type', `content-type ${quoted(header)}: expected application/json; got ${why}`);
  }
}

/**
 * Refuse JSON text nested deeper than `maxDepth` or holding a string longer than `maxStringChars`, in one
 * pass over the text (no recursion, nothing built): a 400 naming the limit. Malformed text is left to the
 * parser, which says what is wrong with it.
 */
export function checkJsonLimits(text: string, limits: { maxDepth: number; maxStringChars: number } = JSON_LIMITS): void {
  let depth = 0;
  let inString = false;
  let stringStart = 0;
  let stringChars = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x22) inString = false;
      else {
        // An escape is one character: skip its backslash and, for \uXXXX, its four digits.
        if (c === 0x5c) i += text.charCodeAt(i + 1) === 0x75 ? 5 : 1;
        if (++stringChars > limits.maxStringChars) {
          throw new HttpError(
            400,
            'json_string_too_long',
            `a JSON string of more than ${limits.maxStringChars} characters (at offset ${stringStart}): ` +
              `the limit is ${limits.maxStringChars}; it begins ${quoted(text.slice(stringStart + 1, stringStart + 1 + EXCERPT_CHARS + 1))}`,
          );
        }
      }
    } else if (c === 0x22) {
      inString = true;
      stringStart = i;
      stringChars = 0;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limits.maxDepth) {
        throw new HttpError(400, 'json_too_deep', `JSON nested more than ${limits.maxDepth} levels deep (at offset ${i}): the limit is ${limits.maxDepth}`);
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** Parse a body as a JSON object within the limits; anything else is a 400 naming what was wrong. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) throw new HttpError(400, 'bad_json', 'empty body: expected a JSON object');
  const text = body.toString('utf8');
  checkJsonLimits(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'bad_json', `malformed JSON: ${excerpt(errorMessage(err), 2 * EXCERPT_CHARS)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'bad_body', `expected a JSON object, got ${describeJson(value)}`);
  }
  return value as Record<string, unknown>;
}

/** A short description of a JSON value for error messages: its type and at most an excerpt of it. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return `the string ${quoted(value)}`;
    case 'object':
      // Within the depth limit (checked before parsing), so serialising it is bounded by the body's size.
      return `an object ${excerpt(JSON.stringify(value))}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${excerpt(String(value))}`;
    default:
      return typeof value;
  }
}

/** An optional integer field in [min, max]. */
export function optionalInteger(obj: Record<string, unknown>, field: string, min: number, max: number): number | undefined {
  const v = obj[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new HttpError(400, 'bad_field', `${field}: expected an integer, got ${describeJson(v)}`);
  if (v < min || v > max) throw new HttpError(400, 'n_out_of_range', `${field}: must be between ${min} and ${max}, got ${v}`);
  return v;
}
