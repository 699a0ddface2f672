// The load suite's plan for a --target deployment and for an explicit load (--connections, --rate), without
// starting a process: which scenarios run, on what, and what the results echo.

import { describe, expect, it } from 'vitest';
import { nativeLoadRun } from '../src/kernels/native-binding.js';
import { planLoad, resolveScenarios } from '../src/load/plan.js';
import { withDefinitions } from './load-definitions.js';

describe('planLoad: --target', () => {
  it('runs the four matrix scenarios on the one target entry, no request-paths', () => {
    const p = planLoad(withDefinitions({ target: { url: 'http://127.0.0.1:9/', bodies: ['{"a":1}'], pids: [42] } }));
    expect(p.scenarios).toEqual(['response-time', 'ramp', 'sustained', 'stress']);
    expect(p.requestPaths).toBe(false);
    expect(p.entries).toHaveLength(1);
    const [e] = p.entries;
    expect(e!.config.id).toBe('target');
    expect(e!.config.describe).toEqual({ url: 'http://127.0.0.1:9/' });
    expect([e!.matrixRounds, e!.rpRounds]).toEqual([1, 0]);
    // A body makes it a POST unless a method is given.
    expect(e!.config.target('ignored')).toEqual({ url: 'http://127.0.0.1:9/', method: 'POST', headers: {}, bodies: ['{"a":1}'] });
    expect(p.echo.target).toBe('http://127.0.0.1:9/');
    expect(p.rounds).toBe(1);
  });

  it('sends GET without bodies, and leaves stress out with --quick', () => {
    const p = planLoad(withDefinitions({ target: { url: 'http://127.0.0.1:9/x?y=1' }, quick: true }));
    expect(p.scenarios).toEqual(['response-time', 'ramp', 'sustained']);
    expect(p.entries[0]!.config.target('ignored').method).toBe('GET');
  });

  it('keeps --repeats rounds on the target', () => {
    const p = planLoad(withDefinitions({ target: { url: 'http://127.0.0.1:9/' }, repeats: 4 }));
    expect([p.rounds, p.echo.repeats, p.entries[0]!.matrixRounds]).toEqual([4, 4, 4]);
  });
});

describe('planLoad: an explicit load', () => {
  // The native engine is the default for both loops where the addon loads (issue 12); else the JS engines.
  const native = nativeLoadRun().available;

  it('--connections selects response-time and sustained at that load, on the closed loop', () => {
    const p = planLoad(withDefinitions({ target: { url: 'http://127.0.0.1:9/' }, connections: 8 }));
    expect(p.scenarios).toEqual(['response-time', 'sustained']);
    expect(p.settings.engine).toBe(native ? 'native' : 'autocannon');
    expect(p.settings.loop).toBe('closed');
    expect(p.settings.connections).toBe(8);
    expect(p.echo).toMatchObject({ scenarios: ['response-time', 'sustained'], engine: native ? 'native' : 'autocannon', connections: 8 });
    expect(p.echo.rateRps).toBeUndefined();
    // No ramp: the held load is the most.
    expect(p.connections).toBe(8);
  });

  it('--rate selects response-time and sustained on the open loop', () => {
    const p = planLoad(withDefinitions({ target: { url: 'http://127.0.0.1:9/' }, rateRps: 20 }));
    expect(p.scenarios).toEqual(['response-time', 'sustained']);
    expect(p.settings.engine).toBe(native ? 'native' : 'open');
    expect(p.settings.loop).toBe('open');
    expect(p.echo).toMatchObject({ engine: native ? 'native' : 'open', rateRps: 20 });
    // An open loop opens up to its in-flight bound.
    expect(p.connections).toBe(1000);
  });

  it('caps the ramp at --connections and keeps stress past it when named', () => {
    const p = planLoad(withDefinitions({ target: { url: 'http://127.0.0.1:9/' }, connections: 32, scenarios: ['ramp', 'stress'] }));
    expect(p.scenarios).toEqual(['ramp', 'stress']);
    expect(p.connections).toBe(128);
  });

  it('also over the matrix: the defaults are the baseline and the load held', () => {
    const p = planLoad(withDefinitions({ connections: 4 }));
    expect(p.scenarios).toEqual(['response-time', 'sustained']);
    expect(p.requestPaths).toBe(false);
    expect(p.entries).toHaveLength(12);
  });
});

describe('resolveScenarios', () => {
  it('adds what a selection depends on', () => {
    expect(resolveScenarios(['sustained'], 'autocannon', false)).toEqual(['ramp', 'sustained']);
    expect(resolveScenarios(['stress'], 'open', false)).toEqual(['response-time', 'ramp', 'stress']);
    expect(resolveScenarios(['sustained'], 'autocannon', true)).toEqual(['sustained']);
    expect(resolveScenarios(['autoscale', 'request-paths', 'queue-workers'], 'autocannon', false)).toEqual(['request-paths', 'queue-workers', 'autoscale']);
  });
});
