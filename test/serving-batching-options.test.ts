// --batching max-size=B,max-wait=W: parsed with defaults for a setting left out; a bad setting is an option
// error naming it (exit 2 from the CLI), on serve and load alike (parsed by the one function); the queue path refuses it.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BATCHING_DEFAULTS, formatBatching, parseBatching } from '../src/serving/batching/settings.js';
import { resolveSystemOptions } from '../src/serving/options.js';

function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['bin/servebench.js', ...args], { timeout: 30_000 }, (err, _stdout, stderr) => {
      done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stderr });
    });
  });
}

describe('--batching settings', () => {
  it('parses both settings, units on max-wait, and defaults for one left out', () => {
    expect(parseBatching('max-size=16,max-wait=2ms')).toEqual({ maxSize: 16, maxWaitMs: 2 });
    expect(parseBatching('max-wait=0.01s')).toEqual({ maxSize: BATCHING_DEFAULTS.maxSize, maxWaitMs: 10 });
    expect(parseBatching('max-size=1')).toEqual({ maxSize: 1, maxWaitMs: BATCHING_DEFAULTS.maxWaitMs });
    expect(formatBatching({ maxSize: 8, maxWaitMs: 0 })).toBe('max-size=8,max-wait=0ms');
  });

  it('names the bad setting', () => {
    expect(() => parseBatching('max-size=0')).toThrow(/--batching max-size: must be an integer between 1 and 1024/);
    expect(() => parseBatching('max-size=2.5')).toThrow(/--batching max-size/);
    expect(() => parseBatching('max-wait=1001')).toThrow(/--batching max-wait: must be between 0 and 1000 ms/);
    expect(() => parseBatching('max-wait=soon')).toThrow(/--batching max-wait: expected milliseconds/);
    expect(() => parseBatching('size=4')).toThrow(/--batching: unknown setting 'size'/);
    expect(() => parseBatching('max-size=4,max-size=8')).toThrow(/--batching max-size: given twice/);
    expect(() => parseBatching('')).toThrow(/--batching: expected max-size=B,max-wait=W/);
    expect(() => resolveSystemOptions({ path: 'queue', topology: 'single', predict: 'io', store: 'memory', batching: { maxSize: 4, maxWaitMs: 1 } })).toThrow(
      /--batching: applies to the model APIs of the sync and async paths/,
    );
  });

  it('exits 2 naming the setting', async () => {
    const load = await cli(['load', '--batching', 'max-wait=5s']);
    expect(load.code).toBe(2);
    expect(load.stderr).toMatch(/--batching max-wait/);
  });
});
