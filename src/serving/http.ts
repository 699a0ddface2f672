// The HTTP plumbing both services share: a server that never crashes on bad input, body reading with a
// size limit and a deadline, a JSON content type required, JSON errors naming the problem (quoting at most
// an excerpt of the input), GET /health with the service's dependencies, header and body timeouts in
// seconds, the X-Request-Start queueing header, and the hold a hang fault puts on every request.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../errors.js';
import type { ErrorResponse, ServiceName } from '../results/serving.js';
import { DEFAULTS } from './config.js';
import type { HealthCheck } from './health.js';
import { HttpError } from './http-error.js';
import { excerpt, requireJsonContentType } from './http-input.js';

/** Wall-clock now in ms since the epoch, with sub-ms resolution (for X-Request-Start arithmetic). */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Time a request waited before handling started, from an `X-Request-Start` header (New Relic / Heroku
 * convention: `t=<epoch>` in seconds with a fraction, as nginx's $msec writes it, or in ms or us).
 */
export function queueMsFromHeader(req: IncomingMessage, startEpochMs: number): number | undefined {
  const raw = req.headers['x-request-start'];
  if (typeof raw !== 'string') return undefined;
  const m = /^\s*(?:t=)?(\d+(?:\.\d+)?)\s*$/.exec(raw);
  if (m === null) return undefined;
  let t = Number(m[1]);
  // Tell the unit by magnitude: seconds ~1.7e9, ms ~1.7e12, us ~1.7e15.
  if (t < 1e11) t *= 1000;
  else if (t > 1e14) t /= 1000;
  const q = startEpochMs - t;
  // Clocks of one host; a small negative value is rounding ($msec has ms resolution).
  return q < -5 || q > 3_600_000 ? undefined : Math.max(0, q);
}

/** The parts of a request a handler sees once its body is read. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** performance.now() when the body was complete and handling started. */
  startMs: number;
  /** Epoch ms of the same instant. */
  startEpochMs: number;
  body: Buffer;
}

/** A handler for one route; may be synchronous (the sync path) or return a promise (the async path). */
type RouteHandler = (ctx: RequestContext) => void | Promise<void>;

export interface ServiceServerOptions {
  service: ServiceName;
  bodyLimitBytes: number;
  /** POST routes by path, e.g. { '/predict': handler }. */
  routes: Record<string, RouteHandler>;
  /** The service's settings, reported by GET /health. */
  health: () => Record<string, unknown>;
  /** What GET /health checks (dependencies, a loaded model); a problem makes it a 503 naming it. */
  checkHealth?: () => Promise<HealthCheck>;
  /** A request's headers, then its body, must arrive within these. @default DEFAULTS.timeoutsMs (10 s each) */
  timeoutsMs?: { headers: number; body: number } | undefined;
  /** Called once per finished response, with its status and, for an error answer, its error code. */
  onResponse?: (status: number, code?: string) => void;
}

/** The error code each error answer carried, for the per-code counts of the process's metrics. */
const errorCodes = new WeakMap<ServerResponse, string>();

/** JSON body answer; `close` asks the client to drop the connection (after a body we refused to read). */
export function sendJson(res: ServerResponse, status: number, payload: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(payload);
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

function sendError(res: ServerResponse, err: HttpError, service: ServiceName, close = false): void {
  errorCodes.set(res, err.code);
  const payload: ErrorResponse = { error: { status: err.status, code: err.code, message: err.message }, served: { service, pid: process.pid } };
  sendJson(res, err.status, payload, close);
}

/** Epoch ms until which this process holds every request it receives (a hang fault); 0: none. */
let heldUntil = 0;

/** Hold every request this process receives for `ms` (they are handled afterwards): a hang fault. */
export function holdRequests(ms: number): void {
  heldUntil = Math.max(heldUntil, Date.now() + ms);
}

/** Run `handle` now, or once a hold is over. */
function afterHold(handle: () => void): void {
  const wait = heldUntil - Date.now();
  if (wait <= 0) handle();
  else setTimeout(() => afterHold(handle), wait);
}

/** GET /health: the service's settings, and 503 naming the problem when a check finds one. */
async function answerHealth(res: ServerResponse, options: ServiceServerOptions): Promise<void> {
  const service = options.service;
  const check: HealthCheck = options.checkHealth === undefined ? { problems: [] } : await options.checkHealth();
  const healthy = check.problems.length === 0;
  const body = {
    status: healthy ? 'ok' : 'unhealthy',
    service,
    pid: process.pid,
    ...(check.dependencies === undefined ? {} : { dependencies: check.dependencies }),
    ...check.facts,
    ...options.health(),
  };
  if (healthy) {
    sendJson(res, 200, body);
    return;
  }
  sendJson(res, 503, { ...body, error: { status: 503, code: 'unhealthy', message: check.problems.join('; ') } });
}

/** Read a POST body within the size limit and the body deadline; `use` gets it once complete. */
function readBody(req: IncomingMessage, res: ServerResponse, options: ServiceServerOptions, bodyMs: number, use: (body: Buffer) => void): void {
  const { service, bodyLimitBytes } = options;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > bodyLimitBytes) {
    refuseBody(req, res, service, bodyLimitBytes, declared);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  const deadline = setTimeout(() => {
    refused = true;
    sendError(res, new HttpError(408, 'body_timeout', `the request body did not arrive within ${bodyMs} ms`), service, true);
    res.once('finish', () => req.socket.destroy());
  }, bodyMs);
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > bodyLimitBytes) {
      refused = true;
      clearTimeout(deadline);
      refuseBody(req, res, service, bodyLimitBytes, size);
      return;
    }
    chunks.push(chunk);
  });
  req.on('error', () => {
    // A client that went away mid-body: nothing to answer.
  });
  req.on('close', () => clearTimeout(deadline));
  req.on('end', () => {
    clearTimeout(deadline);
    if (!refused) use(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  });
}

/** What is wrong with a request before its body is read (route, method, content type); undefined: nothing. */
function requestProblem(req: IncomingMessage, pathname: string, options: ServiceServerOptions): HttpError | undefined {
  const { service, routes } = options;
  if (pathname === '/health') {
    return req.method === 'GET' || req.method === 'HEAD' ? undefined : new HttpError(405, 'method_not_allowed', `${req.method} /health: use GET`);
  }
  if (routes[pathname] === undefined) {
    const answers = `this ${service} service answers POST ${Object.keys(routes).join(', ')} and GET /health`;
    return new HttpError(404, 'not_found', `no route ${JSON.stringify(excerpt(pathname))}; ${answers}`);
  }
  if (req.method !== 'POST') return new HttpError(405, 'method_not_allowed', `${req.method} ${pathname}: use POST with a JSON body`);
  try {
    requireJsonContentType(req.headers['content-type']);
  } catch (err) {
    return err as HttpError;
  }
  return undefined;
}

/** Route one request: GET /health, POST to a route with a JSON body, or a 4xx naming what is wrong. */
function handleRequest(req: IncomingMessage, res: ServerResponse, options: ServiceServerOptions, bodyMs: number): void {
  const { service, routes } = options;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const problem = requestProblem(req, pathname, options);
  if (problem !== undefined) {
    req.resume();
    sendError(res, problem, service);
    return;
  }
  if (pathname === '/health') {
    req.resume();
    void answerHealth(res, options).catch((err: unknown) => answerFailure(res, err, service));
    return;
  }
  const route = routes[pathname]!;
  readBody(req, res, options, bodyMs, (body) => {
    const startMs = performance.now();
    const ctx: RequestContext = { req, res, startMs, startEpochMs: performance.timeOrigin + startMs, body };
    try {
      const r = route(ctx);
      if (r !== undefined) r.catch((err: unknown) => answerFailure(res, err, service));
    } catch (err) {
      answerFailure(res, err, service);
    }
  });
}

/** The answer to a request the HTTP parser refused, as Node's own default gives it (408, 413, 431, else 400). */
function clientErrorStatus(code: string | undefined): [number, string] {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request Timeout'];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'Request Header Fields Too Large'];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return [413, 'Payload Too Large'];
    default:
      return [400, 'Bad Request'];
  }
}

/**
 * An HTTP server for one service: routes, GET /health, a body size limit, a JSON content type, header and
 * body deadlines, and JSON errors for anything wrong; an exception in a handler becomes a 500, never a crash.
 */
export function createServiceServer(options: ServiceServerOptions): Server {
  const timeouts = options.timeoutsMs ?? { headers: DEFAULTS.timeoutsMs.headers, body: DEFAULTS.timeoutsMs.body };
  // Node checks its header and request deadlines every connectionsCheckingInterval (30 s by default):
  // check every second, so a deadline of a few seconds is kept to the second.
  const server = createServer({ connectionsCheckingInterval: Math.min(1000, timeouts.headers) }, (req, res) => {
    res.once('finish', () => options.onResponse?.(res.statusCode, errorCodes.get(res)));
    afterHold(() => handleRequest(req, res, options, timeouts.body));
  });
  // Clients (autocannon, nginx upstream keepalive) hold idle connections open; keep them longer than nginx's
  // upstream keepalive_timeout (60 s) so the server never closes one the balancer is about to reuse. A
  // request in progress has seconds, not minutes: its headers, then its whole body (readBody's own deadline
  // answers 408 naming the body; requestTimeout is the backstop).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = timeouts.headers;
  server.requestTimeout = timeouts.headers + timeouts.body;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [status, reason] = clientErrorStatus(err.code);
    const code = status === 408 ? 'request_timeout' : 'bad_request';
    const message = status === 408 ? `the request did not arrive within ${timeouts.headers} ms (headers)` : `malformed HTTP request: ${excerpt(err.message)}`;
    const text = JSON.stringify({ error: { status, code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
  });
  return server;
}

function refuseBody(req: IncomingMessage, res: ServerResponse, service: ServiceName, limit: number, size: number): void {
  sendError(res, new HttpError(413, 'body_too_large', `request body of ${size} bytes or more is over the limit of ${limit} bytes`), service, true);
  // Stop reading the rest; the connection closes once the answer is out.
  req.unpipe();
  res.once('finish', () => req.socket.destroy());
}

function answerFailure(res: ServerResponse, err: unknown, service: ServiceName): void {
  if (err instanceof HttpError) {
    sendError(res, err, service);
    return;
  }
  const message = excerpt(errorMessage(err), 200);
  sendError(res, new HttpError(500, 'internal', `internal error: ${message}`), service);
}
