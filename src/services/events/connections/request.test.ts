import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basicAuthorization, buildRequest, fillPath, RequestError } from './request.ts';

test('path wildcards take the PathParameterValues in order, URL-encoded', () => {
  assert.equal(fillPath('https://e.com/orders/*/items/*', ['42', 'a/b c']), 'https://e.com/orders/42/items/a%2Fb%20c');
  assert.equal(fillPath('https://e.com/plain', ['unused']), 'https://e.com/plain');
  assert.throws(() => fillPath('https://e.com/*/*', ['1']), RequestError);
});

test('connection parameters win over the target\'s; the auth header is set last', () => {
  const r = buildRequest({
    endpoint: 'https://e.com/in?fixed=1', method: 'post', body: '{"a":1}',
    target: { HeaderParameters: { 'X-Tenant': 'target', 'X-Only-Target': 't' }, QueryStringParameters: { q: 'target', t: '1' } },
    connection: {
      HeaderParameters: [{ Key: 'x-tenant', Value: 'connection' }], QueryStringParameters: [{ Key: 'q', Value: 'connection' }],
      BodyParameters: [{ Key: 'b', Value: 'body' }],
    },
    auth: ['Authorization', 'Basic xyz'],
  });
  assert.equal(r.method, 'POST');
  const u = new URL(r.url);
  assert.equal(u.searchParams.get('fixed'), '1');
  assert.equal(u.searchParams.get('q'), 'connection');
  assert.equal(u.searchParams.get('t'), '1');
  assert.equal(r.headers['x-tenant'], 'connection');
  assert.equal(r.headers['X-Tenant'], undefined);
  assert.equal(r.headers['X-Only-Target'], 't');
  assert.equal(r.headers.Authorization, 'Basic xyz');
  assert.equal(r.headers['Content-Type'], 'application/json; charset=utf-8');
  assert.deepEqual(JSON.parse(r.body!), { a: 1, b: 'body' });
});

test('GET and HEAD carry no body; a non-object body is sent as rendered', () => {
  assert.equal(buildRequest({ endpoint: 'https://e.com', method: 'GET', body: '{}' }).body, undefined);
  assert.equal(buildRequest({ endpoint: 'https://e.com', method: 'HEAD', body: '{}' }).body, undefined);
  assert.equal(buildRequest({ endpoint: 'https://e.com', method: 'PUT', body: '"text"', connection: { BodyParameters: [{ Key: 'k', Value: 'v' }] } }).body, '"text"');
});

test('Basic authorization is base64 of user:password', () => {
  assert.equal(basicAuthorization('user', 'pa:ss'), `Basic ${Buffer.from('user:pa:ss').toString('base64')}`);
});
