/**
 * One HTTP POST of an outbox delivery, classified the way every delivery handler (log
 * subscriptions, SNS, alarm actions) must: 2xx delivered; network errors, timeouts, 408, 429 and 5xx
 * retried (honouring Retry-After); other statuses permanent (retried a few times, then
 * dead-lettered by the worker).
 */
import type { DeliveryResult } from './delivery-worker.ts';

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

export async function postForDelivery(url: string, body: string, o: PostOptions): Promise<PostOutcome> {
  const where = o.describe(url);
  try {
    const res = await (o.fetch ?? globalThis.fetch)(url, {
      method: 'POST', headers: o.headers, body, redirect: o.redirect,
      signal: AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)]),
    });
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300) return { ok: true };
    const error = `HTTP ${res.status} from ${where}${text ? `: ${text.slice(0, ERROR_BODY_CHARS)}` : ''}`;
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    return { ok: false, permanent: !retryable, error, retryAfterMs: retryAfterMs(res.headers.get('retry-after'), o.now()) };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const reason = err.name === 'TimeoutError' ? `no answer within ${o.timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
    return { ok: false, permanent: false, error: `POST ${where} failed: ${reason}` };
  }
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
