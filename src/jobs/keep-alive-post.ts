/**
 * A POST over undici's keep-alive connection pools: what deliveries use instead of fetch and
 * node:http. Thousands of sends in the same second are common (EventBridge sends one request per
 * event; 10,000 schedules fall due together): 10,000 POSTs to one local receiver took 0.79–1.03 s
 * through node:http's keep-alive agent and 0.32–0.45 s through undici (warm connections, same
 * receiver, same machine). Redirects are not followed here; the caller falls back to fetch for them.
 */
import { Agent, request } from 'undici';

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
 * connection's error (its `code`, e.g. ECONNREFUSED) when there is no answer.
 */
export function keepAlivePost(url: URL, body: string | Buffer, headers: Record<string, string>, signal: AbortSignal, timeoutMs: number): Promise<PlainResponse> {
  if (signal.aborted) return Promise.reject(abortError(signal.reason));
  return new Promise((resolve, reject) => {
    const stop = new AbortController();
    let settled = false;
    const finish = (err: Error | undefined, res?: PlainResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      untrack();
      if (err) reject(err);
      else resolve(res!);
    };
    // Timeout and abort end the request wherever it is (queued, connecting, sending, reading).
    const cancel = (err: Error) => {
      finish(err);
      stop.abort(err);
    };
    const untrack = track(signal, cancel);
    const timer = setTimeout(() => cancel(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })), timeoutMs);
    request(url, { method: 'POST', headers, body, dispatcher: agent, signal: stop.signal })
      .then(async (res) => finish(undefined, { status: res.statusCode, headers: res.headers, text: await res.body.text() }))
      .catch((err: Error) => finish(err));
  });
}
