import { describe, expect, it } from 'vitest';
import { OptionError } from '../src/errors.js';
import { kernels } from '../src/kernels/index.js';
import { parseServeOptions } from '../src/commands/serve.js';
import { resolveSystemOptions } from '../src/serving/options.js';
import type { SystemOptions } from '../src/serving/types.js';

const base: SystemOptions = { path: 'async', topology: 'single', predict: 'io', store: 'memory' };

describe('serving options are validated at the edge', () => {
  it('fills defaults', () => {
    const o = resolveSystemOptions({ ...base, topology: 'cluster' });
    expect(o.workers).toBeGreaterThanOrEqual(1);
    expect(o.host).toBe('127.0.0.1');
    expect(o.port).toBe(0);
    expect(o.timeoutsMs.model).toBe(2000);
    expect(o.kernel).toBeUndefined();
  });

  it.each([
    [{ ...base, kernel: 'typed' as const }, '--kernel', /only to --predict cpu/],
    [{ ...base, n: 1000 }, '--n', /only to --predict cpu/],
    [{ ...base, predict: 'cpu' as const, n: 30_000_000 }, '--n', /between 1 and 20000000/],
    [{ ...base, predict: 'cpu' as const, nMax: 100, n: 101 }, '--n', /between 1 and 100/],
    [{ ...base, topology: 'cluster' as const, workers: 0 }, '--workers', /between 1 and 256/],
    [{ ...base, workers: 2 }, '--workers', /single runs one process/],
    [{ ...base, store: 'redis' as const, redisUrl: 'http://x' }, '--redis-url', /redis:\/\//],
    [{ ...base, path: 'sync' as const, predict: 'cpu' as const, kernel: 'native-async' as const }, '--kernel', /sync path/],
    [{ ...base, path: 'both' as never }, '--path', /sync, async/],
  ])('rejects %j naming %s', (opts, option, message) => {
    let err: unknown;
    try {
      resolveSystemOptions(opts);
    } catch (e) {
      err = e;
    }
    // native-async may be unavailable here: then the error is about its availability, still naming it.
    if (option === '--kernel' && opts.kernel === 'native-async' && !(err instanceof OptionError)) {
      expect(String(err)).toMatch(/native-async/);
      return;
    }
    expect(err).toBeInstanceOf(OptionError);
    expect((err as OptionError).option).toBe(option);
    expect((err as Error).message).toMatch(message);
  });

  it('a kernel whose addon is missing is a clear error, never a JS substitute', () => {
    const missing = kernels.filter((k) => !k.availability().available);
    for (const k of missing) {
      expect(() => resolveSystemOptions({ ...base, path: 'async', predict: 'cpu', kernel: k.name })).toThrow(new RegExp(`${k.name} is unavailable`));
    }
  });

  it('the async path says where a cpu predict runs', () => {
    const o = resolveSystemOptions({ ...base, predict: 'cpu', kernel: 'typed' });
    expect(o.placement).toBe('worker-pool');
    expect(o.notes.join(' ')).toMatch(/worker-thread pool/);
    const s = resolveSystemOptions({ ...base, path: 'sync', predict: 'cpu' });
    expect(s.placement).toBe('inline');
    expect(s.kernel).toBe('typed');
  });

  it('the serve command parses and checks its strings', () => {
    const raw = { path: 'sync', topology: 'nginx', predict: 'cpu', store: 'redis' };
    expect(parseServeOptions({ ...raw, workers: '3', n: '1e5', featureTimeout: '250ms' })).toMatchObject({
      workers: 3,
      n: 100_000,
      timeoutsMs: { featureRead: 250 },
    });
    expect(() => parseServeOptions({ ...raw, workers: 'x' })).toThrow(/--workers/);
    expect(() => parseServeOptions({ ...raw, topology: 'k8s' })).toThrow(/--topology: must be one of single, cluster, nginx/);
    expect(() => parseServeOptions({ ...raw, kernel: 'fast' })).toThrow(/--kernel/);
  });
});
