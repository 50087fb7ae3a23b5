/**
 * One API destination request through the delivery POST (src/jobs/http-post.ts), which classifies
 * results the way every delivery needs: API destinations also use GET, PUT, PATCH, DELETE, HEAD and
 * OPTIONS, so the method is swapped in underneath it, and the status is kept (OAuth re-fetches its
 * token on 401/407).
 */
import { postForDelivery, type PostOptions, type PostOutcome } from '../../../jobs/http-post.ts';
import type { OutgoingRequest } from './request.ts';

export interface Sent {
  outcome: PostOutcome;
  /** Absent when no response came (network error, timeout). */
  status?: number;
}

export async function sendRequest(req: OutgoingRequest, o: Omit<PostOptions, 'headers'>): Promise<Sent> {
  const base = o.fetch ?? globalThis.fetch;
  let status: number | undefined;
  const withMethod: typeof fetch = async (url, init) => {
    const res = await base(url, { ...init, method: req.method, ...(req.body === undefined ? { body: undefined } : {}) });
    status = res.status;
    return res;
  };
  const outcome = await postForDelivery(req.url, req.body ?? '', { ...o, headers: req.headers, fetch: withMethod });
  if (!outcome.ok && req.method !== 'POST') outcome.error = outcome.error.replace(/^POST /, `${req.method} `);
  return { outcome, status };
}
