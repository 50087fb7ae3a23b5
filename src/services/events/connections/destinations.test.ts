import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '../../../protocol/errors.ts';
import { setup } from './test-support.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';

for (const engine of await metaEngines()) describe(`connections: destinations on ${engine.name}`, () => {

  const basic = { AuthorizationType: 'BASIC' as const, AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } };
  const rejects = (p: unknown, code: string, message?: RegExp) =>
    assert.rejects(Promise.resolve(p), (e: unknown) => e instanceof ServiceError && e.code === code && (!message || message.test(e.message)));

  test('an API destination is created ACTIVE with the default rate limit of 300 and shows as AWS shows it', async () => {
    const { h, ctx } = await setup(undefined, false, engine);
    const c = await h.CreateConnection(ctx, { Name: 'c', ...basic });
    const d = await h.CreateApiDestination(ctx, { Name: 'd', ConnectionArn: c.ConnectionArn, InvocationEndpoint: 'https://example.com/api', HttpMethod: 'POST', Description: 'x' });
    assert.equal(d.ApiDestinationState, 'ACTIVE');
    assert.match(d.ApiDestinationArn!, /^arn:aws:events:us-east-1:123456789012:api-destination\/d\/[0-9a-f-]{36}$/);
    const got = await h.DescribeApiDestination(ctx, { Name: 'd' });
    assert.equal(got.InvocationRateLimitPerSecond, 300);
    assert.equal(got.Description, 'x');
    assert.equal(got.ConnectionArn, c.ConnectionArn);
    const list = await h.ListApiDestinations(ctx, { NamePrefix: 'd' });
    assert.equal(list.ApiDestinations?.length, 1);
    assert.equal((list.ApiDestinations![0] as { Description?: string }).Description, undefined);
  });

  test('UpdateApiDestination changes what it is given; Delete removes it with AWS\'s not-found message after', async () => {
    const { h, ctx } = await setup(undefined, false, engine);
    const c = await h.CreateConnection(ctx, { Name: 'c', ...basic });
    await h.CreateApiDestination(ctx, { Name: 'd', ConnectionArn: c.ConnectionArn, InvocationEndpoint: 'https://example.com/api', HttpMethod: 'POST' });
    await h.UpdateApiDestination(ctx, { Name: 'd', HttpMethod: 'PUT', InvocationEndpoint: 'https://example.com/api/v2', InvocationRateLimitPerSecond: 5 });
    const got = await h.DescribeApiDestination(ctx, { Name: 'd' });
    assert.equal(got.HttpMethod, 'PUT');
    assert.equal(got.InvocationEndpoint, 'https://example.com/api/v2');
    assert.equal(got.InvocationRateLimitPerSecond, 5);
    assert.deepEqual(await h.DeleteApiDestination(ctx, { Name: 'd' }), {});
    await rejects(h.DescribeApiDestination(ctx, { Name: 'd' }), 'ResourceNotFoundException', /^Failed to describe the api-destination\(s\)\. An api-destination 'd' does not exist\.$/);
  });

  test('the connection must exist, and names and endpoints are checked', async () => {
    const { h, ctx } = await setup(undefined, false, engine);
    const c = await h.CreateConnection(ctx, { Name: 'c', ...basic });
    const missing = c.ConnectionArn!.replace(/\/[^/]+$/, '/00000000-0000-0000-0000-000000000000');
    await rejects(h.CreateApiDestination(ctx, { Name: 'd', ConnectionArn: missing, InvocationEndpoint: 'https://e.com', HttpMethod: 'POST' }), 'ResourceNotFoundException', /Connection 'c' does not exist/);
    await rejects(h.CreateApiDestination(ctx, { Name: 'd', ConnectionArn: c.ConnectionArn, InvocationEndpoint: 'ftp://e.com', HttpMethod: 'POST' }), 'ValidationException', /InvocationEndpoint/);
    await h.CreateApiDestination(ctx, { Name: 'd', ConnectionArn: c.ConnectionArn, InvocationEndpoint: 'http://localhost:9/*', HttpMethod: 'GET' });
    await rejects(h.CreateApiDestination(ctx, { Name: 'd', ConnectionArn: c.ConnectionArn, InvocationEndpoint: 'https://e.com', HttpMethod: 'POST' }), 'ResourceAlreadyExistsException', /^An api-destination 'd' already exists\.$/);
    const other = { ...ctx, region: 'eu-west-1' };
    await rejects(h.CreateApiDestination(other, { Name: 'd', ConnectionArn: c.ConnectionArn, InvocationEndpoint: 'https://e.com', HttpMethod: 'POST' }), 'ResourceNotFoundException');
  });

  test('an OAuth connection\'s destinations are INACTIVE until it is authorized', async () => {
    const { h, ctx } = await setup(undefined, false, engine);
    const c = await h.CreateConnection(ctx, {
      Name: 'o', AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
      AuthParameters: { OAuthParameters: { AuthorizationEndpoint: 'https://a.example.com/t', HttpMethod: 'POST', ClientParameters: { ClientID: 'i', ClientSecret: 's' } } },
    });
    const d = await h.CreateApiDestination(ctx, { Name: 'd', ConnectionArn: c.ConnectionArn, InvocationEndpoint: 'https://e.com', HttpMethod: 'POST' });
    assert.equal(d.ApiDestinationState, 'INACTIVE');
  });
});
