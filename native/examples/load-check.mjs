#!/usr/bin/env node
// Checks servebench's native load engine (LoadRun) against local servers: the delivered rate, a server
// stall seen by every request scheduled during it, failures by kind, cancel(), snapshots, config errors,
// and the histogram decoded by hdr-histogram-js. Run from the repository root after `npm run build:native`:
//   node native/examples/load-check.mjs                                       (node:http servers in this process)
//   NGINX_URL=http://127.0.0.1:18080/ node native/examples/load-check.mjs      (adds a 20,000 rps check)
// Prints one line per check and exits 1 when one fails. Timings are asserted only with wide margins.

import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { LoadRun } = require('../index.cjs');
const hdr = require('hdr-histogram-js');

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));

/** A node:http server whose behaviour is chosen by the path: /ok, /500, /reset, /close, /hang, /stall, /oneshot, /chunked, /echo. */
const stall = { from: 0, to: 0 };
/** Bodies received on /echo, with counts. */
const echoed = new Map();
const server = http.createServer((req, res) => {
  const path = req.url ?? '/';
  if (path.startsWith('/echo')) {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      echoed.set(`${req.method} ${req.headers['content-type']} ${body}`, (echoed.get(`${req.method} ${req.headers['content-type']} ${body}`) ?? 0) + 1);
      res.end(body);
    });
    return;
  }
  if (path.startsWith('/500')) return void res.writeHead(500).end('no');
  if (path.startsWith('/reset')) return void req.socket.resetAndDestroy();
  if (path.startsWith('/close')) return void req.socket.destroy();
  if (path.startsWith('/hang')) return;
  if (path.startsWith('/oneshot')) return void res.writeHead(200, { connection: 'close' }).end('ok');
  if (path.startsWith('/chunked')) {
    res.write('a'.repeat(3000));
    return void setImmediate(() => res.end('b'.repeat(5000)));
  }
  const now = performance.now();
  if (path.startsWith('/stall') && now >= stall.from && now < stall.to) return void setTimeout(() => res.end('ok'), stall.to - now);
  res.end('ok');
});
server.keepAliveTimeout = 60_000;
/** Answers anything with bytes that are not HTTP. */
const garbage = net.createServer((s) => s.on('data', () => s.write('SSH-2.0-nope\r\n\r\n')));

const base = await listen(server);
const garbageUrl = await listen(garbage);
// A port nothing listens on.
const spare = net.createServer();
const refusedUrl = await listen(spare);
await new Promise((r) => spare.close(r));

const results = [];
async function check(name, fn) {
  const t = performance.now();
  try {
    const detail = await fn();
    results.push(true);
    console.log(`PASS ${name} (${((performance.now() - t) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`);
  } catch (err) {
    results.push(false);
    console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const run = (config) => LoadRun.start(config).result();
const kinds = (r) => JSON.stringify(r.failures.byKind);
const close = (a, b, rel) => Math.abs(a - b) <= rel * Math.abs(b);

await check('config errors name the field', () => {
  const bad = [
    [{ url: 'https://x/', mode: 'closed', connections: 1, durationMs: 100 }, /config\.url/],
    [{ url: `${base}/`, mode: 'open', durationMs: 100 }, /config\.rateRps/],
    [{ url: `${base}/`, mode: 'closed', connections: 0, durationMs: 100 }, /config\.connections/],
    [{ url: `${base}/`, mode: 'closed', connections: 1, durationMs: 100, arrivals: 'poisson' }, /config\.arrivals/],
    [{ url: `${base}/`, mode: 'sideways', durationMs: 100 }, /config\.mode/],
  ];
  for (const [config, re] of bad) assert.throws(() => LoadRun.start(config), re);
});

await check('open loop: constant arrivals delivered within 2% of the target', async () => {
  // A warm-up long enough for the server's own warm-up: rps counts the answers completed in the window,
  // which would include a backlog of the warm-up's requests.
  const r = await run({ url: `${base}/ok`, mode: 'open', rateRps: 2000, arrivals: 'constant', warmupMs: 1000, durationMs: 3000, maxInFlight: 64 });
  assert.equal(r.failures.total, 0, kinds(r));
  assert.ok(close(r.rps, 2000, 0.02), `rps ${r.rps}, series ${r.rpsSeries}`);
  assert.ok(close(r.open.scheduled, 6000, 0.001), `scheduled ${r.open.scheduled}`);
  assert.equal(r.requests.successes, r.open.scheduled);
  assert.equal(r.rpsSeries.length, 3);
  // Completions per second: one stall of the server moves answers from one second to the next.
  assert.ok(close(r.rpsSeries.reduce((a, b) => a + b, 0), 6000, 0.02), `rpsSeries ${r.rpsSeries}`);
  return `rps ${r.rps}, p50 ${r.latencyUs.p50} us, late ${r.open.lateSends.total}`;
});

await check('open loop: Poisson arrivals, seeded: same schedule twice, rate within 2%', async () => {
  const config = { url: `${base}/ok`, mode: 'open', rateRps: 1500, seed: 42, durationMs: 3000, maxInFlight: 64 };
  const [a, b] = [await run(config), await run(config)];
  assert.equal(a.open.scheduled, b.open.scheduled);
  // 4500 expected, sd 67: the seeded draw is within 3 sd, and what was scheduled was delivered.
  assert.ok(Math.abs(a.open.scheduled - 4500) < 3 * Math.sqrt(4500), `scheduled ${a.open.scheduled}`);
  assert.ok(close(a.rps, a.open.scheduled / 3, 0.02), `rps ${a.rps} for ${a.open.scheduled} scheduled`);
  return `scheduled ${a.open.scheduled}, rps ${a.rps}`;
});

await check('open loop: a 1 s server stall shows in every request scheduled during it', async () => {
  const binMs = 100;
  const started = performance.now();
  // The stall: from 1 s to 2 s into the window (the window starts after a 200 ms warm-up).
  stall.from = started + 200 + 1000;
  stall.to = started + 200 + 2000;
  const r = await run({ url: `${base}/stall`, mode: 'open', rateRps: 500, warmupMs: 200, durationMs: 3000, binMs, maxInFlight: 64, timeoutMs: 5000 });
  assert.equal(r.failures.total, 0, kinds(r));
  const inStall = r.latencySeries.filter((b) => b.startMs >= 1000 + 20 && b.startMs + binMs <= 2000 - 20);
  assert.ok(inStall.length >= 8, `bins in the stall: ${inStall.length}`);
  for (const b of inStall) {
    // Every request of the bin waited at least until the stall's end: from its scheduled time, not its send.
    const floorUs = (2000 - (b.startMs + binMs) - 20) * 1000;
    assert.ok(b.completed > 0 && b.p50Us >= floorUs * 0.98, `bin ${b.startMs}: p50 ${b.p50Us} us < ${floorUs} us`);
  }
  const after = r.latencySeries.filter((b) => b.startMs >= 2300);
  assert.ok(after.every((b) => b.p50Us < 100_000), 'latency recovers after the stall');
  // 64 connections cannot carry 500 requests: the rest waited for a free one.
  assert.ok(r.open.lateSends.byCause.inFlightBound > 0, JSON.stringify(r.open.lateSends));
  assert.ok(r.latencyUs.max >= 900_000, `max ${r.latencyUs.max}`);
  return `p99 ${r.latencyUs.p99} us, late ${JSON.stringify(r.open.lateSends.byCause)}`;
});

for (const mode of ['closed', 'open']) {
  const load = mode === 'closed' ? { connections: 4 } : { rateRps: 200, maxInFlight: 16 };
  const go = (path, extra = {}) => run({ url: `${base}${path}`, mode, durationMs: 1000, timeoutMs: 300, ...load, ...extra });
  await check(`${mode} loop: failures by kind`, async () => {
    const e500 = await go('/500');
    assert.equal(e500.failures.byKind.non2xx, e500.failures.total, kinds(e500));
    assert.ok(e500.failures.total > 0 && e500.failureCodes['500'] === e500.failures.total);
    assert.equal(e500.requests.successes, 0);
    assert.equal(e500.requests.completed, e500.failures.total);
    assert.equal(e500.latencyHistogramUs, undefined);

    const reset = await go('/reset');
    assert.ok(reset.failures.byKind.resets > 0 && reset.failures.byKind.resets === reset.failures.total, kinds(reset));
    assert.ok(reset.failureCodes.ECONNRESET > 0, JSON.stringify(reset.failureCodes));

    const closed = await go('/close');
    assert.ok(closed.failures.byKind.resets > 0 && closed.failures.byKind.resets === closed.failures.total, kinds(closed));
    assert.ok(closed.failureCodes['closed-by-server'] > 0, JSON.stringify(closed.failureCodes));

    const hang = await go('/hang');
    assert.ok(hang.failures.byKind.timeouts > 0 && hang.failures.byKind.timeouts === hang.failures.total, kinds(hang));
    assert.equal(hang.requests.completed, 0);

    const refused = await run({ url: `${refusedUrl}/`, mode, durationMs: 500, ...load });
    assert.ok(refused.failures.byKind.errors > 0 && refused.failureCodes.ECONNREFUSED === refused.failures.total, kinds(refused));
    // Open loop: no arrival is dropped, each one that could not be sent is a failure.
    if (mode === 'open') for (const r of [e500, reset, closed, hang, refused]) assert.equal(r.failures.total, r.open.scheduled, kinds(r));

    const proto = await run({ url: `${garbageUrl}/`, mode, durationMs: 500, ...load });
    assert.ok(proto.failures.byKind.errors > 0 && proto.failureCodes.EPROTO === proto.failures.total, kinds(proto));
    return ['500', 'reset', 'close', 'hang', 'refused', 'protocol']
      .map((n, i) => `${n} ${[e500, reset, closed, hang, refused, proto][i].failures.total}`)
      .join(', ');
  });
}

for (const mode of ['closed', 'open']) {
  const load = mode === 'closed' ? { connections: 4, pipelining: 2 } : { rateRps: 300, maxInFlight: 16 };
  await check(`${mode} loop: chunked bodies, and servers that close after each answer`, async () => {
    const chunked = await run({ url: `${base}/chunked`, mode, durationMs: 1000, ...load });
    assert.equal(chunked.failures.total, 0, kinds(chunked));
    assert.ok(chunked.requests.successes > 0);
    assert.ok(chunked.bytesReceived > chunked.requests.successes * 8000, `bytes ${chunked.bytesReceived}`);
    // Connection: close is announced: the connection is reopened, nothing counts as failed.
    const oneshot = await run({ url: `${base}/oneshot`, mode, durationMs: 1000, ...load });
    assert.equal(oneshot.failures.total, 0, kinds(oneshot));
    assert.ok(oneshot.requests.successes > 0);
    return `chunked ${chunked.requests.successes}, one-shot ${oneshot.requests.successes}`;
  });
}

await check('bodies are sent in turn with their headers; HEAD answers carry no body', async () => {
  echoed.clear();
  const bodies = ['{"a":1}', '{"b":22}', '[3]'];
  const r = await run({ url: `${base}/echo`, mode: 'closed', connections: 3, pipelining: 3, method: 'POST', headers: { 'content-type': 'application/json' }, bodies, amount: 3000 });
  assert.equal(r.failures.total, 0, kinds(r));
  const keys = [...echoed.keys()].sort();
  assert.deepEqual(keys, bodies.map((b) => `POST application/json ${b}`).sort());
  // In turn: each body about a third of the requests (warm-up and requests cut at the end aside).
  for (const n of echoed.values()) assert.ok(n >= 900 && n <= 1100, JSON.stringify([...echoed]));
  const head = await run({ url: `${base}/ok`, mode: 'open', rateRps: 200, durationMs: 500, method: 'HEAD' });
  assert.equal(head.failures.total, 0, kinds(head));
  assert.ok(head.requests.successes > 0);
  return `${JSON.stringify(Object.fromEntries(echoed))}, HEAD ${head.requests.successes}`;
});

await check('open loop: requests unanswered when the drain ends are counted as unfinished', async () => {
  const lr = LoadRun.start({ url: `${base}/hang`, mode: 'open', rateRps: 100, durationMs: 500, timeoutMs: 60_000, maxInFlight: 8 });
  // 8 connections hang and the other arrivals wait in the queue. The drain would last the timeout (60 s):
  // cancel it once the window is over, and every request of the window is unfinished.
  await new Promise((r) => setTimeout(r, 800));
  assert.equal(lr.snapshot().phase, 'drain');
  lr.cancel();
  const r = await lr.result();
  assert.equal(r.interrupted, true);
  assert.ok(r.open.scheduled > 0);
  assert.equal(r.open.unfinished, r.open.scheduled);
  assert.equal(r.failures.byKind.timeouts, r.open.scheduled);
  assert.equal(r.failureCodes.unfinished, r.open.scheduled);
  assert.ok(r.open.unfinishedElapsedUs.max >= 250_000, JSON.stringify(r.open.unfinishedElapsedUs));
  return `unfinished ${r.open.unfinished}, elapsed ${JSON.stringify(r.open.unfinishedElapsedUs)}`;
});

await check('cancel() ends the run early with partial figures', async () => {
  const lr = LoadRun.start({ url: `${base}/ok`, mode: 'closed', connections: 2, warmupMs: 100, durationMs: 10_000 });
  await new Promise((r) => setTimeout(r, 1100));
  const snap = lr.snapshot();
  assert.equal(snap.phase, 'window');
  assert.ok(snap.completed > 0 && snap.currentRps > 0 && snap.currentP99Us > 0, JSON.stringify(snap));
  const t = performance.now();
  lr.cancel();
  const r = await lr.result();
  assert.ok(performance.now() - t < 1000, 'the report comes quickly');
  assert.equal(r.interrupted, true);
  assert.ok(r.windowMs > 500 && r.windowMs < 2000, `windowMs ${r.windowMs}`);
  assert.ok(r.requests.completed >= snap.completed);
  assert.equal(lr.done, true);
  assert.equal(lr.snapshot().phase, 'done');
  const again = await lr.result();
  assert.equal(again.requests.completed, r.requests.completed);
  return `window ${r.windowMs} ms, ${r.requests.completed} requests`;
});

await check('the histogram decodes with hdr-histogram-js to the same counts, and merges', async () => {
  const a = await run({ url: `${base}/ok`, mode: 'closed', connections: 2, pipelining: 2, durationMs: 1000 });
  const b = await run({ url: `${base}/ok`, mode: 'open', rateRps: 300, durationMs: 1000 });
  const ha = hdr.decodeFromCompressedBase64(a.latencyHistogramUs);
  const hb = hdr.decodeFromCompressedBase64(b.latencyHistogramUs);
  assert.equal(ha.totalCount, a.requests.successes);
  assert.equal(hb.totalCount, b.requests.successes);
  for (const [p, key] of [[50, 'p50'], [99, 'p99'], [100, 'max']]) {
    assert.ok(close(ha.getValueAtPercentile(p), a.latencyUs[key], 0.002), `${key}: ${ha.getValueAtPercentile(p)} vs ${a.latencyUs[key]}`);
  }
  assert.equal(ha.minNonZeroValue, a.latencyUs.min);
  const merged = hdr.build({ autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
  merged.add(ha);
  merged.add(hb);
  assert.equal(merged.totalCount, a.requests.successes + b.requests.successes);
  return `${ha.totalCount} + ${hb.totalCount} values`;
});

await check('closed loop: amount ends the window after exactly that many requests', async () => {
  const r = await run({ url: `${base}/ok`, mode: 'closed', connections: 4, pipelining: 4, threads: 2, amount: 5000 });
  assert.equal(r.requests.completed + r.failures.total, 5000);
  assert.ok(r.windowMs < 60_000);
  return `window ${r.windowMs} ms`;
});

if (process.env.NGINX_URL) {
  await check('open loop at 20,000 rps against nginx: on time', async () => {
    const r = await run({ url: process.env.NGINX_URL, mode: 'open', rateRps: 20_000, warmupMs: 500, durationMs: 5000, maxInFlight: 256 });
    const late = r.open.lateSends.total / r.open.scheduled;
    assert.ok(close(r.rps, 20_000, 0.02), `rps ${r.rps}`);
    assert.ok(late < 0.01 && r.failures.total / r.open.scheduled < 0.01, `late ${late}, ${kinds(r)}`);
    return `rps ${r.rps}, p50 ${r.latencyUs.p50} us, p99 ${r.latencyUs.p99} us, late ${(late * 100).toFixed(2)}%`;
  });
}

server.closeAllConnections();
server.close();
garbage.close();
const failed = results.filter((ok) => !ok).length;
console.log(failed === 0 ? `all ${results.length} checks passed` : `${failed} of ${results.length} checks failed`);
process.exit(failed === 0 ? 0 : 1);
