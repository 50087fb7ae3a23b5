import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { encode as cborEncode } from 'cbor-x';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogStreamsCommand,
  InvalidParameterException,
  type OrderBy,
} from '@aws-sdk/client-cloudwatch-logs';
import { SNSClient, ListTopicsCommand } from '@aws-sdk/client-sns';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';
import { signedFetch, type JsonErrorBody } from './helpers/signed.ts';

let server: TestServer;
let logs: CloudWatchLogsClient;

before(async () => {
  server = await startTestServer({ env: { OSPREY_MAX_BODY_BYTES: String(4 * 1024 * 1024) } });
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
});
after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
});

const logsCall = (target: string, body: string | Buffer, extra: Record<string, string> = {}, opts: Partial<Parameters<typeof signedFetch>[1]> = {}) =>
  signedFetch(server.url, {
    service: 'logs',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${target}`, ...extra },
    body,
    ...opts,
  });

test('a missing required member is InvalidParameterException naming the member', async () => {
  const r = await logsCall('CreateLogGroup', '{}');
  assert.equal(r.status, 400);
  assert.equal(r.json().__type, 'com.amazonaws.cloudwatchlogs#InvalidParameterException');
  assert.equal(r.json().message, "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null");
});

test('a too-long name is InvalidParameterException through SDK v3', async () => {
  const err = await logs.send(new CreateLogGroupCommand({ logGroupName: 'a'.repeat(513) })).catch((e) => e);
  assert.ok(err instanceof InvalidParameterException);
  assert.equal(err.$metadata.httpStatusCode, 400);
  assert.match(err.message, /at 'logGroupName' failed to satisfy constraint: Member must have length less than or equal to 512/);
});

test('a bad pattern and a bad enum are reported together', async () => {
  const err = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'bad name!', orderBy: 'Sideways' as string as OrderBy })).catch((e) => e);
  assert.ok(err instanceof InvalidParameterException);
  assert.match(err.message, /^2 validation errors detected: /);
  assert.match(err.message, /Member must satisfy regular expression pattern/);
  assert.match(err.message, /Value 'Sideways' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: \[LogStreamName, LastEventTime\]/);
});

test('malformed JSON is SerializationException', async () => {
  const r = await logsCall('CreateLogGroup', '{"logGroupName": ');
  assert.equal(r.status, 400);
  assert.match(r.json().__type, /SerializationException$/);
});

test('a wrongly typed member is SerializationException', async () => {
  const r = await logsCall('DescribeLogGroups', '{"limit": "ten"}');
  assert.equal(r.status, 400);
  assert.match(r.json().__type, /SerializationException$/);
});

test('an unknown operation is UnknownOperationException', async () => {
  const r = await logsCall('MakeCoffee', '{}');
  assert.equal(r.status, 400);
  assert.match(r.json().__type, /UnknownOperationException$/);
});

test('malformed CBOR is SerializationException with the Query code header', async () => {
  const r = await signedFetch(server.url, {
    service: 'monitoring',
    path: '/service/GraniteServiceVersion20100801/operation/PutMetricData',
    headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', accept: 'application/cbor', 'x-amzn-query-mode': 'true' },
    body: Buffer.from([0xbf, 0x61]),
  });
  assert.equal(r.status, 400);
  assert.equal(r.headers.get('content-type'), 'application/cbor');
});

test('CBOR with a missing required member answers MissingParameter', async () => {
  const r = await signedFetch(server.url, {
    service: 'monitoring',
    path: '/service/GraniteServiceVersion20100801/operation/PutMetricData',
    headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', accept: 'application/cbor', 'x-amzn-query-mode': 'true' },
    body: Buffer.from(cborEncode({ MetricData: [{ MetricName: 'm', Value: 1 }] })),
  });
  assert.equal(r.status, 400);
  assert.equal(r.headers.get('x-amzn-query-error'), 'MissingParameter;Sender');
});

test('malformed form encoding and a missing Action are Query errors', async () => {
  const form = (body: string) =>
    signedFetch(server.url, { service: 'monitoring', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const bad = await form('Action=ListMetrics&Version=2010-08-01&Namespace=%zz');
  assert.equal(bad.status, 400);
  assert.match(bad.text, /<Code>MalformedQueryString<\/Code>/);
  const noAction = await form('Version=2010-08-01');
  assert.equal(noAction.status, 400);
  assert.match(noAction.text, /<Code>MissingAction<\/Code>/);
  const unknown = await form('Action=Fly&Version=2010-08-01');
  assert.match(unknown.text, /<Code>InvalidAction<\/Code>/);
});

test('a body that is not a form where a form is declared, or XML, is rejected without a 500', async () => {
  const r = await signedFetch(server.url, { service: 'sns', headers: { 'content-type': 'text/xml' }, body: '<Publish><Message>x</Message>' });
  assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
});

test('an oversized body is refused with 413 before it is read', async () => {
  const r = await logsCall('PutLogEvents', Buffer.alloc(5 * 1024 * 1024, 0x20));
  assert.equal(r.status, 413);
  assert.match(r.json().__type, /RequestEntityTooLarge/);
});

test('a gzip bomb is refused with 413', async () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
  const r = await logsCall('PutLogEvents', bomb, { 'content-encoding': 'gzip' });
  assert.equal(r.status, 413);
});

test('a wrong signature is InvalidSignatureException (403)', async () => {
  const r = await logsCall('DescribeLogGroups', '{}', {}, { secretAccessKey: 'wrong' });
  assert.equal(r.status, 403);
  assert.equal(r.json().__type, 'InvalidSignatureException');
});

test('an unknown access key is UnrecognizedClientException (400, as the Logs model and AWS answer)', async () => {
  const r = await logsCall('DescribeLogGroups', '{}', {}, { accessKeyId: 'AKIDUNKNOWN' });
  assert.equal(r.status, 400);
  assert.equal(r.json().__type, 'com.amazonaws.cloudwatchlogs#UnrecognizedClientException');
  assert.equal(r.json().message, 'The security token included in the request is invalid.');
});

test('a skewed clock is rejected with InvalidSignatureException: Signature expired', async () => {
  const r = await logsCall('DescribeLogGroups', '{}', {}, { signingDate: new Date(Date.now() - 3_600_000) });
  assert.equal(r.status, 403);
  assert.equal(r.json().__type, 'InvalidSignatureException');
  assert.match(r.json().message, /Signature expired/);
});

test('an unsigned request is MissingAuthenticationTokenException', async () => {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.DescribeLogGroups' },
    body: '{}',
  });
  assert.equal(res.status, 403);
  assert.match(((await res.json()) as JsonErrorBody).__type, /MissingAuthenticationToken/);
});

test('SDK v3 surfaces a wrong secret on awsQuery as SignatureDoesNotMatch', async () => {
  const sns = new SNSClient({ ...sdkConfig(server.url), credentials: { accessKeyId: 'test', secretAccessKey: 'nope' } });
  const err = await sns.send(new ListTopicsCommand({})).catch((e) => e);
  assert.equal(err.name, 'SignatureDoesNotMatch');
  assert.equal(err.$metadata.httpStatusCode, 403);
  sns.destroy();
});

test('the server never answers 5xx to any of the above and stays up', async () => {
  const r = await logsCall('DescribeLogGroups', '{}');
  assert.equal(r.status, 200);
});
