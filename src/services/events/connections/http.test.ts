/** The invoker over real HTTP (undici): every method, bodies only where HTTP allows them, and an OAuth token round trip. */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { setup } from './test-support.ts';

const hits: { method: string; path: string; headers: IncomingHttpHeaders; body: string }[] = [];
let base = '';
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.url === '/token') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: `tok-for-${new URLSearchParams(body).get('grant_type')}`, expires_in: 60 }));
      return;
    }
    hits.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    res.end();
  });
});

before(async () => {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('each HTTP method reaches the endpoint, with the body except for GET and HEAD', async () => {
  const s = await setup(undefined, true);
  const c = await s.h.CreateConnection(s.ctx, { Name: 'c', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: 'v' } } });
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'GET', 'HEAD', 'OPTIONS'] as const) {
    hits.length = 0;
    const d = await s.h.CreateApiDestination(s.ctx, { Name: `d-${method}`, ConnectionArn: c.ConnectionArn, InvocationEndpoint: `${base}/m/*`, HttpMethod: method });
    const out = await s.conns.invoke(s.delivery(d.ApiDestinationArn!, { HttpParameters: { PathParameterValues: [method.toLowerCase()] } }), '{"n":1}', s.signal);
    assert.deepEqual(out, { ok: true }, method);
    assert.equal(hits[0]?.method, method);
    assert.equal(hits[0]?.path, `/m/${method.toLowerCase()}`);
    assert.equal(hits[0]?.headers['x-key'], 'v');
    assert.equal(hits[0]?.body, method === 'GET' || method === 'HEAD' ? '' : '{"n":1}', method);
  }
});

test('an OAuth connection gets its token from the endpoint with the form body parameters', async () => {
  hits.length = 0;
  const s = await setup(undefined, true);
  const c = await s.h.CreateConnection(s.ctx, {
    Name: 'o', AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
    AuthParameters: {
      OAuthParameters: {
        AuthorizationEndpoint: `${base}/token`, HttpMethod: 'POST', ClientParameters: { ClientID: 'i', ClientSecret: 's' },
        OAuthHttpParameters: { BodyParameters: [{ Key: 'grant_type', Value: 'client_credentials' }] },
      },
    },
  });
  const d = await s.h.CreateApiDestination(s.ctx, { Name: 'd', ConnectionArn: c.ConnectionArn, InvocationEndpoint: `${base}/in`, HttpMethod: 'POST' });
  assert.deepEqual(await s.conns.invoke(s.delivery(d.ApiDestinationArn!), '{}', s.signal), { ok: true });
  assert.equal(hits[0]?.headers.authorization, 'Bearer tok-for-client_credentials');
});
