// Which engine runs, and why, without starting anything: native for both loops where the addon loads (and
// the target speaks plain http), else the JS engines with the reason; --engine native refused when it
// cannot run; options that do not fit the engine refused, naming the option; the native engine's default
// threads (the cores the system under test leaves free); and the native run's configuration.

import { describe, expect, it } from 'vitest';
import { OptionError } from '../src/errors.js';
import type { NativeLoadRun } from '../src/kernels/native-binding.js';
import { chooseEngines, defaultGeneratorThreads, expectedServerCores, type EngineHost, type EngineOptions } from '../src/load/engine-choice.js';
import { nativePlan } from '../src/load/engines/native.js';
import { closedNative, openNative, runOptions } from './load-engine-native-fixtures.js';

const loaded: NativeLoadRun = { available: true, LoadRun: class {} as unknown as Extract<NativeLoadRun, { available: true }>['LoadRun'] };
const missing: NativeLoadRun = { available: false, reason: 'no addon here' };
const host: EngineHost = { native: loaded, serverCores: 3, cores: 8 };

describe('chooseEngines', () => {
  it('picks native for both loops by default, with one thread per core the system leaves', () => {
    expect(chooseEngines({}, host)).toEqual({
      loop: 'closed',
      closed: 'native',
      open: 'native',
      engine: 'native',
      reason: 'default',
      explicit: false,
      generatorThreads: 5,
    });
    expect(chooseEngines({ rateRps: 100 }, host)).toMatchObject({ loop: 'open', engine: 'native', reason: 'default' });
    expect(chooseEngines({ loop: 'open' }, host)).toMatchObject({ loop: 'open', engine: 'native' });
    expect(chooseEngines({ generatorThreads: 2 }, host).generatorThreads).toBe(2);
  });

  it('falls back to the JS engines with the reason when the addon is unavailable, or the target is https', () => {
    expect(chooseEngines({}, { ...host, native: missing })).toMatchObject({
      closed: 'autocannon',
      open: 'open',
      engine: 'autocannon',
      reason: 'fallback: native addon unavailable: no addon here',
    });
    expect(chooseEngines({ rateRps: 10 }, { ...host, native: missing })).toMatchObject({ loop: 'open', engine: 'open' });
    expect(chooseEngines({}, { ...host, targetUrl: 'https://example.com/' }).reason).toMatch(/^fallback: the native engine speaks plain HTTP\/1\.1/);
  });

  it('keeps an engine named with --engine, and the JS closed loop under --engine open', () => {
    expect(chooseEngines({ engine: 'autocannon' }, host)).toMatchObject({ closed: 'autocannon', engine: 'autocannon', reason: '--engine', explicit: true });
    expect(chooseEngines({ engine: 'open' }, host)).toMatchObject({ loop: 'open', closed: 'autocannon', open: 'open', engine: 'open' });
    expect(chooseEngines({ engine: 'native', rateRps: 5 }, host)).toMatchObject({ loop: 'open', open: 'native', reason: '--engine' });
  });

  it.each<[string, EngineOptions, EngineHost, RegExp]>([
    ['--engine native without the addon', { engine: 'native' }, { ...host, native: missing }, /^--engine: native: native addon unavailable: no addon here/],
    ['--rate with autocannon', { engine: 'autocannon', rateRps: 5 }, host, /^--rate: needs --engine open or native/],
    ['--loop closed with --rate', { loop: 'closed', rateRps: 5 }, host, /^--loop: closed contradicts --rate/],
    ['--loop open with autocannon', { loop: 'open', engine: 'autocannon' }, host, /^--loop: open needs --engine open or native/],
    ['--loop closed with the open engine', { loop: 'closed', engine: 'open' }, host, /^--loop: closed needs --engine autocannon or native/],
    ['--connections in an open loop', { loop: 'open', connections: 4 }, host, /^--connections: applies to the closed-loop engines/],
    ['--generator-workers with native', { generatorWorkers: 2 }, host, /^--generator-workers: applies to autocannon/],
    [
      '--generator-threads with autocannon',
      { engine: 'autocannon', generatorThreads: 2 },
      host,
      /^--generator-threads: applies to the native engine \(not --engine autocannon\)/,
    ],
    [
      '--generator-threads without the addon',
      { generatorThreads: 2 },
      { ...host, native: missing },
      /^--generator-threads: applies to the native engine, which cannot run here/,
    ],
  ])('refuses %s', (_, options, h, message) => {
    expect(() => chooseEngines(options, h)).toThrow(OptionError);
    expect(() => chooseEngines(options, h)).toThrow(message);
  });
});

describe("the native engine's default threads", () => {
  it('leaves the cores the system under test is expected to use, keeping at least one', () => {
    expect(defaultGeneratorThreads(3, 8)).toBe(5);
    expect(defaultGeneratorThreads(6, 2)).toBe(1);
    expect(defaultGeneratorThreads(0, 4)).toBe(4);
    // servebench's own system: scoring and two model APIs, each a process (times the workers of a cluster).
    expect(expectedServerCores([{ topology: 'single' }])).toBe(3);
    expect(expectedServerCores([{ topology: 'single' }, { topology: 'cluster', workers: 4 }])).toBe(12);
    // A target: the processes named by --pid when it is on this host, none when it is elsewhere.
    expect(expectedServerCores([], { url: 'http://127.0.0.1:8080/' })).toBe(1);
    expect(expectedServerCores([], { url: 'http://localhost:8080/', pids: [10, 11] })).toBe(2);
    expect(expectedServerCores([], { url: 'http://10.1.2.3/' })).toBe(0);
  });
});

describe("the native run's configuration", () => {
  const url = 'http://127.0.0.1:9/x';

  it('maps a closed loop, ending at an amount or extended until the minimum of requests', () => {
    const plain = nativePlan(runOptions(url, closedNative(8, 3), { warmupMs: 300, durationMs: 2000, binMs: 500 }));
    expect(plain).toEqual({
      config: {
        url,
        method: 'GET',
        headers: {},
        bodies: [],
        warmupMs: 300,
        timeoutMs: 5000,
        binMs: 500,
        mode: 'closed',
        connections: 8,
        pipelining: 1,
        threads: 3,
        durationMs: 2000,
      },
    });
    expect(nativePlan(runOptions(url, closedNative(2, 4), { amount: 100 })).config).toMatchObject({ amount: 100, threads: 2 });
    const extended = nativePlan(runOptions(url, closedNative(1), { durationMs: 1000, minRequests: 20, maxWindowMs: 6000 }));
    expect(extended).toMatchObject({ config: { durationMs: 6000 }, extendUntil: { durationMs: 1000, minRequests: 20 } });
  });

  it('maps an open loop, its window lengthened up front to hold the minimum of requests', () => {
    const p = nativePlan(
      runOptions(url, openNative(10, { maxInFlight: 2, threads: 4 }), { durationMs: 1000, minRequests: 20, maxWindowMs: 6000, lateToleranceUs: 2000 }),
    );
    expect(p.config).toMatchObject({
      mode: 'open',
      rateRps: 10,
      arrivals: 'constant',
      seed: 1,
      maxInFlight: 2,
      threads: 2,
      durationMs: 3000,
      lateToleranceUs: 2000,
    });
    expect(p.extendUntil).toBeUndefined();
  });
});
