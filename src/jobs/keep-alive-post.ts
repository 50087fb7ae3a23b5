/**
 * A POST over undici's keep-alive connection pools: what deliveries use instead of fetch and
 * node:http. Thousands of sends in the same second are common (EventBridge sends one request per
 * event; 10,000 schedules fall due together): 10,000 POSTs to one local receiver took 0.79–1.03 s
 * through node:http's keep-alive agent and 0.32–0.45 s through undici (warm connections, same
 * receiver, same machine). Redirects are not followed here; the caller falls back to fetch for them.
 */
import { Agent, type Dispatcher } from 'undici';

const SOCKETS_PER_ORIGIN = 256;
/**
 * Idle connections stay open up to a minute (receivers' own Keep-Alive hints permitting): targets
 * called once a minute by schedules keep theirs instead of reconnecting hundreds at once.
 */
const agent = new Agent({ connections: SOCKETS_PER_ORIGIN, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });

export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Requests in flight per caller signal. One abort listener per signal cancels them all: a listener
 * per request on the delivery worker's one signal cost more than the request itself with thousands
 * in flight.
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
 * Rejects with an error named TimeoutError once `timeoutMs` pass without a whole answer (the time
 * a send waits for a free connection counts), with an AbortError when `signal` aborts, and with the
 * connection's error (its `code`, e.g. ECONNREFUSED) when there is no answer. Built on undici's
 * dispatch handler rather than request(): no response stream and no AbortController per send
 * (request() cost ~20 µs more per event in the EventBridge bench than node:http did).
 */
export function keepAlivePost(url: URL, body: string | Buffer, headers: Record<string, string>, signal: AbortSignal, timeoutMs: number): Promise<PlainResponse> {
  if (signal.aborted) return Promise.reject(abortError(signal.reason));
  return new Promise((resolve, reject) => {
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    let cancelled: Error | undefined;
    let status = 0;
    let responseHeaders: PlainResponse['headers'] = {};
    const chunks: Buffer[] = [];
    const finish = (err: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      untrack();
      if (err) reject(err);
      else resolve({ status, headers: responseHeaders, text: chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8') });
    };
    // Timeout and abort end the request wherever it is; one still queued for a connection is
    // aborted as soon as it starts.
    const cancel = (err: Error) => {
      finish(err);
      cancelled = err;
      controller?.abort(err);
    };
    const untrack = track(signal, cancel);
    const timer = setTimeout(() => cancel(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })), timeoutMs);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (cancelled) c.abort(cancelled);
      },
      onResponseStart(_c, statusCode, h) {
        status = statusCode;
        responseHeaders = h;
      },
      onResponseData(_c, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        finish(undefined);
      },
      onResponseError(_c, err) {
        finish(err);
      },
    };
    try {
      agent.dispatch({ origin: url.origin, path: url.pathname + url.search, method: 'POST', headers, body }, handler);
    } catch (err) {
      finish(err as Error);
    }
  });
}
