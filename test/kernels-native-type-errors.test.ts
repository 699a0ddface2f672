// A wrong argument type to a native kernel gives a TypeError that names what was passed; the async
// kernel rejects with it. Nothing crashes and nothing is copied behind the caller's back.

import { beforeEach, describe, expect, it } from 'vitest';
import { loadNative, native, nativeAsync, nativeParallel } from '../src/kernels/index.js';
import { needTool } from './needs-tool.js';

const load = loadNative();

describe('native argument types', () => {
  beforeEach((ctx) => needTool(ctx, 'the native addon', 'binding' in load, 'a Rust toolchain: npm run build:native'));
  const wrong: [string, unknown, RegExp][] = [
    ['a plain Array', [1, 2, 3], /got an Array/],
    ['a Float32Array', new Float32Array(3), /got a Float32Array/],
    ['a number', 42, /got a number/],
    ['a string', '1,2,3', /got a string/],
    ['undefined', undefined, /got undefined/],
    ['null', null, /got null/],
    ['an object', { length: 3 }, /got an object/],
  ];

  for (const [label, value, message] of wrong) {
    it(`rejects ${label} with a TypeError`, async () => {
      const expectType = (fn: () => unknown) => {
        let caught: unknown;
        try {
          fn();
        } catch (err) {
          caught = err;
        }
        expect(caught).toBeInstanceOf(TypeError);
        expect((caught as Error).message).toMatch(/expected the values as a Float64Array/);
        expect((caught as Error).message).toMatch(message);
      };
      expectType(() => native.mean(value as Float64Array));
      expectType(() => nativeParallel.mean(value as Float64Array));
      await expect(nativeAsync.mean(value as Float64Array)).rejects.toThrow(TypeError);
      await expect(nativeAsync.mean(value as Float64Array)).rejects.toThrow(message);
    });
  }

  it('still works after the errors', () => {
    expect(native.mean(new Float64Array([1, 2, 3]))).toBe(2);
  });
});
