// The faults experiment's figures from a run it saw (built here, no processes): per fault, the failures that
// ended in its span by kind and code, the time to the first failure, the time to recovery (the first 1-second
// span of requests back within the error budget, or not recovered), its restarts, the finding in plain words;
// the per-second timeline with the faults and events marked; the report's table and the chart's rule marks.

import { describe, expect, it } from 'vitest';
import { faultOutcomes, faultTimeline, recoveryAfter, type FaultAnalysisInput, type FaultRunSample } from '../src/experiments/faults-analysis.js';
import { parseFault } from '../src/experiments/faults-schedule.js';
import { faultsChart } from '../src/report/charts/faults.js';
import { renderCharts } from '../src/report/charts/render.js';
import { faultsMarkdown, faultsTerminal } from '../src/report/faults.js';
import type { FaultsResult } from '../src/results/faults.js';
import type { LoadData } from '../src/results/load.js';

/** 100 requests/s for `windowMs`, each 20 ms; those sent in a [from, to) span end as `fail` says. */
function samples(
  windowMs: number,
  fails: { from: number; to: number; outcome: FaultRunSample['outcome']; code: string; latencyMs: number }[],
): FaultRunSample[] {
  const out: FaultRunSample[] = [];
  for (let t = 5; t < windowMs; t += 10) {
    const f = fails.find((x) => t >= x.from && t < x.to);
    const latencyMs = f?.latencyMs ?? 20;
    out.push({
      sentAtMs: t,
      endAtMs: t + latencyMs,
      latencyUs: latencyMs * 1000,
      outcome: f?.outcome ?? 'success',
      ...(f === undefined ? {} : { code: f.code }),
    });
  }
  return out;
}

const kill = parseFault('at=2s kill model-a');
const pause = parseFault('at=5s pause redis 2s');
const WINDOW = 10_000;

function input(): FaultAnalysisInput {
  return {
    // The kill: requests sent for 400 ms after it get a 503; the pause: requests sent in its first second time out at 1 s (504).
    samples: samples(WINDOW, [
      { from: 2000, to: 2400, outcome: 'non2xx', code: '503', latencyMs: 2 },
      { from: 5000, to: 6000, outcome: 'non2xx', code: '504', latencyMs: 1000 },
    ]),
    attempts: [
      { spec: kill, state: 'applied', appliedAtMs: 2000, processes: [{ name: 'model-a-primary', pid: 11 }], how: 'SIGKILL' },
      { spec: pause, state: 'applied', appliedAtMs: 5000, untilMs: 7000, processes: [{ name: 'redis-server', pid: 12 }], how: 'SIGSTOP' },
      { spec: parseFault('at=9s kill model-worker'), state: 'errored', reason: 'fault target model-worker: no such process', appliedAtMs: null, processes: [] },
    ],
    events: [
      { atMs: 2001, service: 'model-a', process: 'model-a-primary', kind: 'exited', pid: 11, restarts: 0, message: 'killed' },
      { atMs: 2380, service: 'model-a', process: 'model-a-primary', kind: 'restarted', pid: 13, downMs: 379, restarts: 1, message: 'restarted' },
    ],
    windowMs: WINDOW,
    errorBudget: 0.01,
  };
}

describe('faultOutcomes', () => {
  const [k, p, refused] = faultOutcomes(input());

  it('a kill: its failures by kind and code, the first failure, the recovery and the restart it caused', () => {
    expect(k).toMatchObject({ state: 'applied', appliedAtMs: 2000, intervalEndMs: 5000, failureCodes: { '503': 40 }, firstFailureMs: 7 });
    expect(k!.failures).toEqual({ total: 40, byKind: { errors: 0, timeouts: 0, non2xx: 40, resets: 0 } });
    // Requests sent from 2.4 s on were served: back 400 ms after the kill.
    expect(k!.recoveryMs).toBe(400);
    expect(k!.recovered).toBe(true);
    expect(k!.restarts).toEqual([{ process: 'model-a-primary', atMs: 2380, downMs: 379, restarts: 1 }]);
    expect(k!.finding).toBe(
      'after model-a (model-a-primary) was killed at 2.0 s, 40 requests failed (503 x40), the first 7 ms after it, and the service was back in 0.4 s; ' +
        'model-a-primary restarted after 379 ms down (restart 1)',
    );
  });

  it('a pause: the timeouts it caused are charged to it (they end after it began), back when requests stop waiting past the deadline', () => {
    expect(p).toMatchObject({ state: 'applied', appliedAtMs: 5000, untilMs: 7000, failureCodes: { '504': 100 }, firstFailureMs: 1005, recoveryMs: 1000 });
    expect(p!.intervalEndMs).toBeNull();
    expect(p!.finding).toMatch(
      /^after redis \(redis-server\) was paused for 2\.0 s at 5\.0 s, 100 requests failed \(504 x100\), the first 1005 ms after it, and the service was back in 1\.0 s$/,
    );
  });

  it('a fault the system refused is recorded with the reason, and costs nothing', () => {
    expect(refused).toMatchObject({ state: 'errored', appliedAtMs: null, requests: 0, recoveryMs: null });
    expect(refused!.finding).toBe('at=9s kill model-worker: not applied: fault target model-worker: no such process');
  });

  it('a fault that never stopped failing has not recovered; one that cost nothing stayed within the budget', () => {
    const broken = { ...input(), samples: samples(WINDOW, [{ from: 2000, to: WINDOW, outcome: 'errors', code: 'ECONNREFUSED', latencyMs: 1 }]) };
    const [dead] = faultOutcomes({ ...broken, attempts: broken.attempts.slice(0, 1) });
    expect(dead).toMatchObject({ recoveryMs: null, recovered: false });
    expect(dead!.finding).toMatch(/ECONNREFUSED x800.*had not recovered by the end of the window \(10\.0 s\)/);
    const quiet = { ...input(), samples: samples(WINDOW, []) };
    const [calm] = faultOutcomes({ ...quiet, attempts: quiet.attempts.slice(0, 1), events: [] });
    expect(calm).toMatchObject({ recoveryMs: 0, recovered: true, firstFailureMs: null });
    expect(calm!.finding).toBe('after model-a (model-a-primary) was killed at 2.0 s, no request failed');
  });

  it('a restart slow to come is charged to the fault that hit its process, even after the next fault', () => {
    const late = { ...input(), events: input().events.map((e) => (e.kind === 'restarted' ? { ...e, atMs: 5500, downMs: 3499 } : e)) };
    const [k2, p2] = faultOutcomes(late);
    expect(k2!.restarts).toEqual([{ process: 'model-a-primary', atMs: 5500, downMs: 3499, restarts: 1 }]);
    expect(p2!.restarts).toEqual([]);
  });

  it('a fault an interrupt never reached is skipped with the reason', () => {
    const [skipped] = faultOutcomes({ ...input(), attempts: [{ spec: kill, state: 'skipped', reason: 'interrupted', appliedAtMs: null, processes: [] }] });
    expect(skipped).toMatchObject({ state: 'skipped', reason: 'interrupted', finding: 'at=2s kill model-a: not applied (interrupted)' });
  });
});

describe('recoveryAfter', () => {
  it('is null when no span comes back before the limit, 0 when none went over the budget', () => {
    const s = samples(WINDOW, [{ from: 3000, to: 4500, outcome: 'timeouts', code: 'timeout', latencyMs: 1000 }]);
    expect(recoveryAfter(s, 3000, 4000, WINDOW, 0.01)).toBeNull();
    expect(recoveryAfter(s, 3000, WINDOW, WINDOW, 0.01)).toBe(1500);
    expect(recoveryAfter(s, 6000, WINDOW, WINDOW, 0.01)).toBe(0);
    // A budget of 50% forgives a span half failed.
    expect(recoveryAfter(s, 3000, WINDOW, WINDOW, 0.5)).toBe(1000);
  });
});

describe('faultTimeline', () => {
  it('counts each second by send time, with the faults and events marked', () => {
    const rows = faultTimeline(input());
    expect(rows).toHaveLength(10);
    expect(rows[2]).toMatchObject({ second: 2, sent: 100, successes: 60, faults: ['at=2s kill model-a'] });
    expect(rows[2]!.failures.byKind.non2xx).toBe(40);
    expect(rows[2]!.events).toEqual(['model-a-primary exited', 'model-a-primary restarted (down 379 ms)']);
    expect(rows[5]).toMatchObject({ successes: 0, p99Us: 0 });
    expect(rows[1]).toMatchObject({ sent: 100, successes: 100, p99Us: 20_000, faults: [], events: [] });
  });
});

describe('rendering the faults result', () => {
  const inp = input();
  const result: FaultsResult = {
    description: 'faults under load',
    configId: 'faults/async/cluster/io',
    runId: 'faults/async/cluster/io/faults/schedule/r1',
    rateRps: 100,
    errorBudget: 0.01,
    windowMs: WINDOW,
    schedule: [kill, pause],
    faults: faultOutcomes(inp),
    events: [...inp.events],
    timeline: faultTimeline(inp),
    findings: [],
  };
  result.findings = result.faults.map((f) => f.finding);

  it('the terminal and Markdown give the per-fault table, the findings and the timeline', () => {
    const text = faultsTerminal(result).join('\n');
    expect(text).toMatch(/at=2s kill model-a\s+2\.0 s\s+\d+\s+40\s+non2xx 40\s+503 x40\s+7 ms\s+400 ms\s+model-a-primary \(down 379 ms\)/);
    expect(text).toContain('not applied: fault target model-worker');
    expect(text).toContain('FAULT at=5s pause redis 2s');
    const md = faultsMarkdown(result).join('\n');
    expect(md).toContain('#### Faults under load');
    expect(md).toContain('| at=5s pause redis 2s | 5.0 s |');
    expect(faultsTerminal(undefined)).toEqual([]);
  });

  it('the chart marks each fault and restart with a rule, and renders to SVG', async () => {
    const spec = faultsChart({ faults: result } as LoadData)!;
    expect(spec.name).toBe('faults');
    const json = JSON.stringify(spec.spec);
    expect(json).toContain('"type":"rule"');
    expect(json).toContain('"mark":"fault","label":"kill model-a"');
    expect(json).toContain('"mark":"restarted","label":"model-a-primary"');
    const r = await renderCharts([spec]);
    expect(r.state).toBe('rendered');
    if (r.state !== 'rendered') return;
    expect(r.errors).toEqual([]);
    expect(r.charts[0]!.warnings).toEqual([]);
    expect(r.charts[0]!.svg).toContain('kill model-a');
    expect(r.charts[0]!.svg).toMatch(/class="mark-rule role-mark/);
    expect(faultsChart({ faults: { ...result, timeline: [] } } as unknown as LoadData)).toBeNull();
  });
});
