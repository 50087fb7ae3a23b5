/**
 * A POST over node:http(s) with keep-alive agents: what deliveries use instead of fetch, which
 * costs several times more CPU per request in Node 20 (EventBridge sends one request per event).
 * Redirects are not followed here; the caller falls back to fetch for them.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { OriginGate } from './origin-gate.ts';

const SOCKETS_PER_ORIGIN = 256;
const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: SOCKETS_PER_ORIGIN }), https: new HttpsAgent({ keepAlive: true, maxSockets: SOCKETS_PER_ORIGIN }) };
/** Sends beyond the sockets wait here, cheaper than in the agent's queue (measured in origin-gate.ts). */
const gate = new OriginGate(SOCKETS_PER_ORIGIN);

export interface PlainResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * Requests in flight per caller signal. One abort listener per signal destroys them all: a listener
 * per request (or AbortSignal.any + AbortSignal.timeout per request) cost more than the request
 * itself with thousands in flight on the delivery worker's one signal.
 */
const inFlight = new WeakMap<AbortSignal, Set<(err: Error) => void>>();

/** `cancel` runs if the signal aborts before the returned untrack function is called. */
function track(signal: AbortSignal, cancel: (err: Error) => void): () => void {
  let set = inFlight.get(signal);
  if (set === undefined) {
    const cancels = new Set<(err: Error) => void>();
    set = cancels;
    inFlight.set(signal, cancels);
    signal.addEventListener('abort', () => {
      for (const c of [...cancels]) c(abortError(signal.reason));
      cancels.clear();
    }, { once: true });
  }
  set.add(cancel);
  return () => set.delete(cancel);
}

function abortError(reason: unknown): Error {
  return Object.assign(new Error('The operation was aborted', { cause: reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}

/**
 * Rejects with an error named TimeoutError once `timeoutMs` pass without a whole answer; the time a
 * send waits for a free socket counts, as it did while it waited in the agent's queue.
 */
export function keepAlivePost(url: URL, body: string | Buffer, headers: Record<string, string>, signal: AbortSignal, timeoutMs: number): Promise<PlainResponse> {
  if (signal.aborted) return Promise.reject(abortError(signal.reason));
  const https = url.protocol === 'https:';
  const origin = `${url.protocol}//${url.host}`;
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined;
    let settled = false;
    let holding = false;
    const send = () => (https ? httpsRequest : httpRequest)(url, {
      method: 'POST', agent: https ? agents.https : agents.http,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        done();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
    });
    // Timeout and abort end the request wherever it is (waiting for a socket, connecting, sending,
    // reading the answer).
    const cancel = (err: Error) => {
      fail(err);
      req?.destroy(err);
    };
    const untrack = track(signal, cancel);
    const timer = setTimeout(() => cancel(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })), timeoutMs);
    function done() {
      settled = true;
      clearTimeout(timer);
      untrack();
      if (holding) {
        holding = false;
        gate.leave(origin);
      }
    }
    function fail(err: Error) {
      done();
      reject(err);
    }
    gate.enter(origin, () => {
      if (settled) return false;
      try {
        req = send();
      } catch (err) {
        fail(err as Error);
        return false;
      }
      holding = true;
      req.on('error', fail);
      req.end(body);
      return true;
    });
  });
}
