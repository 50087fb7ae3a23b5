import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OAuthTokens } from './oauth.ts';
import { fakeFetch } from './test-support.ts';

const params = {
  AuthorizationEndpoint: 'https://auth.example.com/token', HttpMethod: 'POST' as const,
  ClientParameters: { ClientID: 'id', ClientSecret: 'secret' },
  OAuthHttpParameters: {
    BodyParameters: [{ Key: 'grant_type', Value: 'client_credentials' }], HeaderParameters: [{ Key: 'x-h', Value: 'v' }],
    QueryStringParameters: [{ Key: 'aud', Value: 'api' }],
  },
};
const signal = new AbortController().signal;

test('a token is fetched with the client credentials and cached until shortly before it expires', async () => {
  let n = 0;
  const { fetch, seen } = fakeFetch(() => ({ status: 200, body: JSON.stringify({ access_token: `tok${++n}`, expires_in: 600 }) }));
  let now = 0;
  const tokens = new OAuthTokens({ now: () => now, timeoutMs: 1000, fetch });
  assert.deepEqual(await tokens.token('c#1', params, signal), { ok: true, token: 'tok1' });
  assert.deepEqual(await tokens.token('c#1', params, signal), { ok: true, token: 'tok1' });
  assert.equal(seen.length, 1);
  const req = seen[0]!;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, 'https://auth.example.com/token?aud=api');
  assert.equal(req.headers.authorization, `Basic ${Buffer.from('id:secret').toString('base64')}`);
  assert.equal(req.headers['x-h'], 'v');
  assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(req.body, 'grant_type=client_credentials');
  now = 539_000;
  assert.equal(((await tokens.token('c#1', params, signal)) as { token: string }).token, 'tok1');
  now = 541_000;
  assert.equal(((await tokens.token('c#1', params, signal)) as { token: string }).token, 'tok2');
  tokens.forgetConnection('c');
  assert.equal(((await tokens.token('c#1', params, signal)) as { token: string }).token, 'tok3');
});

test('refused credentials are permanent; an unavailable endpoint is retried', async () => {
  const refused = new OAuthTokens({ now: () => 0, timeoutMs: 1000, fetch: fakeFetch(() => ({ status: 401, body: 'bad client' })).fetch });
  const r1 = await refused.token('k', params, signal);
  assert.equal(r1.ok, false);
  assert.equal((r1 as { permanent: boolean }).permanent, true);
  assert.match((r1 as { error: string }).error, /HTTP 401: bad client/);
  const down = new OAuthTokens({ now: () => 0, timeoutMs: 1000, fetch: fakeFetch(() => ({ status: 503 })).fetch });
  assert.equal(((await down.token('k', params, signal)) as { permanent: boolean }).permanent, false);
  const noToken = new OAuthTokens({ now: () => 0, timeoutMs: 1000, fetch: fakeFetch(() => ({ status: 200, body: '{}' })).fetch });
  assert.match(((await noToken.token('k', params, signal)) as { error: string }).error, /without an access_token/);
});

test('concurrent requests for a connection share one token request', async () => {
  const { fetch, seen } = fakeFetch(() => ({ status: 200, body: JSON.stringify({ access_token: 't', expires_in: 60 }) }));
  const tokens = new OAuthTokens({ now: () => 0, timeoutMs: 1000, fetch });
  const all = await Promise.all([1, 2, 3].map(() => tokens.token('c#1', params, signal)));
  assert.deepEqual(all.map((r) => r.ok && r.token), ['t', 't', 't']);
  assert.equal(seen.length, 1);
});
