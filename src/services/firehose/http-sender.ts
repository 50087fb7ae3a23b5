/**
 * One HTTP endpoint delivery request and its outcome as Firehose judges it: only 200 delivers the
 * records; 413 is a permanent failure (the batch is not retried and not backed up); every other
 * answer, a timeout or a network error is retried until RetryOptions.DurationInSeconds runs out.
 * Backoff follows the specification: 1 s · 2^attempt with ±15 % jitter, at most 2 minutes.
 */
import { keepAlivePost } from '../../jobs/keep-alive-post.ts';
import { firehoseRequest, stableRequestId } from '../../server/targets/firehose-http-request.ts';
import type { HttpTarget } from './destination.ts';

/** Endpoints have 3 minutes to answer. */
const RESPONSE_TIMEOUT_MS = 180_000;
const ERROR_TEXT = 512;

export type HttpOutcome = { ok: true } | { ok: false; permanent: boolean; errorCode: string; errorMessage: string };

export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(120_000, 1000 * 2 ** attempt) * (0.85 + 0.3 * random());
}

export async function sendToEndpoint(t: HttpTarget, o: { sourceArn: string; batchKey: string; records: Buffer[]; now: number; signal: AbortSignal }): Promise<HttpOutcome> {
  const requestId = stableRequestId(`${o.sourceArn}|${o.batchKey}`);
  const { body, headers } = firehoseRequest({
    requestId, timestamp: o.now, records: o.records.map((r) => r.toString('base64')), sourceArn: o.sourceArn,
    accessKey: t.accessKey, commonAttributes: t.commonAttributes, gzip: t.gzip,
  });
  try {
    const res = await keepAlivePost(new URL(t.url), body, headers, o.signal, RESPONSE_TIMEOUT_MS);
    if (res.status === 200) return { ok: true };
    let message = res.text.slice(0, ERROR_TEXT);
    try {
      const parsed = JSON.parse(res.text) as { errorMessage?: unknown };
      if (typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
    } catch {
      // not JSON: keep the text
    }
    return {
      ok: false, permanent: res.status === 413, errorCode: res.status === 413 ? 'HttpEndpoint.PayloadTooLarge' : 'HttpEndpoint.DestinationException',
      errorMessage: `The endpoint answered HTTP ${res.status}${message ? `: ${message}` : ''}`,
    };
  } catch (e) {
    const err = e as Error & { code?: string };
    const timedOut = err.name === 'TimeoutError';
    return {
      ok: false, permanent: false, errorCode: timedOut ? 'HttpEndpoint.ResponseTimeout' : 'HttpEndpoint.RequestFailed',
      errorMessage: timedOut ? `The endpoint did not answer within ${RESPONSE_TIMEOUT_MS / 1000} seconds.` : `Could not reach the endpoint: ${err.code ?? err.message}`,
    };
  }
}
