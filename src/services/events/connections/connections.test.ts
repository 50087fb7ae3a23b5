import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '../../../protocol/errors.ts';
import { setup } from './test-support.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';

for (const engine of await metaEngines()) describe(`connections: connections on ${engine.name}`, () => {

  const basic = { AuthorizationType: 'BASIC' as const, AuthParameters: { BasicAuthParameters: { Username: 'user', Password: 'pa55-secret' } } };
  const apiKey = { AuthorizationType: 'API_KEY' as const, AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'key-secret' } } };
  const oauth = {
    AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS' as const,
    AuthParameters: {
      OAuthParameters: {
        AuthorizationEndpoint: 'https://auth.example.com/token', HttpMethod: 'POST' as const,
        ClientParameters: { ClientID: 'client', ClientSecret: 'client-secret' },
        OAuthHttpParameters: { BodyParameters: [{ Key: 'scope', Value: 'scope-secret', IsValueSecret: true }] },
      },
      InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-tenant', Value: 'acme' }, { Key: 'x-sig', Value: 'sig-secret', IsValueSecret: true }] },
    },
  };

  const rejects = (p: unknown, code: string, message?: RegExp) =>
    assert.rejects(Promise.resolve(p), (e: unknown) => e instanceof ServiceError && e.code === code && (!message || message.test(e.message)));

  test('CreateConnection answers AUTHORIZED for Basic and API key, AUTHORIZING for OAuth, with AWS-shaped ARNs', async () => {
    const { h, ctx } = await setup(undefined, false, engine);
    const a = await h.CreateConnection(ctx, { Name: 'b', ...basic });
    const b = await h.CreateConnection(ctx, { Name: 'k', ...apiKey });
    const c = await h.CreateConnection(ctx, { Name: 'o', ...oauth });
    assert.equal(a.ConnectionState, 'AUTHORIZED');
    assert.equal(b.ConnectionState, 'AUTHORIZED');
    assert.equal(c.ConnectionState, 'AUTHORIZING');
    assert.match(a.ConnectionArn!, /^arn:aws:events:us-east-1:123456789012:connection\/b\/[0-9a-f-]{36}$/);
    const d = await h.DescribeConnection(ctx, { Name: 'b' });
    assert.match(d.SecretArn!, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection\/b\/[0-9a-f-]{36}-\w{6}$/);
    assert.ok(d.LastAuthorizedTime instanceof Date);
  });

  test('secrets never come back from Describe or List, and are not stored in plain text', async () => {
    const { h, ctx, db } = await setup(undefined, false, engine);
    await h.CreateConnection(ctx, { Name: 'b', ...basic });
    await h.CreateConnection(ctx, { Name: 'k', ...apiKey });
    await h.CreateConnection(ctx, { Name: 'o', ...oauth });
    const shown = JSON.stringify([
      await h.DescribeConnection(ctx, { Name: 'b' }), await h.DescribeConnection(ctx, { Name: 'k' }), await h.DescribeConnection(ctx, { Name: 'o' }),
      await h.ListConnections(ctx, {}),
    ]);
    const stored = JSON.stringify(await db.all('SELECT * FROM events_connections'));
    for (const secret of ['pa55-secret', 'key-secret', 'client-secret', 'scope-secret', 'sig-secret']) {
      assert.ok(!shown.includes(secret), `${secret} was returned`);
      assert.ok(!stored.includes(secret), `${secret} is stored in plain text`);
    }
    const o = await h.DescribeConnection(ctx, { Name: 'o' });
    assert.deepEqual(o.AuthParameters?.OAuthParameters?.ClientParameters, { ClientID: 'client' });
    assert.deepEqual(o.AuthParameters?.InvocationHttpParameters?.HeaderParameters, [{ Key: 'x-tenant', Value: 'acme' }, { Key: 'x-sig', IsValueSecret: true }]);
    assert.deepEqual((await h.DescribeConnection(ctx, { Name: 'k' })).AuthParameters, { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' } });
  });

  test('a second connection of a name is ResourceAlreadyExistsException; a missing one has AWS\'s message', async () => {
    const { h, ctx } = await setup(undefined, false, engine);
    await h.CreateConnection(ctx, { Name: 'b', ...basic });
    await rejects(h.CreateConnection(ctx, { Name: 'b', ...basic }), 'ResourceAlreadyExistsException', /^Connection b already exists\.$/);
    await rejects(h.DescribeConnection(ctx, { Name: 'nope' }), 'ResourceNotFoundException', /^Failed to describe the connection\(s\)\. Connection 'nope' does not exist\.$/);
    await rejects(h.DeleteConnection(ctx, { Name: 'nope' }), 'ResourceNotFoundException');
  });

  test('the auth member must match the AuthorizationType', async () => {
    const { h, ctx } = await setup(undefined, false, engine);
    await rejects(h.CreateConnection(ctx, { Name: 'x', AuthorizationType: 'BASIC', AuthParameters: apiKey.AuthParameters }), 'ValidationException', /ApiKeyAuthParameters cannot be used/);
    await rejects(h.CreateConnection(ctx, { Name: 'x', AuthorizationType: 'API_KEY', AuthParameters: {} }), 'ValidationException', /ApiKeyAuthParameters must be specified/);
  });

  test('UpdateConnection merges new values into the stored ones and keeps secrets hidden', async () => {
    const { h, ctx, conns, seen, delivery, signal } = await setup(undefined, false, engine);
    await h.CreateConnection(ctx, { Name: 'k', ...apiKey });
    const up = await h.UpdateConnection(ctx, { Name: 'k', AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: 'rotated' } }, Description: 'new' });
    assert.equal(up.ConnectionState, 'AUTHORIZED');
    const d = await h.DescribeConnection(ctx, { Name: 'k' });
    assert.equal(d.Description, 'new');
    assert.deepEqual(d.AuthParameters?.ApiKeyAuthParameters, { ApiKeyName: 'x-api-key' });
    const dest = await h.CreateApiDestination(ctx, { Name: 'd', ConnectionArn: d.ConnectionArn, InvocationEndpoint: 'https://api.example.com/in', HttpMethod: 'POST' });
    assert.deepEqual(await conns.invoke(delivery(dest.ApiDestinationArn!), '{}', signal), { ok: true });
    assert.equal(seen[0]!.headers['x-api-key'], 'rotated');
    await rejects(h.UpdateConnection(ctx, { Name: 'k', AuthorizationType: 'BASIC' }), 'ValidationException', /BasicAuthParameters must be specified/);
  });

  test('DeauthorizeConnection answers DEAUTHORIZING, leaves DEAUTHORIZED, and its destinations INACTIVE', async () => {
    const { h, ctx } = await setup(undefined, false, engine);
    const c = await h.CreateConnection(ctx, { Name: 'b', ...basic });
    await h.CreateApiDestination(ctx, { Name: 'd', ConnectionArn: c.ConnectionArn, InvocationEndpoint: 'https://api.example.com', HttpMethod: 'POST' });
    assert.equal((await h.DescribeApiDestination(ctx, { Name: 'd' })).ApiDestinationState, 'ACTIVE');
    assert.equal((await h.DeauthorizeConnection(ctx, { Name: 'b' })).ConnectionState, 'DEAUTHORIZING');
    assert.equal((await h.DescribeConnection(ctx, { Name: 'b' })).ConnectionState, 'DEAUTHORIZED');
    assert.equal((await h.DescribeApiDestination(ctx, { Name: 'd' })).ApiDestinationState, 'INACTIVE');
    await h.UpdateConnection(ctx, { Name: 'b', AuthParameters: { BasicAuthParameters: { Password: 'again' } } });
    assert.equal((await h.DescribeConnection(ctx, { Name: 'b' })).ConnectionState, 'AUTHORIZED');
  });

  test('DeleteConnection answers DELETING and the connection is gone', async () => {
    const { h, ctx } = await setup(undefined, false, engine);
    await h.CreateConnection(ctx, { Name: 'b', ...basic });
    assert.equal((await h.DeleteConnection(ctx, { Name: 'b' })).ConnectionState, 'DELETING');
    await rejects(h.DescribeConnection(ctx, { Name: 'b' }), 'ResourceNotFoundException');
  });

  test('ListConnections filters by prefix and state and pages by name', async () => {
    const { h, ctx } = await setup(undefined, false, engine);
    for (const n of ['a1', 'a2', 'a3', 'b1']) await h.CreateConnection(ctx, { Name: n, ...basic });
    await h.CreateConnection(ctx, { Name: 'a4', ...oauth });
    const p1 = await h.ListConnections(ctx, { NamePrefix: 'a', Limit: 2 });
    assert.deepEqual(p1.Connections?.map((c) => c.Name), ['a1', 'a2']);
    const p2 = await h.ListConnections(ctx, { NamePrefix: 'a', Limit: 2, NextToken: p1.NextToken });
    assert.deepEqual(p2.Connections?.map((c) => c.Name), ['a3', 'a4']);
    assert.equal(p2.NextToken, undefined);
    const authorizing = await h.ListConnections(ctx, { ConnectionState: 'AUTHORIZING' });
    assert.deepEqual(authorizing.Connections?.map((c) => c.Name), ['a4']);
  });
});
