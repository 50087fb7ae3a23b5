// restJson1 end to end: the real SDK v3 Scheduler and Schemas clients (and boto3 1.26) talk to an
// in-process HTTP server around the protocol engine with fake handlers. Each test checks that the
// handler got exactly the members the client sent (from labels, query and body) and that the client
// parsed exactly what the handler returned, modeled errors included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import {
  SchedulerClient, CreateScheduleCommand, GetScheduleCommand, ListSchedulesCommand, DeleteScheduleCommand, UntagResourceCommand,
  ResourceNotFoundException, ValidationException,
} from '@aws-sdk/client-scheduler';
import {
  SchemasClient, DescribeSchemaCommand, CreateSchemaCommand, DeleteSchemaCommand, GetCodeBindingSourceCommand, ListSchemasCommand,
  NotFoundException,
} from '@aws-sdk/client-schemas';
import { ServiceError } from '../src/protocol/errors.ts';
import type { Handler } from '../src/protocol/service.ts';
import { sdkConfig, awsEnv, TEST_CREDENTIALS } from './helpers/server.ts';
import { startProtocolServer } from './helpers/protocol-server.ts';

const execFileAsync = promisify(execFile);

/** What each handler received, by operation; a test sets `reply[op]` to choose the answer. */
const received: Record<string, unknown> = {};
const reply: Record<string, (input: unknown) => unknown> = {};
const fake = (ops: string[]): Record<string, Handler> =>
  Object.fromEntries(ops.map((op) => [op, (_ctx: unknown, input: unknown) => ((received[op] = input), reply[op]?.(input) ?? {})]));

let url = '';
let stopServer: () => Promise<void>;

before(async () => {
  const server = await startProtocolServer({
    scheduler: fake(['CreateSchedule', 'GetSchedule', 'ListSchedules', 'DeleteSchedule', 'UntagResource']),
    schemas: fake(['DescribeSchema', 'CreateSchema', 'DeleteSchema', 'GetCodeBindingSource', 'ListSchemas']),
  });
  url = server.url;
  stopServer = server.stop;
});
after(async () => stopServer());

const scheduler = () => new SchedulerClient(sdkConfig(url));
const schemas = () => new SchemasClient(sdkConfig(url));
const when = new Date('2026-01-02T03:04:05.000Z');

test('Scheduler CreateSchedule: the URI label and the JSON body become one input; the ARN comes back', async () => {
  reply.CreateSchedule = () => ({ ScheduleArn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/nightly' });
  const input = {
    Name: 'nightly.job-1', GroupName: 'default', ScheduleExpression: 'rate(1 day)', StartDate: when, State: 'ENABLED' as const,
    FlexibleTimeWindow: { Mode: 'FLEXIBLE' as const, MaximumWindowInMinutes: 15 },
    Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:q', RoleArn: 'arn:aws:iam::000000000000:role/r', Input: '{"a":1}', RetryPolicy: { MaximumRetryAttempts: 3 } },
    ClientToken: 'token-1',
  };
  const out = await scheduler().send(new CreateScheduleCommand(input));
  assert.deepEqual(received.CreateSchedule, input);
  assert.equal(out.ScheduleArn, 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/nightly');
  assert.equal(out.$metadata.httpStatusCode, 200);
});

test('Scheduler GetSchedule: label + ?groupName=; epoch-second timestamps parse back to the same Dates', async () => {
  const schedule = {
    Arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/g1/s1', Name: 's1', GroupName: 'g1', State: 'DISABLED',
    ScheduleExpression: 'at(2026-01-02T03:04:05)', CreationDate: when, LastModificationDate: new Date(when.getTime() + 1500),
    FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', RoleArn: 'arn:aws:iam::000000000000:role/r' },
  };
  reply.GetSchedule = () => schedule;
  const { $metadata, ...out } = await scheduler().send(new GetScheduleCommand({ Name: 's1', GroupName: 'g1' }));
  assert.deepEqual(received.GetSchedule, { Name: 's1', GroupName: 'g1' });
  assert.deepEqual(out, schedule);
  assert.equal($metadata.httpStatusCode, 200);
});

test('Scheduler ListSchedules: every filter arrives from the query string, MaxResults as a number', async () => {
  reply.ListSchedules = () => ({ Schedules: [{ Name: 's1', Arn: 'arn:x', State: 'ENABLED', CreationDate: when, Target: { Arn: 'arn:t' } }], NextToken: 'next' });
  const out = await scheduler().send(new ListSchedulesCommand({ GroupName: 'g-1', NamePrefix: 'n.x', State: 'ENABLED', MaxResults: 5, NextToken: 'tok+=/ &?' }));
  assert.deepEqual(received.ListSchedules, { GroupName: 'g-1', NamePrefix: 'n.x', State: 'ENABLED', MaxResults: 5, NextToken: 'tok+=/ &?' });
  assert.deepEqual(out.Schedules, [{ Name: 's1', Arn: 'arn:x', State: 'ENABLED', CreationDate: when, Target: { Arn: 'arn:t' } }]);
  assert.equal(out.NextToken, 'next');
});

test('Scheduler DeleteSchedule (clientToken, groupName in the query) and UntagResource (a repeated-key list)', async () => {
  await scheduler().send(new DeleteScheduleCommand({ Name: 's1', GroupName: 'g1', ClientToken: 'ct-1' }));
  assert.deepEqual(received.DeleteSchedule, { Name: 's1', GroupName: 'g1', ClientToken: 'ct-1' });
  const arn = 'arn:aws:scheduler:us-east-1:000000000000:schedule-group/g1';
  await scheduler().send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a', 'b c', 'd&e'] }));
  assert.deepEqual(received.UntagResource, { ResourceArn: arn, TagKeys: ['a', 'b c', 'd&e'] });
});

test('Scheduler: a modeled error keeps its class, code, message and the model\'s 404', async () => {
  reply.GetSchedule = () => {
    throw new ServiceError('ResourceNotFoundException', 'Schedule nope does not exist.');
  };
  const err = await scheduler().send(new GetScheduleCommand({ Name: 'nope' })).catch((e: unknown) => e);
  assert.ok(err instanceof ResourceNotFoundException, String(err));
  assert.equal(err.name, 'ResourceNotFoundException');
  assert.equal(err.message, 'Schedule nope does not exist.');
  // SDK v3 moves a body `Message` into `message` and deletes the property (decorateServiceException).
  assert.equal(err.Message, undefined);
  assert.equal(err.$metadata.httpStatusCode, 404);
  assert.equal(err.$fault, 'client');
});

test('Scheduler: a MaxResults outside its range is the service\'s ValidationException (400)', async () => {
  const err = await scheduler().send(new ListSchedulesCommand({ MaxResults: 1000 })).catch((e: unknown) => e);
  assert.ok(err instanceof ValidationException, String(err));
  assert.match(err.message, /'maxResults'/);
  assert.equal(err.$metadata.httpStatusCode, 400);
});

test('Schemas DescribeSchema: two labels (one with reserved characters) and ?schemaVersion=; ISO timestamps and tags back', async () => {
  const schema = {
    SchemaName: 'aws.events@Order Created/v1', SchemaArn: 'arn:aws:schemas:us-east-1:000000000000:schema/r1/x', SchemaVersion: '3',
    Type: 'OpenApi3', Content: '{"openapi":"3.0.0"}', Description: 'd', LastModified: when, VersionCreatedDate: when, Tags: { team: 'obs' },
  };
  reply.DescribeSchema = () => schema;
  const { $metadata, ...out } = await schemas().send(new DescribeSchemaCommand({ RegistryName: 'r1', SchemaName: 'aws.events@Order Created/v1', SchemaVersion: '3' }));
  assert.deepEqual(received.DescribeSchema, { RegistryName: 'r1', SchemaName: 'aws.events@Order Created/v1', SchemaVersion: '3' });
  assert.deepEqual(out, schema);
  assert.equal($metadata.httpStatusCode, 200);
});

test('Schemas CreateSchema answers the model\'s 201 and DeleteSchema its 204 with no body', async () => {
  reply.CreateSchema = () => ({ SchemaName: 's1', SchemaVersion: '1', Type: 'OpenApi3', Tags: { a: 'b' }, LastModified: when });
  const created = await schemas().send(new CreateSchemaCommand({ RegistryName: 'r1', SchemaName: 's1', Type: 'OpenApi3', Content: '{}', Tags: { a: 'b' } }));
  assert.deepEqual(received.CreateSchema, { RegistryName: 'r1', SchemaName: 's1', Type: 'OpenApi3', Content: '{}', Tags: { a: 'b' } });
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.deepEqual(created.Tags, { a: 'b' });
  assert.deepEqual(created.LastModified, when);
  const deleted = await schemas().send(new DeleteSchemaCommand({ RegistryName: 'r1', SchemaName: 's1' }));
  assert.deepEqual(received.DeleteSchema, { RegistryName: 'r1', SchemaName: 's1' });
  assert.equal(deleted.$metadata.httpStatusCode, 204);
});

test('Schemas NotFoundException: modeled 404 with its Code member (SDK v3 folds Message into message)', async () => {
  reply.DescribeSchema = () => {
    throw new ServiceError('NotFoundException', 'Schema s9 does not exist.');
  };
  const err = await schemas().send(new DescribeSchemaCommand({ RegistryName: 'r1', SchemaName: 's9' })).catch((e: unknown) => e);
  assert.ok(err instanceof NotFoundException, String(err));
  assert.deepEqual([err.name, err.message, err.Code, err.$metadata.httpStatusCode], ['NotFoundException', 'Schema s9 does not exist.', 'NotFoundException', 404]);
});

test('Schemas GetCodeBindingSource: a blob payload is the raw response body', async () => {
  const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 255]);
  reply.GetCodeBindingSource = () => ({ Body: zip });
  const out = await schemas().send(new GetCodeBindingSourceCommand({ RegistryName: 'r1', SchemaName: 's1', Language: 'Java8' }));
  assert.deepEqual(received.GetCodeBindingSource, { RegistryName: 'r1', SchemaName: 's1', Language: 'Java8' });
  assert.deepEqual(Buffer.from(out.Body!), zip);
});

/** A GET signed like SDK v3 signs it, for query strings no client would send. */
async function signedGet(service: string, path: string, query: Record<string, string>): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const u = new URL(url);
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: TEST_CREDENTIALS, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path, query, headers: { host: u.host } });
  const res = await fetch(`${url}${path}?${new URLSearchParams(query).toString()}`, { headers: signed.headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

test('Schemas: a query integer that is not a number is a 400 BadRequestException before the handler runs', async () => {
  delete received.ListSchemas;
  const res = await signedGet('schemas', '/v1/registries/name/r1/schemas', { limit: 'ten' });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('x-amzn-errortype'), 'BadRequestException');
  assert.match(String(res.body.message), /'limit'/);
  assert.equal(received.ListSchemas, undefined);
  reply.ListSchemas = () => ({ Schemas: [] });
  await schemas().send(new ListSchemasCommand({ RegistryName: 'r1', Limit: 10, SchemaNamePrefix: 'a' }));
  assert.deepEqual(received.ListSchemas, { RegistryName: 'r1', Limit: 10, SchemaNamePrefix: 'a' });
});

test('a signed restJson path that matches no operation is a 404 UnknownOperationException', async () => {
  const res = await signedGet('scheduler', '/schedules/a/b', {});
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('x-amzn-errortype'), 'UnknownOperationException');
});

const BOTO = `
import sys, json, boto3, botocore
url = sys.argv[1]
sch = boto3.client('scheduler', endpoint_url=url, region_name='us-east-1')
out = sch.get_schedule(Name='s.1', GroupName='g1')
res = {'get': {k: (v.isoformat() if hasattr(v, 'isoformat') else v) for k, v in out.items() if k != 'ResponseMetadata'}}
res['status'] = out['ResponseMetadata']['HTTPStatusCode']
reg = boto3.client('schemas', endpoint_url=url, region_name='us-east-1')
try:
    reg.describe_schema(RegistryName='r1', SchemaName='missing')
except reg.exceptions.NotFoundException as e:
    res['error'] = {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
d = reg.delete_schema(RegistryName='r1', SchemaName='aws.events@Order Created/v1')
res['deleteStatus'] = d['ResponseMetadata']['HTTPStatusCode']
print(json.dumps(res))
`;

test('boto3 1.26 (Debian botocore 1.29): GetSchedule, a modeled Schemas error and a 204 with an escaped label', async () => {
  reply.GetSchedule = () => ({ Name: 's.1', GroupName: 'g1', CreationDate: when, State: 'ENABLED' });
  reply.DescribeSchema = () => {
    throw new ServiceError('NotFoundException', 'Schema missing does not exist.');
  };
  const { stdout } = await execFileAsync('/usr/bin/python3', ['-c', BOTO, url], { env: awsEnv() });
  const res = JSON.parse(stdout) as Record<string, unknown>;
  assert.deepEqual(received.GetSchedule, { Name: 's.1', GroupName: 'g1' });
  assert.deepEqual(received.DeleteSchema, { RegistryName: 'r1', SchemaName: 'aws.events@Order Created/v1' });
  assert.deepEqual(res.get, { Name: 's.1', GroupName: 'g1', CreationDate: '2026-01-02T03:04:05+00:00', State: 'ENABLED' });
  assert.equal(res.status, 200);
  assert.deepEqual(res.error, { code: 'NotFoundException', message: 'Schema missing does not exist.', status: 404 });
  assert.equal(res.deleteStatus, 204);
});
