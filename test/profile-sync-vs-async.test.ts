// The theory the profiles must show: a sync service spends its samples blocked waiting (Atomics.wait with
// requests queued behind it), an async one idle in its event loop. Checked on the fixture service with both
// ways of telling a wait from work: the source line of each sample (--cpu-prof) and V8's VM state (0x).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupFraction } from '../src/profile/summary.js';
import { runProfileSuite } from '../src/profile/suite.js';
import { setQuiet } from '../src/progress.js';
import { profileFindings } from '../src/report/profile.js';
import type { ProfileCase, ProfileSummary } from '../src/results/profile.js';
import { fixtureTarget } from './profile-fixtures.js';

setQuiet(true);
const out = mkdtempSync(join(tmpdir(), 'servebench-profile-paths-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function summaryOf(c: ProfileCase | undefined): ProfileSummary {
  if (c?.state !== 'completed') throw new Error(`case did not complete: ${JSON.stringify(c)}`);
  return c.summaries[0]!;
}

describe('sync versus async under the io-like fixture', () => {
  it.each(['cpuprof', '0x'] as const)('%s: the sync path is mostly blocked waiting, the async path mostly idle', async (tool) => {
    const data = await runProfileSuite({
      tools: [tool],
      paths: ['sync', 'async'],
      durationMs: 2000,
      connections: 8,
      outDir: join(out, tool),
      startTarget: fixtureTarget(),
    });
    const sync = summaryOf(data.cases.find((c) => c.path === 'sync'));
    const async = summaryOf(data.cases.find((c) => c.path === 'async'));
    expect(sync.blockedDetection).toBe(tool === '0x' ? 'vm-state' : 'source-line');
    // Wide margins: relations, not absolute figures.
    expect(groupFraction(sync, 'blocked')).toBeGreaterThan(0.4);
    expect(groupFraction(sync, 'blocked')).toBeGreaterThan(5 * groupFraction(sync, 'idle'));
    expect(groupFraction(async, 'blocked')).toBeLessThan(0.05);
    expect(groupFraction(async, 'idle')).toBeGreaterThan(groupFraction(async, 'blocked') + 0.2);
    const blockedTop = sync.topFunctions[0]!;
    expect(blockedTop.name).toBe('(blocked) Atomics.wait');
    // The sentence the report prints is built from these figures.
    expect(profileFindings(data).join('\n')).toMatch(/the sync path spends \d+(\.\d)?% blocked waiting/);
  });
});
