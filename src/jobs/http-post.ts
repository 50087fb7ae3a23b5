/**
 * One HTTP POST of an outbox delivery, classified the way every delivery handler (log
 * subscriptions, SNS, alarm actions) must: 2xx delivered; network errors, timeouts, 408, 429 and 5xx
 * retried (honouring Retry-After); other statuses permanent (retried a few times, then
 * dead-lettered by the worker).
 */
import type { DeliveryResult } from './delivery-worker.ts';
import { keepAlivePost } from './keep-alive-post.ts';

type Failure = Extract<DeliveryResult, { ok: false }>;
export type PostOutcome = { ok: true } | Omit<Failure, 'id'>;

const ERROR_BODY_CHARS = 300;

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  now: () => number;
  /** How the URL appears in errors (webhook URLs carry secrets). */
  describe: (url: string) => string;
  /** SNS does not follow redirects. */
  redirect?: 'follow' | 'manual' | 'error';
  fetch?: typeof fetch;
}

/** Status, Retry-After and body text, however the request was made. */
async function send(url: string, body: string, o: PostOptions): Promise<{ status: number; retryAfter: string | null; text: string }> {
  if (o.fetch === undefined) {
    const u = parsedUrl(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') {
      const res = await keepAlivePost(u, body, o.headers, o.signal, o.timeoutMs);
      const followed = res.status >= 300 && res.status < 400 && o.redirect !== 'manual' && res.headers.location !== undefined;
      if (!followed) return { status: res.status, retryAfter: String(res.headers['retry-after'] ?? '') || null, text: res.text };
    }
  }
  // Injected fetch (tests), other schemes and redirects to follow: fetch's semantics.
  const signal = AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)]);
  const res = await (o.fetch ?? globalThis.fetch)(url, { method: 'POST', headers: o.headers, body, redirect: o.redirect, signal });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text().catch(() => '') };
}

export async function postForDelivery(url: string, body: string, o: PostOptions): Promise<PostOutcome> {
  try {
    const res = await send(url, body, o);
    const text = res.text;
    if (res.status >= 200 && res.status < 300) return { ok: true };
    const where = o.describe(url);
    const error = `HTTP ${res.status} from ${where}${text ? `: ${text.slice(0, ERROR_BODY_CHARS)}` : ''}`;
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    return { ok: false, permanent: !retryable, error, retryAfterMs: retryAfterMs(res.retryAfter, o.now()) };
  } catch (e) {
    const where = o.describe(url);
    const err = e as Error & { code?: string; cause?: { name?: string; code?: string; message?: string } };
    // fetch rejects with the TimeoutError itself; node:http with an AbortError caused by it.
    const timedOut = err.name === 'TimeoutError' || err.cause?.name === 'TimeoutError';
    const reason = timedOut ? `no answer within ${o.timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.code ?? err.message);
    return { ok: false, permanent: false, error: `POST ${where} failed: ${reason}` };
  }
}

/** Parsed delivery URLs: the same few (Lambda URLs, endpoints) are posted to thousands of times a second. */
const urls = new Map<string, URL>();
const MAX_CACHED_URLS = 1000;

function parsedUrl(url: string): URL {
  let u = urls.get(url);
  if (u === undefined) {
    u = new URL(url);
    if (urls.size >= MAX_CACHED_URLS) urls.clear();
    urls.set(url, u);
  }
  return u;
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** Origin only: webhook URLs carry their secret in the path (Slack) or query. */
export function urlOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '<invalid URL>';
  }
}
