// The measured check against a real model API (src/serving, startModelApi) under the same budget: C
// concurrent POST /predict at chosen n, each point on a fresh model API (it keeps its last large vector, so a
// previous point's vector would still hold memory), then GET /health to see whether it survived.
//
// The points, for a kernel whose capacity in a probe was N (largest ok) and N_C derived for C requests:
// - fits-derived: n = 0.8 x N_C: fits even if every request held its own vector;
// - over-derived (C > 1): n = 0.8 x N: one vector fits, C of them would not: does the server's memory per
//   request grow with C? (The model API builds one vector per (kernel, n) and shares it, so it should not.)
// - distinct-n: one request at 0.8 x N, then one at that n + 1: each fits alone; the model API lets the first
//   vector go before it builds the second, so both should succeed;
// - past-capacity: n = 1.5 x the first failing n, with --n-max above it: how the server fails;
// - guarded: the same n with --n-max = N: the cap turns it into a clear 400 before any allocation.

import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { toErrorInfo } from '../errors.js';
import { getKernel, type KernelName } from '../kernels/index.js';
import { httpStatus, waitUntil } from '../processes/index.js';
import { progress } from '../progress.js';
import type { CapacityKernelResult, ServerCheck, ServerCheckPoint, ServerCheckPointLabel, ServerCheckResponse } from '../results/capacity.js';
import { SERVING_DEFAULTS, startModelApi, type CommandWrapper, type RunningModelApi } from '../serving/index.js';
import { limitedNode, type MemoryLimit } from './limit.js';
import { samplePeakRss } from './probe.js';
import { describeResponses, formatN } from '../report/format.js';

/** The largest n a model API accepts (its --n-max range). */
const API_N_MAX = 1_000_000_000;

interface PlannedPoint {
  label: ServerCheckPointLabel;
  purpose: string;
  n: number;
  nMax: number;
  /** Single requests sent one after another at these n (instead of C at once at n). */
  sequence?: number[];
}

type Completed = Extract<CapacityKernelResult, { state: 'completed' }>;

/** The points for one kernel, from its measured and derived capacity (see the module comment). */
export function planServerPoints(r: Completed, concurrency: number): PlannedPoint[] {
  if (r.maxN === null) return [];
  const maxN = r.maxN;
  const derivedC = r.derived.find((d) => d.concurrency === concurrency)?.maxN ?? Math.floor(maxN / concurrency);
  const past = Math.min(API_N_MAX, Math.ceil(1.5 * (r.firstFailN ?? maxN)));
  const points: PlannedPoint[] = [];
  const fits = Math.max(1, Math.floor(0.8 * derivedC));
  points.push({
    label: 'fits-derived',
    purpose: `0.8 x the derived capacity at ${concurrency} requests: fits even if each request held its own values`,
    n: fits,
    nMax: fits,
  });
  if (concurrency > 1) {
    const over = Math.floor(0.8 * maxN);
    points.push({
      label: 'over-derived',
      purpose: `0.8 x one request's capacity: ${concurrency} separate vectors would not fit; does memory per request grow with concurrency?`,
      n: over,
      nMax: over,
    });
  }
  const first = Math.floor(0.8 * maxN);
  points.push({
    label: 'distinct-n',
    purpose:
      'one request at 0.8 x the capacity, then one at that n + 1: each fits alone, and the model API lets the previous vector go before it builds the next',
    n: first + 1,
    nMax: first + 1,
    sequence: [first, first + 1],
  });
  points.push({ label: 'past-capacity', purpose: '1.5 x the first failing n, with --n-max above it: how the server fails', n: past, nMax: past });
  points.push({ label: 'guarded', purpose: `the same n with --n-max = the measured capacity (${maxN}): refused before any allocation`, n: past, nMax: maxN });
  return points;
}

/** One POST on its own connection; never throws. */
function postJson(url: string, body: { n: number; features: number[] }, timeoutMs: number): Promise<ServerCheckResponse> {
  const t0 = performance.now();
  const text = JSON.stringify(body);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<ServerCheckResponse, 'latencyMs' | 'n'>) => {
      if (settled) return;
      settled = true;
      resolve({ n: body.n, ...r, latencyMs: performance.now() - t0 });
    };
    const req = request(
      url,
      { method: 'POST', agent: false, timeout: timeoutMs, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err: NodeJS.ErrnoException) => finish({ status: res.statusCode ?? null, code: err.code ?? 'response_error', message: err.message }));
        res.on('end', () => {
          const status = res.statusCode ?? null;
          if (status !== null && status < 400) return finish({ status });
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { code?: unknown; message?: unknown } };
            const code = typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
            const message = typeof parsed.error?.message === 'string' ? parsed.error.message : undefined;
            finish({ status, ...(code === undefined ? {} : { code }), ...(message === undefined ? {} : { message }) });
          } catch {
            finish({ status, message: Buffer.concat(chunks).toString('utf8').slice(0, 200) });
          }
        });
      },
    );
    req.on('timeout', () => {
      finish({ status: null, code: 'timeout', message: `no answer within ${timeoutMs} ms` });
      req.destroy();
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish({ status: null, code: err.code ?? 'request_error', message: err.message }));
    req.end(text);
  });
}

export interface ServerCheckContext {
  limit: MemoryLimit;
  concurrency: number;
  seed: number;
  /** A request's time limit: baseMs plus perValueNs per value. */
  timeout: { baseMs: number; perValueNs: number };
  signal?: AbortSignal | undefined;
}

async function runPoint(ctx: ServerCheckContext, kernel: KernelName, p: PlannedPoint): Promise<ServerCheckPoint> {
  const path = getKernel(kernel).mode === 'async' ? 'async' : 'sync';
  const started = Date.now();
  const point: ServerCheckPoint = {
    kernel,
    label: p.label,
    purpose: p.purpose,
    path,
    concurrency: p.sequence === undefined ? ctx.concurrency : 1,
    n: p.n,
    ...(p.sequence === undefined ? {} : { sequence: p.sequence }),
    nMax: p.nMax,
    state: 'completed',
    responses: [],
    counts: { ok: 0, clientErrors: 0, serverErrors: 0, noAnswer: 0 },
    serverAliveAfter: null,
    serverExit: null,
    serverPeakRssBytes: null,
    durationMs: 0,
  };
  // The model API's process runs under the same budget as the probes.
  const wrap: CommandWrapper = (cmd) => ({ ...limitedNode(ctx.limit, cmd.args, cmd.command), env: cmd.env });
  let api: RunningModelApi | undefined;
  try {
    api = await startModelApi({
      path,
      topology: 'single',
      predict: 'cpu',
      kernel,
      n: Math.min(1000, p.nMax),
      nMax: p.nMax,
      seed: ctx.seed,
      wrap,
      readyTimeoutMs: 30_000,
    });
    const off = api.onNotice((notice) => {
      if (notice.kind === 'process-exited') point.serverExit = notice.message;
    });
    const pid = api.processes[0]?.pid;
    const sampler = pid === undefined ? undefined : samplePeakRss(pid);
    const features = Array.from({ length: SERVING_DEFAULTS.featureCount }, (_, i) => (i + 1) / 10);
    const timeoutMs = (n: number) => ctx.timeout.baseMs + (n * ctx.timeout.perValueNs) / 1e6;
    if (p.sequence !== undefined) {
      for (const n of p.sequence) point.responses.push(await postJson(api.predictUrl, { features, n }, timeoutMs(n)));
    } else {
      point.responses = await Promise.all(Array.from({ length: ctx.concurrency }, () => postJson(api!.predictUrl, { features, n: p.n }, timeoutMs(p.n))));
    }
    const health = await httpStatus(`${api.baseUrl}/health`, 2000);
    point.serverAliveAfter = health === 200;
    if (!point.serverAliveAfter) await waitUntil(() => point.serverExit !== null, 3000, 'the model API to exit').catch(() => undefined);
    point.serverPeakRssBytes = sampler?.stop() ?? null;
    off();
  } catch (err) {
    point.state = 'errored';
    point.error = toErrorInfo(err);
  } finally {
    await api?.stop().catch(() => undefined);
  }
  for (const r of point.responses) {
    if (r.status === null) point.counts.noAnswer++;
    else if (r.status < 400) point.counts.ok++;
    else if (r.status < 500) point.counts.clientErrors++;
    else point.counts.serverErrors++;
  }
  point.durationMs = Date.now() - started;
  return point;
}

/** Run the points for each kernel; every point is data, a failing one never loses the others. */
export async function runServerCheck(
  ctx: ServerCheckContext,
  results: readonly CapacityKernelResult[],
  onPoint?: (p: ServerCheckPoint) => void,
): Promise<ServerCheck> {
  const points: ServerCheckPoint[] = [];
  const notes = [
    'The model API builds the values of a cpu predict once per (kernel, n) and keeps them for later requests, one large vector at a time, ' +
      'let go before the next large one is built (src/serving/predict.ts, VectorCache): concurrent requests at one n share one vector, ' +
      'unlike seed 003, which built the array in every request.',
    'Sync kernels run on the sync path (inline, one request at a time per process); native-async runs on the async path (libuv pool).',
  ];
  try {
    for (const r of results) {
      if (r.state !== 'completed') continue;
      for (const planned of planServerPoints(r, ctx.concurrency)) {
        if (ctx.signal?.aborted === true) return { state: 'completed', concurrency: ctx.concurrency, points, notes };
        const what =
          planned.sequence === undefined
            ? `${ctx.concurrency} x POST /predict n=${formatN(planned.n)}`
            : `POST /predict n=${planned.sequence.join(', then n=')}`;
        progress('capacity', `server check ${r.kernel}: ${what} (${planned.label}, --n-max ${formatN(planned.nMax)})`);
        const p = await runPoint(ctx, r.kernel, planned);
        points.push(p);
        onPoint?.(p);
        const after =
          p.serverAliveAfter === true
            ? 'server alive'
            : p.serverAliveAfter === false
              ? `server gone${p.serverExit === null ? '' : `: ${p.serverExit}`}`
              : 'server state unknown';
        progress('capacity', `  ${p.state === 'errored' ? `errored: ${p.error?.message.split('\n')[0]}` : describeResponses(p)}; ${after}`);
      }
    }
  } catch (err) {
    return { state: 'errored', error: toErrorInfo(err), points };
  }
  return { state: 'completed', concurrency: ctx.concurrency, points, notes };
}
