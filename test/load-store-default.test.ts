// The feature store a run uses when none is named: Redis wherever a redis-server can be started (REDIS_URL, or
// redis-server on PATH), the embedded store only when not, and then with the reason, which the plan's echo,
// the load output, the profile settings and the run report's doubtful figures repeat.

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultStoreChoice, resolveStore } from '../src/load/store-default.js';
import { resolveProfileOptions } from '../src/profile/options.js';
import { doubtfulMarkdown } from '../src/report/doubtful.js';
import { storeLine } from '../src/report/load.js';
import type { BenchData } from '../src/results/bench.js';
import type { LoadData } from '../src/results/load.js';

const bin = mkdtempSync(join(tmpdir(), 'servebench-store-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('the default feature store', () => {
  it('is Redis when REDIS_URL is set or a redis-server is on PATH', () => {
    expect(defaultStoreChoice(undefined, { PATH: '', REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual({ store: 'redis' });
    writeFileSync(join(bin, 'redis-server'), '#!/bin/sh\n');
    chmodSync(join(bin, 'redis-server'), 0o755);
    expect(defaultStoreChoice(undefined, { PATH: bin })).toEqual({ store: 'redis' });
  });

  it('is the embedded store with the reason when no redis-server can be had', () => {
    const d = defaultStoreChoice(undefined, { PATH: join(bin, 'none') });
    expect(d.store).toBe('memory');
    expect(d.fallback).toMatch(/no redis-server found/);
  });

  it('is the one named when --store is given', () => {
    expect(resolveStore('memory')).toEqual({ kind: 'memory', chosen: 'named' });
    expect(resolveProfileOptions({ store: 'memory' }).storeFallback).toBeUndefined();
  });

  it('says so in the load output and the doubtful figures when the embedded store stood in', () => {
    const fallback = 'no redis-server found: REDIS_URL is not set and no redis-server is on PATH';
    const load = { options: { store: { kind: 'memory', chosen: 'default', fallback } }, configurations: [], flags: [] } as unknown as LoadData;
    expect(storeLine(load)).toBe(`feature store: embedded (${fallback})`);
    const data = { sections: { load }, suites: [] } as unknown as BenchData;
    expect(doubtfulMarkdown(data).join('\n')).toMatch(/fallback · `feature store`: feature store: embedded \(no redis-server found/);
    const redis = {
      options: { store: { kind: 'redis', chosen: 'default' } },
      configurations: [{ store: { kind: 'redis', detail: 'redis-server 7.0.15 started by servebench' } }],
    } as unknown as LoadData;
    expect(storeLine(redis)).toBe('feature store: redis (redis-server 7.0.15 started by servebench)');
  });
});
