// The HTTP plumbing both services share: a server that never crashes on bad input, body reading with a
// size limit, JSON errors naming the problem, and the X-Request-Start queueing header.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../errors.js';
import type { ErrorResponse, ServiceName } from '../results/serving.js';

/** An answer other than 2xx, with a stable code and a message naming the problem. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}

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
  /** GET /health answer. */
  health: () => Record<string, unknown>;
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

/** Parse a body as a JSON object; anything else is a 400 naming what was wrong. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) throw new HttpError(400, 'bad_json', 'empty body: expected a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, 'bad_json', `malformed JSON: ${errorMessage(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'bad_body', `expected a JSON object, got ${describeJson(value)}`);
  }
  return value as Record<string, unknown>;
}

/** A short description of a JSON value's type, for error messages. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string'
    ? `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`
    : `${typeof value} ${JSON.stringify(value)}`;
}

/** An optional integer field in [min, max]. */
export function optionalInteger(obj: Record<string, unknown>, field: string, min: number, max: number): number | undefined {
  const v = obj[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new HttpError(400, 'bad_field', `${field}: expected an integer, got ${describeJson(v)}`);
  if (v < min || v > max) throw new HttpError(400, 'n_out_of_range', `${field}: must be between ${min} and ${max}, got ${v}`);
  return v;
}

/**
 * An HTTP server for one service: routes, GET /health, a body size limit, and JSON errors for anything
 * wrong; an exception in a handler becomes a 500, never a crash.
 */
export function createServiceServer(options: ServiceServerOptions): Server {
  const { service, bodyLimitBytes, routes } = options;
  const finish = (res: ServerResponse) => options.onResponse?.(res.statusCode, errorCodes.get(res));

  const server = createServer((req, res) => {
    res.once('finish', () => finish(res));
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    if (pathname === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        req.resume();
        return sendError(res, new HttpError(405, 'method_not_allowed', `${req.method} /health: use GET`), service);
      }
      req.resume();
      return sendJson(res, 200, { status: 'ok', service, pid: process.pid, ...options.health() });
    }
    const route = routes[pathname];
    if (route === undefined) {
      req.resume();
      return sendError(
        res,
        new HttpError(404, 'not_found', `no route ${pathname}; this ${service} service answers POST ${Object.keys(routes).join(', ')} and GET /health`),
        service,
      );
    }
    if (req.method !== 'POST') {
      req.resume();
      return sendError(res, new HttpError(405, 'method_not_allowed', `${req.method} ${pathname}: use POST with a JSON body`), service);
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > bodyLimitBytes) {
      return refuseBody(req, res, service, bodyLimitBytes, declared);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > bodyLimitBytes) {
        refused = true;
        refuseBody(req, res, service, bodyLimitBytes, size);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      // A client that went away mid-body: nothing to answer.
    });
    req.on('end', () => {
      if (refused) return;
      const startMs = performance.now();
      const ctx: RequestContext = {
        req,
        res,
        startMs,
        startEpochMs: performance.timeOrigin + startMs,
        body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
      };
      try {
        const r = route(ctx);
        if (r !== undefined) r.catch((err: unknown) => answerFailure(res, err, service));
      } catch (err) {
        answerFailure(res, err, service);
      }
    });
  });
  // Clients (autocannon, nginx upstream keepalive) hold connections open; keep them longer than nginx's
  // upstream keepalive_timeout (60 s) so the server never closes one the balancer is about to reuse.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const text = JSON.stringify({ error: { status: 400, code: 'bad_request', message: `malformed HTTP request: ${err.message}` } });
    socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
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
  const message = errorMessage(err);
  sendError(res, new HttpError(500, 'internal', `internal error: ${message}`), service);
}
