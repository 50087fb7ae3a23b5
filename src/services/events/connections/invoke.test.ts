import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setup, type Seen } from './test-support.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';

for (const engine of await metaEngines()) describe(`connections: invoke on ${engine.name}`, () => {

  type Respond = (req: Seen) => { status: number; body?: string };
  const TOKEN_URL = 'https://auth.example.com/token';

  async function withDestination(kind: 'BASIC' | 'API_KEY' | 'OAUTH_CLIENT_CREDENTIALS', respond: Respond, dest: { endpoint?: string; method?: string; rate?: number } = {}) {
    const s = await setup(respond, false, engine);
    const AuthParameters = {
      BASIC: { BasicAuthParameters: { Username: 'user', Password: 'pass' } },
      API_KEY: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k1' } },
      OAUTH_CLIENT_CREDENTIALS: { OAuthParameters: { AuthorizationEndpoint: TOKEN_URL, HttpMethod: 'POST' as const, ClientParameters: { ClientID: 'id', ClientSecret: 'sec' } } },
    }[kind];
    const c = await s.h.CreateConnection(s.ctx, {
      Name: 'c', AuthorizationType: kind, AuthParameters: { ...AuthParameters, InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-conn', Value: 'yes' }] } },
    });
    const d = await s.h.CreateApiDestination(s.ctx, {
      Name: 'd', ConnectionArn: c.ConnectionArn, InvocationEndpoint: dest.endpoint ?? 'https://api.example.com/in/*',
      HttpMethod: (dest.method ?? 'POST') as 'POST', InvocationRateLimitPerSecond: dest.rate,
    });
    const send = () => s.conns.invoke(s.delivery(d.ApiDestinationArn!, { HttpParameters: { PathParameterValues: ['p1'] } }), '{"id":"e1"}', s.signal);
    return { ...s, send, destArn: d.ApiDestinationArn! };
  }

  const api = (seen: Seen[]) => seen.filter((r) => !r.url.startsWith(TOKEN_URL));

  test('a Basic connection sends the rendered event with its Authorization and invocation headers', async () => {
    const s = await withDestination('BASIC', () => ({ status: 200 }));
    assert.deepEqual(await s.send(), { ok: true });
    const [req] = s.seen;
    assert.equal(req!.url, 'https://api.example.com/in/p1');
    assert.equal(req!.method, 'POST');
    assert.equal(req!.body, '{"id":"e1"}');
    assert.equal(req!.headers.authorization, `Basic ${Buffer.from('user:pass').toString('base64')}`);
    assert.equal(req!.headers['x-conn'], 'yes');
    assert.match(req!.headers['content-type']!, /^application\/json/);
  });

  test('an API key connection sends its key header with the destination\'s method', async () => {
    const s = await withDestination('API_KEY', () => ({ status: 204 }), { method: 'PUT' });
    assert.deepEqual(await s.send(), { ok: true });
    assert.equal(s.seen[0]!.method, 'PUT');
    assert.equal(s.seen[0]!.headers['x-api-key'], 'k1');
  });

  test('an OAuth connection fetches a token once, is AUTHORIZED by it, and refetches on 401', async () => {
    let tokens = 0;
    let refuseNext = false;
    const s = await withDestination('OAUTH_CLIENT_CREDENTIALS', (req) => {
      if (req.url.startsWith(TOKEN_URL)) return { status: 200, body: JSON.stringify({ access_token: `t${++tokens}`, expires_in: 3600 }) };
      if (refuseNext) {
        refuseNext = false;
        return { status: 401 };
      }
      return { status: 200 };
    });
    assert.deepEqual(await s.send(), { ok: true });
    assert.deepEqual(await s.send(), { ok: true });
    assert.equal(tokens, 1);
    assert.deepEqual(api(s.seen).map((r) => r.headers.authorization), ['Bearer t1', 'Bearer t1']);
    assert.equal((await s.h.DescribeConnection(s.ctx, { Name: 'c' })).ConnectionState, 'AUTHORIZED');
    assert.equal((await s.h.DescribeApiDestination(s.ctx, { Name: 'd' })).ApiDestinationState, 'ACTIVE');
    refuseNext = true;
    assert.deepEqual(await s.send(), { ok: true });
    assert.equal(tokens, 2);
    assert.deepEqual(api(s.seen).slice(2).map((r) => r.headers.authorization), ['Bearer t1', 'Bearer t2']);
  });

  test('an OAuth endpoint refusing the credentials deauthorizes the connection', async () => {
    const s = await withDestination('OAUTH_CLIENT_CREDENTIALS', (req) => (req.url.startsWith(TOKEN_URL) ? { status: 400, body: 'invalid_client' } : { status: 200 }));
    const out = await s.send();
    assert.equal(out.ok, false);
    assert.equal(out.ok === false && out.code, 'NO_PERMISSIONS');
    const conn = await s.h.DescribeConnection(s.ctx, { Name: 'c' });
    assert.equal(conn.ConnectionState, 'DEAUTHORIZED');
    assert.match(conn.StateReason!, /invalid_client/);
    assert.equal(api(s.seen).length, 0);
  });

  test('results are classified like other targets: 429 throttling, 5xx retried, other 4xx permanent', async () => {
    for (const [status, code, permanent] of [[429, 'THROTTLING', false], [503, 'INTERNAL_ERROR', false], [404, 'SDK_CLIENT_ERROR', true]] as const) {
      const s = await withDestination('BASIC', () => ({ status }));
      const out = await s.send();
      assert.equal(out.ok, false);
      if (out.ok) continue;
      assert.equal(out.code, code, `HTTP ${status}`);
      assert.equal(out.permanent, permanent, `HTTP ${status}`);
    }
  });

  test('over InvocationRateLimitPerSecond an invocation is throttled with the time until the next token', async () => {
    const s = await withDestination('BASIC', () => ({ status: 200 }), { rate: 2 });
    assert.deepEqual(await s.send(), { ok: true });
    assert.deepEqual(await s.send(), { ok: true });
    const out = await s.send();
    assert.deepEqual(out, { ok: false, permanent: false, code: 'THROTTLING', error: 'API destination d is over its InvocationRateLimitPerSecond (2)', retryAfterMs: 500 });
    assert.equal(s.seen.length, 2);
    s.clock.advance(500);
    assert.deepEqual(await s.send(), { ok: true });
  });

  test('a deauthorized connection, a missing destination and missing path values fail permanently without a request', async () => {
    const s = await withDestination('BASIC', () => ({ status: 200 }), { endpoint: 'https://api.example.com/*/*' });
    const missingPath = await s.send();
    assert.equal(missingPath.ok === false && missingPath.code, 'SDK_CLIENT_ERROR');
    await s.h.DeauthorizeConnection(s.ctx, { Name: 'c' });
    const deauthorized = await s.send();
    assert.equal(deauthorized.ok === false && deauthorized.permanent, true);
    assert.equal(deauthorized.ok === false && deauthorized.code, 'NO_PERMISSIONS');
    await s.h.DeleteApiDestination(s.ctx, { Name: 'd' });
    const gone = await s.send();
    assert.equal(gone.ok === false && gone.code, 'RESOURCE_NOT_FOUND');
    assert.equal(s.seen.length, 0);
  });
});
