/**
 * EventBridge connections and API destinations through SDK v3 and the AWS CLI: connections of all
 * three authorization types against a local HTTP server (which also issues OAuth tokens), API
 * destinations as rule targets receiving PutEvents' events with the connection's authorization,
 * secrets never returned, and AWS's errors.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateApiDestinationCommand, CreateConnectionCommand, DeauthorizeConnectionCommand, DeleteApiDestinationCommand, DeleteConnectionCommand,
  DescribeApiDestinationCommand, DescribeConnectionCommand, EventBridgeClient, ListApiDestinationsCommand, ListConnectionsCommand,
  PutEventsCommand, PutRuleCommand, PutTargetsCommand, UpdateApiDestinationCommand, type ConnectionAuthorizationType, type CreateConnectionAuthRequestParameters,
} from '@aws-sdk/client-eventbridge';
import { awsEnv, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';
import { failure as failed } from './helpers/failure.ts';

/** The error's code and message only (these tests compare them whole). */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  const { name, message } = await failed(p);
  return { name, message };
}

const run = promisify(execFile);

interface Hit {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The API the destinations call; `/oauth/token` hands out tokens to client `cid`/`csecret`. */
async function startApi(): Promise<{ url: string; hits: Hit[]; tokens: number; close(): Promise<void> }> {
  const api = { url: '', hits: [] as Hit[], tokens: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      if (hit.path.startsWith('/oauth/token')) {
        const ok = req.headers.authorization === `Basic ${Buffer.from('cid:csecret').toString('base64')}`;
        if (ok) api.tokens++;
        res.statusCode = ok ? 200 : 401;
        res.setHeader('content-type', 'application/json');
        res.end(ok ? JSON.stringify({ access_token: `token-${api.tokens}`, token_type: 'Bearer', expires_in: 3600 }) : '{"error":"invalid_client"}');
        return;
      }
      api.hits.push(hit);
      res.end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = () => new Promise((resolve) => server.close(() => resolve()));
  return api;
}

let server: TestServer;
let api: Awaited<ReturnType<typeof startApi>>;
let eb: EventBridgeClient;

before(async () => {
  api = await startApi();
  server = await startTestServer({
    modules: ['events'],
    env: { OSPREY_DELIVERY_POLL_MS: '100', OSPREY_DELIVERY_BACKOFF_MS: '100', OSPREY_DELIVERY_MAX_BACKOFF_MS: '200' },
  });
  eb = new EventBridgeClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  await api?.close();
});

const AUTH: Record<string, { type: ConnectionAuthorizationType; params: () => CreateConnectionAuthRequestParameters; secret: string }> = {
  basic: { type: 'BASIC', params: () => ({ BasicAuthParameters: { Username: 'user', Password: 'basic-pass' } }), secret: 'basic-pass' },
  apikey: { type: 'API_KEY', params: () => ({ ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'key-value' } }), secret: 'key-value' },
  oauth: {
    type: 'OAUTH_CLIENT_CREDENTIALS', secret: 'csecret',
    params: () => ({
      OAuthParameters: {
        AuthorizationEndpoint: `${api.url}/oauth/token`, HttpMethod: 'POST', ClientParameters: { ClientID: 'cid', ClientSecret: 'csecret' },
        OAuthHttpParameters: { BodyParameters: [{ Key: 'grant_type', Value: 'client_credentials' }] },
      },
    }),
  },
};

/** A connection, an API destination to `/<kind>/*`, and a rule on the default bus targeting it. */
async function wire(kind: keyof typeof AUTH, method: 'POST' | 'PUT') {
  const a = AUTH[kind]!;
  const conn = await eb.send(new CreateConnectionCommand({
    Name: `conn-${kind}`, AuthorizationType: a.type,
    AuthParameters: { ...a.params(), InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-from-connection', Value: kind }] } },
  }));
  const dest = await eb.send(new CreateApiDestinationCommand({
    Name: `dest-${kind}`, ConnectionArn: conn.ConnectionArn, InvocationEndpoint: `${api.url}/${kind}/*`, HttpMethod: method, InvocationRateLimitPerSecond: 10,
  }));
  await eb.send(new PutRuleCommand({ Name: `rule-${kind}`, EventPattern: JSON.stringify({ source: [`test.${kind}`] }) }));
  const put = await eb.send(new PutTargetsCommand({
    Rule: `rule-${kind}`,
    Targets: [{
      Id: 'api', Arn: dest.ApiDestinationArn, RoleArn: 'arn:aws:iam::000000000000:role/events-invoke',
      HttpParameters: { PathParameterValues: ['orders'], QueryStringParameters: { from: 'target' }, HeaderParameters: { 'x-from-target': 'yes' } },
    }],
  }));
  assert.equal(put.FailedEntryCount, 0);
  return { conn, dest };
}

async function deliver(kind: string): Promise<Hit> {
  const out = await eb.send(new PutEventsCommand({ Entries: [{ Source: `test.${kind}`, DetailType: 'order', Detail: JSON.stringify({ kind }) }] }));
  assert.equal(out.FailedEntryCount, 0);
  return until(`the ${kind} API destination's request`, () => api.hits.find((h) => h.path.startsWith(`/${kind}/`)), 10_000);
}

test('a Basic connection\'s API destination receives the event with Basic authorization, POSTed', async () => {
  await wire('basic', 'POST');
  const hit = await deliver('basic');
  assert.equal(hit.method, 'POST');
  assert.equal(hit.path, '/basic/orders?from=target');
  assert.equal(hit.headers.authorization, `Basic ${Buffer.from('user:basic-pass').toString('base64')}`);
  assert.equal(hit.headers['x-from-connection'], 'basic');
  assert.equal(hit.headers['x-from-target'], 'yes');
  assert.match(String(hit.headers['content-type']), /^application\/json/);
  const event = JSON.parse(hit.body) as { source: string; detail: unknown };
  assert.equal(event.source, 'test.basic');
  assert.deepEqual(event.detail, { kind: 'basic' });
});

test('an API key connection\'s destination gets the key header, with the destination\'s method (PUT)', async () => {
  await wire('apikey', 'PUT');
  const hit = await deliver('apikey');
  assert.equal(hit.method, 'PUT');
  assert.equal(hit.headers['x-api-key'], 'key-value');
});

test('an OAuth connection fetches a token with its client credentials, sends it as Bearer, and becomes AUTHORIZED', async () => {
  const { dest } = await wire('oauth', 'POST');
  assert.equal((await eb.send(new DescribeConnectionCommand({ Name: 'conn-oauth' }))).ConnectionState, 'AUTHORIZING');
  assert.equal(dest.ApiDestinationState, 'INACTIVE');
  const hit = await deliver('oauth');
  assert.equal(hit.headers.authorization, 'Bearer token-1');
  const conn = await eb.send(new DescribeConnectionCommand({ Name: 'conn-oauth' }));
  assert.equal(conn.ConnectionState, 'AUTHORIZED');
  assert.equal((await eb.send(new DescribeApiDestinationCommand({ Name: 'dest-oauth' }))).ApiDestinationState, 'ACTIVE');
  assert.deepEqual(conn.AuthParameters?.OAuthParameters?.ClientParameters, { ClientID: 'cid' });
});

test('Describe and List never return a connection\'s secrets', async () => {
  for (const [kind, a] of Object.entries(AUTH)) {
    await eb.send(new CreateConnectionCommand({ Name: `secret-${kind}`, AuthorizationType: a.type, AuthParameters: a.params() }));
    const d = await eb.send(new DescribeConnectionCommand({ Name: `secret-${kind}` }));
    assert.ok(!JSON.stringify(d).includes(a.secret), `${kind}: ${JSON.stringify(d.AuthParameters)}`);
    assert.match(d.SecretArn!, /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:events!connection\/secret-[a-z]+\/[0-9a-f-]{36}-\w{6}$/);
  }
  const list = await eb.send(new ListConnectionsCommand({ NamePrefix: 'secret-' }));
  assert.deepEqual(list.Connections?.map((c) => c.Name), ['secret-apikey', 'secret-basic', 'secret-oauth']);
});

test('API destinations update, list and delete; connections deauthorize and delete, with AWS\'s errors', async () => {
  const conn = await eb.send(new CreateConnectionCommand({ Name: 'life', AuthorizationType: 'BASIC', AuthParameters: AUTH.basic!.params() }));
  await eb.send(new CreateApiDestinationCommand({ Name: 'life-dest', ConnectionArn: conn.ConnectionArn, InvocationEndpoint: 'https://example.com/api', HttpMethod: 'POST' }));
  assert.equal((await failure(eb.send(new CreateConnectionCommand({ Name: 'life', AuthorizationType: 'BASIC', AuthParameters: AUTH.basic!.params() })))).name, 'ResourceAlreadyExistsException');
  await eb.send(new UpdateApiDestinationCommand({ Name: 'life-dest', HttpMethod: 'PATCH', InvocationEndpoint: 'https://example.com/api/v2' }));
  const listed = await eb.send(new ListApiDestinationsCommand({ ConnectionArn: conn.ConnectionArn }));
  assert.deepEqual(listed.ApiDestinations?.map((d) => [d.Name, d.HttpMethod, d.InvocationEndpoint, d.InvocationRateLimitPerSecond]), [['life-dest', 'PATCH', 'https://example.com/api/v2', 300]]);
  assert.equal((await eb.send(new DeauthorizeConnectionCommand({ Name: 'life' }))).ConnectionState, 'DEAUTHORIZING');
  assert.equal((await eb.send(new DescribeConnectionCommand({ Name: 'life' }))).ConnectionState, 'DEAUTHORIZED');
  await eb.send(new DeleteApiDestinationCommand({ Name: 'life-dest' }));
  assert.deepEqual(await failure(eb.send(new DescribeApiDestinationCommand({ Name: 'life-dest' }))), {
    name: 'ResourceNotFoundException', message: "Failed to describe the api-destination(s). An api-destination 'life-dest' does not exist.",
  });
  assert.equal((await eb.send(new DeleteConnectionCommand({ Name: 'life' }))).ConnectionState, 'DELETING');
  assert.deepEqual(await failure(eb.send(new DescribeConnectionCommand({ Name: 'life' }))), {
    name: 'ResourceNotFoundException', message: "Failed to describe the connection(s). Connection 'life' does not exist.",
  });
  const bad = await failure(eb.send(new CreateConnectionCommand({ Name: 'Invalid Name!', AuthorizationType: 'BASIC', AuthParameters: AUTH.basic!.params() })));
  assert.equal(bad.name, 'ValidationException');
  assert.match(bad.message, /at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern/);
});

test('the AWS CLI creates and describes a connection', async () => {
  const env = awsEnv();
  const created = await run('aws', [
    'events', 'create-connection', '--endpoint-url', server.url, '--name', 'cli-conn', '--authorization-type', 'API_KEY',
    '--auth-parameters', JSON.stringify({ ApiKeyAuthParameters: { ApiKeyName: 'x-cli-key', ApiKeyValue: 'cli-secret' } }),
  ], { env });
  const c = JSON.parse(created.stdout) as { ConnectionArn: string; ConnectionState: string };
  assert.equal(c.ConnectionState, 'AUTHORIZED');
  assert.match(c.ConnectionArn, /:connection\/cli-conn\//);
  const described = await run('aws', ['events', 'describe-connection', '--endpoint-url', server.url, '--name', 'cli-conn'], { env });
  const d = JSON.parse(described.stdout) as { AuthorizationType: string; AuthParameters: unknown };
  assert.equal(d.AuthorizationType, 'API_KEY');
  assert.deepEqual(d.AuthParameters, { ApiKeyAuthParameters: { ApiKeyName: 'x-cli-key' } });
  assert.ok(!described.stdout.includes('cli-secret'));
});
