// The input checks every service runs before it walks a body (src/serving/http-input.ts), without a server:
// the one-pass scan of nesting depth and string length, excerpts, and the content type.
import { describe, expect, it } from 'vitest';
import { HttpError } from '../src/serving/http-error.js';
import { JSON_LIMITS, checkJsonLimits, describeJson, excerpt, parseJsonObject, requireJsonContentType } from '../src/serving/http-input.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof HttpError ? `${err.status} ${err.code}` : String(err);
  }
}

describe('checkJsonLimits', () => {
  it('counts nesting across arrays and objects, not brackets inside strings', () => {
    const at = (depth: number) => `${'[{"a":'.repeat(depth / 2)}1${'}]'.repeat(depth / 2)}`;
    expect(codeOf(() => checkJsonLimits(at(JSON_LIMITS.maxDepth)))).toBeUndefined();
    expect(codeOf(() => checkJsonLimits(at(JSON_LIMITS.maxDepth + 2)))).toBe('400 json_too_deep');
    expect(codeOf(() => checkJsonLimits(JSON.stringify({ s: '['.repeat(500) })))).toBeUndefined();
    expect(codeOf(() => checkJsonLimits(`${'['.repeat(100_000)}`))).toBe('400 json_too_deep');
  });

  it('counts string characters with an escape as one, keys included', () => {
    const max = JSON_LIMITS.maxStringChars;
    expect(codeOf(() => checkJsonLimits(JSON.stringify({ k: 'x'.repeat(max) })))).toBeUndefined();
    expect(codeOf(() => checkJsonLimits(JSON.stringify({ k: 'x'.repeat(max + 1) })))).toBe('400 json_string_too_long');
    expect(codeOf(() => checkJsonLimits(JSON.stringify({ ['k'.repeat(max + 1)]: 1 })))).toBe('400 json_string_too_long');
    // \n and \u00e9 are one character each once parsed.
    expect(codeOf(() => checkJsonLimits(`["${'\\n'.repeat(max)}"]`))).toBeUndefined();
    expect(codeOf(() => checkJsonLimits(`["${'\\u00e9'.repeat(max)}"]`))).toBeUndefined();
    expect(codeOf(() => checkJsonLimits(`["${'\\u00e9'.repeat(max + 1)}"]`))).toBe('400 json_string_too_long');
    // An escaped quote does not end the string.
    expect(codeOf(() => checkJsonLimits(`["${'\\"'.repeat(max + 1)}"]`))).toBe('400 json_string_too_long');
  });

  it('is checked by parseJsonObject before parsing', () => {
    expect(codeOf(() => parseJsonObject(Buffer.from(`{"a":${'['.repeat(10_000)}`)))).toBe('400 json_too_deep');
    expect(codeOf(() => parseJsonObject(Buffer.from('{"a":')))).toBe('400 bad_json');
  });
});

describe('messages quote a bounded excerpt', () => {
  it('cuts at 80 characters with an ellipsis', () => {
    expect(excerpt('abc')).toBe('abc');
    expect(excerpt('x'.repeat(81))).toBe(`${'x'.repeat(80)}…`);
    expect(describeJson('y'.repeat(10_000)).length).toBeLessThan(100);
    expect(describeJson(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]))).length).toBeLessThan(100);
    expect(describeJson([1, 2, 3])).toBe('an array of 3');
    expect(describeJson(5)).toBe('number 5');
  });
});

describe('requireJsonContentType', () => {
  it.each([
    ['application/json', undefined],
    ['application/json; charset=utf-8', undefined],
    ['Application/JSON;charset="UTF-8"', undefined],
    ['application/json;charset=utf8', undefined],
    [undefined, '415 unsupported_media_type'],
    ['', '415 unsupported_media_type'],
    ['text/plain', '415 unsupported_media_type'],
    ['application/json; charset=latin1', '415 unsupported_media_type'],
    ['application/jsonp', '415 unsupported_media_type'],
  ])('%j', (header, code) => {
    expect(codeOf(() => requireJsonContentType(header))).toBe(code);
  });
});
