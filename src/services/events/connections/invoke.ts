/**
 * Invoking an API destination target: the destination and its connection are read per invocation
 * (an update takes effect at once), the destination's rate limit is applied, the connection's
 * authorization is added (Basic, API key, or an OAuth token — fetched at first use, which
 * authorizes the connection, and fetched again once on 401/407), and the outcome is classified as
 * the other targets' are (server/targets/invoke.ts): 429 THROTTLING, 5xx and network errors
 * retried, other 4xx permanent SDK_CLIENT_ERROR.
 */
import { parseArn, type Scope } from '../../../lib/arn.ts';
import type { InvokeErrorCode, InvokeOutcome } from '../../../server/targets/invoke.ts';
import { urlOrigin, type PostOutcome } from '../../../jobs/http-post.ts';
import type { ApiDestinationInvoker } from '../delivery.ts';
import type { TargetDelivery } from '../dispatch.ts';
import { openAuth, type AuthParams } from './auth.ts';
import type { ConnectionsContext } from './context.ts';
import type { ConnectionRecord, DestinationRecord } from './repo.ts';
import { basicAuthorization, buildRequest, RequestError } from './request.ts';
import { sendRequest, type Sent } from './send.ts';

export interface InvokerDeps {
  timeoutMs: number;
  fetch?: typeof fetch;
}

const fail = (code: InvokeErrorCode, error: string, permanent = true, retryAfterMs?: number): InvokeOutcome =>
  ({ ok: false, permanent, code, error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

function classify(o: PostOutcome, status: number | undefined): InvokeOutcome {
  if (o.ok) return o;
  const code: InvokeErrorCode = status === 429 ? 'THROTTLING' : o.permanent ? 'SDK_CLIENT_ERROR' : 'INTERNAL_ERROR';
  return { ...o, code };
}

/** The connection's own scope, from its ARN. */
function scopeOf(conn: ConnectionRecord): Scope {
  const a = parseArn(conn.arn)!;
  return { account: a.account, region: a.region };
}

const tokenKey = (conn: ConnectionRecord) => `${conn.arn}#${conn.modifiedAt}`;

export function createInvoker(c: ConnectionsContext, deps: InvokerDeps): ApiDestinationInvoker {
  return async (d: TargetDelivery, body: string, signal: AbortSignal) => {
    const dest = await c.repo.destinationByArn(d.target.Arn!);
    if (!dest) return fail('RESOURCE_NOT_FOUND', `API destination ${d.target.Arn} does not exist.`);
    const conn = await c.repo.connectionByArn(dest.connectionArn);
    if (!conn) return fail('RESOURCE_NOT_FOUND', `The connection ${dest.connectionArn} of API destination ${dest.name} does not exist.`);
    if (conn.state === 'DEAUTHORIZED' || conn.state === 'DEAUTHORIZING') {
      return fail('NO_PERMISSIONS', `The connection ${conn.name} is ${conn.state}${conn.stateReason ? `: ${conn.stateReason}` : ''}`);
    }
    const waitMs = c.limiter.take(dest.arn, dest.rateLimit);
    if (waitMs > 0) return fail('THROTTLING', `API destination ${dest.name} is over its InvocationRateLimitPerSecond (${dest.rateLimit})`, false, waitMs);
    let auth: AuthParams;
    try {
      auth = openAuth(c.keys, conn.arn, conn.sealedAuth);
    } catch (e) {
      return fail('INTERNAL_ERROR', `the secrets of connection ${conn.name} could not be opened: ${(e as Error).message}`);
    }
    try {
      return await send(c, deps, { d, dest, conn, auth, body, signal });
    } catch (e) {
      if (e instanceof RequestError || e instanceof TypeError) return fail('SDK_CLIENT_ERROR', e.message);
      throw e;
    }
  };
}

interface Call {
  d: TargetDelivery;
  dest: DestinationRecord;
  conn: ConnectionRecord;
  auth: AuthParams;
  body: string;
  signal: AbortSignal;
}

async function send(c: ConnectionsContext, deps: InvokerDeps, call: Call): Promise<InvokeOutcome> {
  const { conn, auth } = call;
  if (conn.authType !== 'OAUTH_CLIENT_CREDENTIALS') {
    const header: [string, string] = conn.authType === 'BASIC'
      ? ['Authorization', basicAuthorization(auth.BasicAuthParameters!.Username!, auth.BasicAuthParameters!.Password!)]
      : [auth.ApiKeyAuthParameters!.ApiKeyName!, auth.ApiKeyAuthParameters!.ApiKeyValue!];
    const sent = await once(c, deps, call, header);
    return classify(sent.outcome, sent.status);
  }
  let sent: Sent | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await c.tokens.token(tokenKey(conn), auth.OAuthParameters!, call.signal);
    if (!token.ok) return tokenFailure(c, call, token);
    if (conn.state !== 'AUTHORIZED') await authorized(c, call);
    sent = await once(c, deps, call, ['Authorization', `Bearer ${token.token}`]);
    // A refused token may have been revoked or expired early: fetch a new one and try once more.
    if (sent.status !== 401 && sent.status !== 407) break;
    c.tokens.forget(tokenKey(conn));
  }
  return classify(sent!.outcome, sent!.status);
}

function once(c: ConnectionsContext, deps: InvokerDeps, call: Call, header: [string, string]): Promise<Sent> {
  const req = buildRequest({
    endpoint: call.dest.endpoint, method: call.dest.httpMethod, target: call.d.target.HttpParameters,
    connection: call.auth.InvocationHttpParameters, auth: header, body: call.body,
  });
  return sendRequest(req, { timeoutMs: deps.timeoutMs, signal: call.signal, now: () => c.clock.now(), describe: urlOrigin, fetch: deps.fetch });
}

/** The first token authorizes an OAuth connection (AUTHORIZING → AUTHORIZED). */
async function authorized(c: ConnectionsContext, call: Call): Promise<void> {
  await c.repo.updateConnection(scopeOf(call.conn), call.conn.name, { state: 'AUTHORIZED', stateReason: undefined, authorizedAt: c.clock.now() });
  call.conn.state = 'AUTHORIZED';
}

/** An endpoint refusing the client credentials deauthorizes the connection, as on AWS; outages are retried. */
async function tokenFailure(c: ConnectionsContext, call: Call, t: { permanent: boolean; error: string }): Promise<InvokeOutcome> {
  if (!t.permanent) return fail('INTERNAL_ERROR', t.error, false);
  await c.repo.updateConnection(scopeOf(call.conn), call.conn.name, { state: 'DEAUTHORIZED', stateReason: t.error.slice(0, 512) });
  c.log.warn({ connection: call.conn.arn, error: t.error }, 'events: OAuth connection deauthorized');
  return fail('NO_PERMISSIONS', t.error);
}
