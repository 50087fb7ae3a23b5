import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../lib/logger.ts';
import type { ProtocolEngine, RawRequest, RawResponse } from '../protocol/engine.ts';
import { ServiceError } from '../protocol/errors.ts';
import { AuthFailure } from '../protocol/sigv4.ts';
import { acceptH2c, closeH2cSessions, isHttp2, requestHeaders } from './h2c.ts';
import type { HttpRoute, RouteRequest } from './module.ts';

export interface HttpOptions {
  engine: ProtocolEngine;
  log: Logger;
  maxBodyBytes: number;
  health: () => Promise<Record<string, unknown>>;
  /**
   * `GET /metrics` (Prometheus text format), unauthenticated like any exporter: counts and levels
   * labelled by service, operation, table, topic — no accounts, no resource names.
   */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** The modules' own routes (SNS's public links, OTLP…), served before any AWS routing. */
  routes: HttpRoute[];
}

class BodyTooLarge extends Error {}

/**
 * Reads the whole body, refusing more than `max` bytes. An oversized body is still drained (not
 * buffered) so the client finishes sending and can read the 413; past 16× the limit the socket is
 * cut instead, so nobody can make us read forever.
 */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > max;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) tooLarge = true;
      if (size > max * 16) {
        req.destroy();
        reject(new BodyTooLarge());
        return;
      }
      if (!tooLarge) chunks.push(c);
    });
    req.on('end', () => {
      if (tooLarge) reject(new BodyTooLarge());
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/**
 * The single listener: AWS API calls go to the protocol engine; `/_osprey/*` is Osprey's own.
 * Tracks in-flight requests so shutdown can wait for acknowledged work to finish.
 */
export function createHttpServer(opts: HttpOptions): { server: Server; inFlight: () => number } {
  let inFlight = 0;
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight++;
    res.on('close', () => inFlight--);
    handle(opts, req, res).catch((err) => {
      opts.log.error({ err }, 'request failed outside the protocol engine');
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: 'Internal server error' }));
      } else {
        res.destroy();
      }
    });
  };
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 120_000 }, onRequest);
  acceptH2c(server, onRequest);
  return { server, inFlight: () => inFlight };
}

/** A module's own route; `auth: 'sigv4'` ones only for requests signed with a configured key. */
async function serveRoute(
  opts: HttpOptions, route: HttpRoute, req: IncomingMessage, res: ServerResponse, at: { path: string; rawQuery: string; url: string },
): Promise<void> {
  let body: Buffer;
  try {
    body = req.method === 'GET' ? Buffer.alloc(0) : await readBody(req, opts.maxBodyBytes);
  } catch (e) {
    if (!(e instanceof BodyTooLarge)) throw e;
    res.writeHead(413, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: `Request body exceeds the limit of ${opts.maxBodyBytes} bytes` }));
    return;
  }
  let identity: RouteRequest['identity'];
  if (route.auth === 'sigv4') {
    try {
      identity = opts.engine.verifySigned({ method: req.method ?? 'POST', path: at.path, rawQuery: at.rawQuery, headers: requestHeaders(req), body, remoteAddress: req.socket.remoteAddress ?? '' });
    } catch (e) {
      if (!(e instanceof AuthFailure)) throw e;
      res.writeHead(403, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: `Request not signed with a known key (SigV4): ${e.message}` }));
      return;
    }
  }
  const r = await route.handle(at.url, body, { headers: req.headers, ...(identity ? { identity } : {}) });
  res.writeHead(r.status, r.headers);
  res.end(r.body);
}

async function handle(opts: HttpOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  const rawQuery = q >= 0 ? url.slice(q + 1) : '';

  const route = opts.routes.find((r) => r.method === req.method && path.startsWith(r.prefix));
  if (route) {
    await serveRoute(opts, route, req, res, { path, rawQuery, url });
    return;
  }

  if (req.method === 'GET' && path === '/_osprey/health') {
    const body = JSON.stringify({ status: 'ok', ...(await opts.health()) });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
    return;
  }

  // The console has a page at /metrics too: a browser navigating there asks for HTML and gets the
  // console; Prometheus (and curl) ask for text and get the exposition format.
  if (req.method === 'GET' && path === '/metrics' && opts.metrics && !String(req.headers.accept ?? '').includes('text/html')) {
    const m = await opts.metrics();
    res.writeHead(200, { 'Content-Type': m.contentType });
    res.end(m.body);
    return;
  }

  let body: Buffer;
  try {
    body = await readBody(req, opts.maxBodyBytes);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      const out = opts.engine.reject(
        { method: req.method ?? 'POST', path, rawQuery, headers: req.headers, body: Buffer.alloc(0), remoteAddress: req.socket.remoteAddress ?? '' },
        new ServiceError('RequestEntityTooLarge', `Request body exceeds the limit of ${opts.maxBodyBytes} bytes`, { status: 413 }),
      );
      send(res, out, !isHttp2(req));
      return;
    }
    throw e;
  }

  const raw: RawRequest = {
    method: req.method ?? 'GET',
    path,
    rawQuery,
    // Repeated headers kept apart, as SigV4's canonical form needs.
    headers: requestHeaders(req),
    body,
    remoteAddress: req.socket.remoteAddress ?? '',
  };
  const out = await opts.engine.handle(raw);
  // Not an AWS call (the router only declines unsigned, unrecognised requests): maybe the console.
  if (!out && (raw.method === 'GET' || raw.method === 'HEAD') && !path.startsWith('/_osprey/') && (await serveConsole(path, raw.method, res))) return;
  if (!out) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `No AWS operation or page at ${req.method} ${path}` }));
    return;
  }
  if (out.stream) {
    await sendStream(res, out);
    return;
  }
  send(res, out, false);
}

/**
 * Stops accepting; keep-alive sockets close once idle and in-flight requests get up to `graceMs`
 * to complete (their work was acknowledged or is about to be), then the rest are cut.
 */
export async function closeHttpServer(server: Server, inFlight: () => number, graceMs = 30_000): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  closeH2cSessions(server, false);
  const deadline = Date.now() + graceMs;
  while (inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  server.closeAllConnections();
  closeH2cSessions(server, true);
  await closed;
}

const CONSOLE_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

/**
 * The web console (web/dist): a file if one exists, else index.html for extension-less paths so
 * the SPA's own URLs (/logs?group=…) load on refresh. Returns false when there is nothing to serve
 * (console not built, or a missing asset), leaving the API's 404.
 */
async function serveConsole(path: string, method: string, res: ServerResponse): Promise<boolean> {
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(path)).replace(/^[/\\]+/, '');
  } catch {
    return false;
  }
  if (rel.split(sep).includes('..')) return false;
  let file = join(CONSOLE_DIR, rel);
  const isFile = await stat(file).then((s) => s.isFile(), () => false);
  if (!isFile) {
    if (extname(rel) !== '') return false;
    file = join(CONSOLE_DIR, 'index.html');
  }
  const body = await readFile(file).catch(() => undefined);
  if (!body) return false;
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': String(body.length),
    // Vite fingerprints everything under assets/; index.html must be revalidated to pick up new builds.
    'Cache-Control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
}

/** Writes an event stream frame by frame; a client that goes away ends the producer too. */
async function sendStream(res: ServerResponse, out: RawResponse): Promise<void> {
  res.writeHead(out.status, out.headers);
  const it = out.stream![Symbol.asyncIterator]();
  const closed = new Promise<void>((resolve) => res.on('close', resolve));
  let done = false;
  void closed.then(() => {
    if (!done) void it.return?.();
  });
  try {
    for (;;) {
      const next = await Promise.race([it.next(), closed.then(() => ({ done: true, value: undefined }) as const)]);
      if (next.done) break;
      if (!res.write(next.value)) await new Promise((r) => res.once('drain', r));
    }
  } finally {
    done = true;
    res.end();
  }
}

function send(res: ServerResponse, out: RawResponse, close: boolean): void {
  // A text body is written as it is: Node sends the headers and a string in one write, with no copy into a Buffer first.
  const length = typeof out.body === 'string' ? Buffer.byteLength(out.body, 'utf8') : out.body.length;
  const headers: Record<string, string> = { ...out.headers, 'Content-Length': String(length) };
  // The unread remainder of an oversized body makes the connection unusable.
  if (close) headers.Connection = 'close';
  res.writeHead(out.status, headers);
  res.end(out.body, 'utf8');
}
