/**
 * HTTP/2 without TLS ("prior knowledge" h2c) on the same port as HTTP/1.1. The AWS SDK for
 * JavaScript v3 sends every Kinesis call over HTTP/2 (its SubscribeToShard needs it), and against an
 * http:// endpoint it opens h2c: without this, `new KinesisClient({ endpoint })` fails with
 * "Protocol error". Each new connection's first bytes decide: the HTTP/2 connection preface goes
 * to an http2 server, anything else to the HTTP/1.1 server, both calling the same request handler
 * (Node's compatibility API gives HTTP/2 streams the req/res shape).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createH2Server, type Http2Session } from 'node:http2';
import type { Socket } from 'node:net';

/** Every HTTP/2 connection preface starts with these bytes ("PRI * HTTP/2.0…"). */
const PREFACE_START = 'PRI ';

/** A connection that sends nothing is closed after this long (HTTP/1.1's own timeouts start with its first byte). */
const FIRST_BYTES_TIMEOUT_MS = 120_000;

const sessions = new WeakMap<Server, Set<Http2Session>>();

/** Makes `server` also accept h2c connections, served by `handler`. */
export function acceptH2c(server: Server, handler: (req: IncomingMessage, res: ServerResponse) => void): void {
  const h2 = createH2Server({}, (req, res) => handler(req as unknown as IncomingMessage, res as unknown as ServerResponse));
  const open = new Set<Http2Session>();
  sessions.set(server, open);
  h2.on('session', (s: Http2Session) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  const [http1] = server.listeners('connection') as Array<(socket: Socket) => void>;
  if (!http1) throw new Error('acceptH2c: the HTTP/1.1 server has no connection listener');
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    // Until the first bytes arrive neither protocol owns the socket: its errors and its idle time
    // are ours (an unhandled socket error would take the process down).
    const onError = (): void => void socket.destroy();
    socket.on('error', onError);
    socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.removeListener('error', onError);
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(first);
      if (first.subarray(0, PREFACE_START.length).toString('latin1') === PREFACE_START) {
        // The HTTP/2 session reads the socket itself (and the bytes put back) from here on.
        h2.emit('connection', socket);
      } else {
        http1.call(server, socket);
        socket.resume();
      }
    });
  });
}

/** Asks open HTTP/2 connections to finish (GOAWAY: streams in flight complete); `force` cuts them. */
export function closeH2cSessions(server: Server, force: boolean): void {
  for (const s of sessions.get(server) ?? []) {
    if (force) s.destroy();
    else s.close();
  }
}

/**
 * A request's headers as HTTP/1.1 has them (repeated headers apart, as SigV4's canonical form
 * needs). HTTP/2 carries Host as the :authority pseudo-header: it is kept, and copied to `host`.
 */
export function requestHeaders(req: IncomingMessage): Record<string, string[] | undefined> {
  if (req.httpVersionMajor !== 2) return req.headersDistinct;
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    // :authority stays: SDK v3 signs it (SignedHeaders=:authority;…); the other pseudo-headers are
    // the method and path, which the request carries anyway.
    if ((k.startsWith(':') && k !== ':authority') || v === undefined) continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  const authority = (req.headers as Record<string, string | string[] | undefined>)[':authority'];
  if (out.host === undefined && typeof authority === 'string') out.host = [authority];
  return out;
}

/** HTTP/2 forbids connection-specific response headers (Connection, Keep-Alive…). */
export const isHttp2 = (req: IncomingMessage): boolean => req.httpVersionMajor === 2;
