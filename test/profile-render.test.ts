// The terminal and Markdown renderers read profile.json's data and build every sentence from its figures:
// the comparison of the request paths, clinic doctor's verdicts, and failed tools with their error.
import { describe, expect, it } from 'vitest';
import { profileFindings, renderProfileMarkdown, renderProfileTerminal } from '../src/report/profile.js';
import type { ProfileCase, ProfileData, ProfileSummary } from '../src/results/profile.js';

function summary(groups: [ProfileSummary['groups'][number]['group'], number][], top: string): ProfileSummary {
  return {
    source: 'v8-cpuprofile',
    process: 'scoring pid 1',
    pids: [1],
    unit: 'samples',
    total: 1000,
    window: 'load',
    windowMs: 10000,
    groups: groups.map(([group, fraction]) => ({ group, weight: fraction * 1000, fraction })),
    topFunctions: [
      {
        name: top,
        location: '/srv/node_modules/synckit/lib/helpers.js:480',
        group: groups[0]![0],
        self: 800,
        selfFraction: 0.8,
        inclusive: 800,
        inclusiveFraction: 0.8,
      },
    ],
    blockedDetection: 'source-line',
  };
}

function completed(path: 'sync' | 'async', tool: ProfileCase['tool'], extra: Partial<Extract<ProfileCase, { state: 'completed' }>>): ProfileCase {
  return {
    id: `${path}-io-${tool}`,
    tool,
    service: 'scoring',
    path,
    predict: 'io',
    topology: 'single',
    state: 'completed',
    dir: `${path}-io-${tool}`,
    artefacts: [{ kind: 'flamegraph', path: `${path}-io-${tool}/flamegraph.html`, bytes: 5000, description: 'flame graph' }],
    load: {
      engine: 'autocannon',
      connections: 20,
      durationMs: 10000,
      requests: 100,
      successes: 100,
      failures: { errors: 0, timeouts: 0, non2xx: 0, resets: 0 },
      requestsPerSec: 10,
      latencyP50Us: 1_800_000,
      latencyP99Us: 2_500_000,
      latencyResolutionUs: 1,
    },
    summaries: [],
    notes: [],
    warnings: [],
    startMs: 1000,
    loadMs: 10000,
    finishMs: 3000,
    ...extra,
  } as ProfileCase;
}

const data: ProfileData = {
  outDir: '/tmp/profiles/run',
  settings: {
    tools: ['cpuprof', 'doctor', 'perf'],
    service: 'scoring',
    paths: ['sync', 'async'],
    predict: 'io',
    topology: 'single',
    store: 'memory',
    durationMs: 10000,
    connections: 20,
  },
  tools: [{ tool: 'cpuprof', available: true, version: 'node 20' }],
  cases: [
    completed('sync', 'cpuprof', {
      summaries: [
        summary(
          [
            ['blocked', 0.86],
            ['idle', 0.06],
            ['node', 0.05],
            ['app', 0.03],
          ],
          '(blocked) Atomics.wait',
        ),
      ],
    }),
    completed('async', 'cpuprof', {
      summaries: [
        summary(
          [
            ['idle', 0.78],
            ['node', 0.15],
            ['app', 0.07],
          ],
          '(idle)',
        ),
      ],
    }),
    completed('sync', 'doctor', {
      doctor: {
        category: 'event-loop',
        title: 'a potential Event Loop issue',
        issues: { delay: 'performance', cpu: 'none', memory: {}, handles: 'none', loopUtilization: 'performance' },
        analysedMs: 9000,
      },
    }),
    completed('async', 'doctor', {
      doctor: {
        category: 'none',
        title: 'no issue',
        issues: { delay: 'none', cpu: 'none', memory: {}, handles: 'none', loopUtilization: 'none' },
        analysedMs: 9000,
      },
    }),
    {
      id: 'sync-io-perf',
      tool: 'perf',
      service: 'scoring',
      path: 'sync',
      predict: 'io',
      topology: 'single',
      state: 'errored',
      error: { code: 'SB_ERR_MISSING_TOOL', message: 'perf: perf is not installed' },
    },
  ],
};

describe('profile renderers', () => {
  it('state the sync/async comparison, the doctor verdicts and the failures, from the figures', () => {
    const findings = profileFindings(data);
    expect(findings[0]).toBe(
      'cpuprof, io predict: the sync path spends 86% blocked waiting, 6.0% idle, 5.0% node internals of its samples; the async path 78% idle, 15% node internals, 7.0% app code: the sync thread sleeps in Atomics.wait while each upstream call is in flight, so 86% of its time is waiting with requests queued behind it; the async thread waits in the event loop (78% idle) and serves other requests meanwhile.',
    );
    expect(findings).toContain('clinic doctor (io predict): sync path → event-loop (a potential Event Loop issue); async path → none (no issue).');
    expect(findings).toContain('sync-io-perf: perf failed: perf: perf is not installed');
  });

  it('terminal and Markdown carry the same cases', () => {
    const term = renderProfileTerminal(data);
    expect(term).toContain('sync-io-cpuprof  100 requests in 10.0 s (10 req/s), latency p50 1800 ms p99 2500 ms');
    expect(term).toContain('sync-io-perf: ERRORED: perf: perf is not installed');
    const md = renderProfileMarkdown(data);
    expect(md).toContain('| blocked waiting | 86% |');
    expect(md).toContain('| (blocked) Atomics.wait | …/lib/helpers.js:480 | blocked waiting | 80% | 80% |');
    expect(md).toContain('clinic doctor: **event-loop**, a potential Event Loop issue');
  });
});
