/**
 * OAuth client-credentials tokens for connections: fetched from the connection's authorization
 * endpoint with the client ID and secret as Basic credentials (plus the connection's
 * OAuthHttpParameters: headers, query string, and body parameters sent form-encoded), cached until
 * shortly before `expires_in` runs out — AWS refreshes proactively near expiry and on 401/407.
 * Tokens stay in memory only: they are short-lived and any process can fetch its own.
 */
import type { CreateConnectionOAuthRequestParameters } from '@aws-sdk/client-eventbridge';
import { urlOrigin } from '../../../jobs/http-post.ts';
import { basicAuthorization } from './request.ts';

/** Refetch this long before the token expires (at most a tenth of its lifetime). */
const EARLY_MS = 60_000;
/** A token without expires_in is used until the endpoint refuses it (401/407). */
const NO_EXPIRY_MS = 3_600_000;

export type TokenResult = { ok: true; token: string } | { ok: false; permanent: boolean; error: string };

export interface OAuthDeps {
  now: () => number;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export class OAuthTokens {
  private readonly cache = new Map<string, { token: string; refreshAt: number }>();
  /** Concurrent invocations of a connection wait for one token request rather than each sending theirs. */
  private readonly pending = new Map<string, Promise<TokenResult>>();

  constructor(private readonly deps: OAuthDeps) {}

  /** `key` names the connection and its version (its ARN and LastModifiedTime): an update fetches anew. */
  async token(key: string, o: CreateConnectionOAuthRequestParameters, signal: AbortSignal): Promise<TokenResult> {
    const hit = this.cache.get(key);
    if (hit && hit.refreshAt > this.deps.now()) return { ok: true, token: hit.token };
    let p = this.pending.get(key);
    if (!p) {
      p = this.fetchToken(o, signal).then((got) => {
        if (got.ok) this.cache.set(key, { token: got.token, refreshAt: this.deps.now() + got.lifetimeMs - Math.min(EARLY_MS, got.lifetimeMs / 10) });
        return got.ok ? { ok: true as const, token: got.token } : got;
      }).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  forget(key: string): void {
    this.cache.delete(key);
  }

  /** Forgets every cached version of a connection (deauthorized, deleted). */
  forgetConnection(arn: string): void {
    for (const k of this.cache.keys()) if (k.startsWith(`${arn}#`)) this.cache.delete(k);
  }

  private async fetchToken(o: CreateConnectionOAuthRequestParameters, signal: AbortSignal): Promise<{ ok: true; token: string; lifetimeMs: number } | Extract<TokenResult, { ok: false }>> {
    const where = urlOrigin(o.AuthorizationEndpoint!);
    const url = new URL(o.AuthorizationEndpoint!);
    const http = o.OAuthHttpParameters;
    for (const q of http?.QueryStringParameters ?? []) if (q.Key) url.searchParams.set(q.Key, q.Value ?? '');
    const headers: Record<string, string> = {
      Authorization: basicAuthorization(o.ClientParameters!.ClientID!, o.ClientParameters!.ClientSecret!), Accept: 'application/json',
    };
    for (const h of http?.HeaderParameters ?? []) if (h.Key) headers[h.Key] = h.Value ?? '';
    const method = (o.HttpMethod ?? 'POST').toUpperCase();
    const form = new URLSearchParams((http?.BodyParameters ?? []).filter((b) => b.Key).map((b): [string, string] => [b.Key!, b.Value ?? '']));
    const body = method === 'GET' ? undefined : form.toString();
    if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    let res: Response;
    try {
      res = await (this.deps.fetch ?? globalThis.fetch)(url, { method, headers, body, signal: AbortSignal.any([signal, AbortSignal.timeout(this.deps.timeoutMs)]) });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return { ok: false, permanent: false, error: `the OAuth authorization endpoint ${where} did not answer: ${err.name === 'TimeoutError' ? `no answer within ${this.deps.timeoutMs} ms` : (err.cause?.code ?? err.message)}` };
    }
    const text = await res.text().catch(() => '');
    if (res.status < 200 || res.status >= 300) {
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      return { ok: false, permanent: !retryable, error: `the OAuth authorization endpoint ${where} answered HTTP ${res.status}${text ? `: ${text.slice(0, 300)}` : ''}` };
    }
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = {};
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') {
      return { ok: false, permanent: true, error: `the OAuth authorization endpoint ${where} answered without an access_token` };
    }
    const expires = Number(parsed.expires_in);
    return { ok: true, token: parsed.access_token, lifetimeMs: Number.isFinite(expires) && expires > 0 ? expires * 1000 : NO_EXPIRY_MS };
  }
}
