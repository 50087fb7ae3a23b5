/**
 * The EventBridge schema registry (the `schemas` module) through real clients: SDK v3 and the AWS
 * CLI v1 — registries (with AWS's managed ones), schema versions, search, export, tags, policies,
 * errors, and schema discovery from events PutEvents accepted on the default bus.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateDiscovererCommand, CreateRegistryCommand, CreateSchemaCommand, DeleteDiscovererCommand, DeleteRegistryCommand, DeleteResourcePolicyCommand,
  DeleteSchemaCommand, DeleteSchemaVersionCommand, DescribeDiscovererCommand, DescribeRegistryCommand, DescribeSchemaCommand, ExportSchemaCommand,
  GetDiscoveredSchemaCommand, GetResourcePolicyCommand, ListDiscoverersCommand, ListRegistriesCommand, ListSchemaVersionsCommand, ListSchemasCommand,
  ListTagsForResourceCommand, PutResourcePolicyCommand, SchemasClient, SearchSchemasCommand, StopDiscovererCommand, TagResourceCommand,
  UntagResourceCommand, UpdateDiscovererCommand, UpdateRegistryCommand, UpdateSchemaCommand,
} from '@aws-sdk/client-schemas';
import { awsEnv, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';
import { failure } from './helpers/failure.ts';

const run = promisify(execFile);
let server: TestServer;
let schemas: SchemasClient;
let events: EventBridgeClient;

before(async () => {
  server = await startTestServer({ modules: ['schemas', 'events'] });
  schemas = new SchemasClient(sdkConfig(server.url));
  events = new EventBridgeClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

const openapi = (props: Record<string, unknown>, title = 'Order') =>
  JSON.stringify({ openapi: '3.0.0', info: { title, version: '1.0.0' }, paths: {}, components: { schemas: { [title]: { type: 'object', properties: props } } } });

test('registries: the managed ones exist, CRUD, conflicts, and aws.events is read-only', async () => {
  const listed = await schemas.send(new ListRegistriesCommand({}));
  assert.deepEqual(listed.Registries?.map((r) => r.RegistryName), ['aws.events', 'discovered-schemas']);
  assert.deepEqual((await schemas.send(new ListRegistriesCommand({ Scope: 'AWS' }))).Registries?.map((r) => r.RegistryName), ['aws.events']);
  const created = await schemas.send(new CreateRegistryCommand({ RegistryName: 'reg-crud', Description: 'd1', Tags: { team: 'a' } }));
  assert.equal(created.RegistryArn, 'arn:aws:schemas:us-east-1:000000000000:registry/reg-crud');
  assert.equal(created.$metadata.httpStatusCode, 201);
  const dup = await failure(schemas.send(new CreateRegistryCommand({ RegistryName: 'reg-crud' })));
  assert.deepEqual([dup.name, dup.status], ['ConflictException', 409]);
  await schemas.send(new UpdateRegistryCommand({ RegistryName: 'reg-crud', Description: 'd2' }));
  const described = await schemas.send(new DescribeRegistryCommand({ RegistryName: 'reg-crud' }));
  assert.deepEqual([described.Description, described.Tags], ['d2', { team: 'a' }]);
  assert.deepEqual((await schemas.send(new ListRegistriesCommand({ RegistryNamePrefix: 'reg-' }))).Registries?.map((r) => r.RegistryName), ['reg-crud']);

  const forbidden = await failure(schemas.send(new CreateSchemaCommand({ RegistryName: 'aws.events', SchemaName: 'x', Type: 'OpenApi3', Content: openapi({}) })));
  assert.deepEqual([forbidden.name, forbidden.status], ['ForbiddenException', 403]);
  assert.equal((await failure(schemas.send(new DeleteRegistryCommand({ RegistryName: 'aws.events' })))).name, 'ForbiddenException');

  // Everything is scoped by (account, region): another Region has only the managed registries.
  const west = new SchemasClient(sdkConfig(server.url, 'eu-west-1'));
  assert.deepEqual((await west.send(new ListRegistriesCommand({}))).Registries?.map((r) => r.RegistryName), ['aws.events', 'discovered-schemas']);
  assert.equal((await failure(west.send(new DescribeRegistryCommand({ RegistryName: 'reg-crud' })))).name, 'NotFoundException');

  await schemas.send(new DeleteRegistryCommand({ RegistryName: 'reg-crud' }));
  const gone = await failure(schemas.send(new DescribeRegistryCommand({ RegistryName: 'reg-crud' })));
  assert.deepEqual([gone.name, gone.status, gone.message], ['NotFoundException', 404, 'Registry with name reg-crud does not exist.']);
});

test('schemas: versions on content change, describe by version, list, delete version and schema', async () => {
  await schemas.send(new CreateRegistryCommand({ RegistryName: 'reg-versions' }));
  const base = { RegistryName: 'reg-versions', SchemaName: 'Order' };
  const v1 = await schemas.send(new CreateSchemaCommand({ ...base, Type: 'OpenApi3', Content: openapi({ id: { type: 'string' } }), Description: 'orders' }));
  assert.equal(v1.SchemaVersion, '1');
  assert.ok(v1.VersionCreatedDate instanceof Date);
  assert.equal(v1.SchemaArn, 'arn:aws:schemas:us-east-1:000000000000:schema/reg-versions/Order');
  assert.equal((await failure(schemas.send(new CreateSchemaCommand({ ...base, Type: 'OpenApi3', Content: openapi({}) })))).name, 'ConflictException');

  const same = await schemas.send(new UpdateSchemaCommand({ ...base, Content: openapi({ id: { type: 'string' } }), Description: 'still orders' }));
  assert.equal(same.SchemaVersion, '1');
  const v2 = await schemas.send(new UpdateSchemaCommand({ ...base, Content: openapi({ id: { type: 'string' }, total: { type: 'number' } }) }));
  assert.equal(v2.SchemaVersion, '2');
  const latest = await schemas.send(new DescribeSchemaCommand(base));
  assert.deepEqual([latest.SchemaVersion, latest.Type, latest.Description], ['2', 'OpenApi3', 'still orders']);
  assert.match(latest.Content!, /total/);
  assert.doesNotMatch((await schemas.send(new DescribeSchemaCommand({ ...base, SchemaVersion: '1' }))).Content!, /total/);
  assert.deepEqual((await schemas.send(new ListSchemaVersionsCommand(base))).SchemaVersions?.map((v) => v.SchemaVersion), ['1', '2']);
  const listed = await schemas.send(new ListSchemasCommand({ RegistryName: 'reg-versions', SchemaNamePrefix: 'Ord' }));
  assert.deepEqual(listed.Schemas?.map((s) => [s.SchemaName, s.VersionCount]), [['Order', 2]]);

  await schemas.send(new DeleteSchemaVersionCommand({ ...base, SchemaVersion: '1' }));
  assert.equal((await failure(schemas.send(new DescribeSchemaCommand({ ...base, SchemaVersion: '1' })))).name, 'NotFoundException');
  assert.equal((await failure(schemas.send(new DeleteSchemaVersionCommand({ ...base, SchemaVersion: '2' })))).name, 'BadRequestException');
  await schemas.send(new DeleteSchemaCommand(base));
  const gone = await failure(schemas.send(new DescribeSchemaCommand(base)));
  assert.deepEqual([gone.name, gone.status], ['NotFoundException', 404]);
});

test('content is validated as JSON and as the declared type', async () => {
  await schemas.send(new CreateRegistryCommand({ RegistryName: 'reg-validate' }));
  const base = { RegistryName: 'reg-validate', SchemaName: 'S' };
  const notJson = await failure(schemas.send(new CreateSchemaCommand({ ...base, Type: 'OpenApi3', Content: '{oops' })));
  assert.deepEqual([notJson.name, notJson.status], ['BadRequestException', 400]);
  assert.match((await failure(schemas.send(new CreateSchemaCommand({ ...base, Type: 'OpenApi3', Content: '{"type":"object"}' })))).message, /openapi/);
  const draft4 = await schemas.send(new CreateSchemaCommand({ ...base, Type: 'JSONSchemaDraft4', Content: '{"$schema":"http://json-schema.org/draft-04/schema#","type":"object"}' }));
  assert.equal(draft4.Type, 'JSONSchemaDraft4');
  assert.equal((await failure(schemas.send(new CreateSchemaCommand({ ...base, SchemaName: 'T', Type: 'JSONSchemaDraft4', Content: '{"type":"thing"}' })))).name, 'BadRequestException');
  assert.equal((await failure(schemas.send(new ListSchemasCommand({ RegistryName: 'nope' })))).name, 'NotFoundException');
});

test('search matches keywords in names and content; custom schemas cannot be exported, as on AWS', async () => {
  await schemas.send(new CreateRegistryCommand({ RegistryName: 'reg-search' }));
  await schemas.send(new CreateSchemaCommand({ RegistryName: 'reg-search', SchemaName: 'OrderPlaced', Type: 'OpenApi3', Content: openapi({ sku: { type: 'string' } }) }));
  await schemas.send(new CreateSchemaCommand({ RegistryName: 'reg-search', SchemaName: 'UserCreated', Type: 'OpenApi3', Content: openapi({ email: { type: 'string' } }, 'User') }));
  const byName = await schemas.send(new SearchSchemasCommand({ RegistryName: 'reg-search', Keywords: 'order' }));
  assert.deepEqual(byName.Schemas?.map((s) => s.SchemaName), ['OrderPlaced']);
  assert.deepEqual(byName.Schemas?.[0]?.SchemaVersions?.map((v) => [v.SchemaVersion, v.Type]), [['1', 'OpenApi3']]);
  const byContent = await schemas.send(new SearchSchemasCommand({ RegistryName: 'reg-search', Keywords: 'EMAIL' }));
  assert.deepEqual(byContent.Schemas?.map((s) => s.SchemaName), ['UserCreated']);

  const custom = await failure(schemas.send(new ExportSchemaCommand({ RegistryName: 'reg-search', SchemaName: 'OrderPlaced', Type: 'JSONSchemaDraft4' })));
  assert.deepEqual([custom.name, custom.status, custom.message], ['ForbiddenException', 403, 'You cannot export non discovered or non aws managed schemas.']);
});

test('tags on registries and schemas, and a registry resource policy with revisions', async () => {
  await schemas.send(new CreateRegistryCommand({ RegistryName: 'reg-tags' }));
  const arn = 'arn:aws:schemas:us-east-1:000000000000:registry/reg-tags';
  await schemas.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: '1', b: '2' } }));
  await schemas.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
  assert.deepEqual((await schemas.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { b: '2' });
  await schemas.send(new CreateSchemaCommand({ RegistryName: 'reg-tags', SchemaName: 'S', Type: 'OpenApi3', Content: openapi({}), Tags: { s: '1' } }));
  const schemaArn = 'arn:aws:schemas:us-east-1:000000000000:schema/reg-tags/S';
  await schemas.send(new TagResourceCommand({ ResourceArn: schemaArn, Tags: { t: '2' } }));
  assert.deepEqual((await schemas.send(new ListTagsForResourceCommand({ ResourceArn: schemaArn }))).Tags, { s: '1', t: '2' });
  assert.deepEqual((await schemas.send(new ListSchemasCommand({ RegistryName: 'reg-tags' }))).Schemas?.[0]?.Tags, { s: '1', t: '2' });
  const missing = await failure(schemas.send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:schemas:us-east-1:000000000000:registry/none' })));
  assert.deepEqual([missing.name, missing.status], ['NotFoundException', 404]);

  assert.equal((await failure(schemas.send(new GetResourcePolicyCommand({ RegistryName: 'reg-tags' })))).name, 'NotFoundException');
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'schemas:*', Resource: arn }] });
  const put = await schemas.send(new PutResourcePolicyCommand({ RegistryName: 'reg-tags', Policy: policy }));
  const got = await schemas.send(new GetResourcePolicyCommand({ RegistryName: 'reg-tags' }));
  assert.equal(got.RevisionId, put.RevisionId);
  // The SDK wraps the JSON-valued Policy in a String object.
  assert.deepEqual(JSON.parse(String(got.Policy)), JSON.parse(policy));
  const stale = await failure(schemas.send(new PutResourcePolicyCommand({ RegistryName: 'reg-tags', Policy: policy, RevisionId: 'stale' })));
  assert.deepEqual([stale.name, stale.status], ['PreconditionFailedException', 412]);
  await schemas.send(new DeleteResourcePolicyCommand({ RegistryName: 'reg-tags' }));
  assert.equal((await failure(schemas.send(new GetResourcePolicyCommand({ RegistryName: 'reg-tags' })))).name, 'NotFoundException');
});

test('GetDiscoveredSchema infers an AWSEvent schema from event texts, in either type', async () => {
  const evt = (detail: object) => JSON.stringify({ version: '0', id: '1', source: 'shop', 'detail-type': 'Order Placed', account: '000000000000',
    time: '2026-03-27T12:00:00Z', region: 'us-east-1', resources: [], detail });
  const out = await schemas.send(new GetDiscoveredSchemaCommand({ Type: 'OpenApi3', Events: [evt({ id: 1 }), evt({ id: 2, note: 'x' })] }));
  const doc = JSON.parse(out.Content!);
  assert.equal(doc.components.schemas.AWSEvent['x-amazon-events-source'], 'shop');
  assert.deepEqual(doc.components.schemas.OrderPlaced.properties, { id: { type: 'integer' }, note: { type: 'string' } });
  const draft4 = JSON.parse((await schemas.send(new GetDiscoveredSchemaCommand({ Type: 'JSONSchemaDraft4', Events: [evt({ id: 1 })] }))).Content!);
  assert.equal(draft4.$schema, 'http://json-schema.org/draft-04/schema#');
  assert.equal((await failure(schemas.send(new GetDiscoveredSchemaCommand({ Type: 'OpenApi3', Events: ['{bad'] })))).name, 'BadRequestException');
});

test('discoverers: one per bus, start/stop, update, list, delete, bad source ARNs', async () => {
  const sourceArn = 'arn:aws:events:us-east-1:000000000000:event-bus/discoverer-crud';
  const d = await schemas.send(new CreateDiscovererCommand({ SourceArn: sourceArn, Description: 'd' }));
  assert.deepEqual([d.DiscovererId, d.State, d.CrossAccount], ['events-event-bus-discoverer-crud', 'STARTED', true]);
  assert.equal((await failure(schemas.send(new CreateDiscovererCommand({ SourceArn: sourceArn })))).name, 'ConflictException');
  assert.equal((await failure(schemas.send(new CreateDiscovererCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:queue' })))).name, 'BadRequestException');
  await schemas.send(new StopDiscovererCommand({ DiscovererId: d.DiscovererId }));
  await schemas.send(new UpdateDiscovererCommand({ DiscovererId: d.DiscovererId, CrossAccount: false }));
  const described = await schemas.send(new DescribeDiscovererCommand({ DiscovererId: d.DiscovererId }));
  assert.deepEqual([described.State, described.CrossAccount, described.Description], ['STOPPED', false, 'd']);
  const listed = await schemas.send(new ListDiscoverersCommand({ SourceArnPrefix: sourceArn }));
  assert.deepEqual(listed.Discoverers?.map((x) => x.DiscovererId), [d.DiscovererId]);
  await schemas.send(new DeleteDiscovererCommand({ DiscovererId: d.DiscovererId }));
  assert.equal((await failure(schemas.send(new DescribeDiscovererCommand({ DiscovererId: d.DiscovererId! })))).name, 'NotFoundException');
});

test('discovery on the default bus: two shapes of one source@detail-type and another kind', async () => {
  await schemas.send(new CreateDiscovererCommand({ SourceArn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' }));
  const put = (detailType: string, detail: object) =>
    events.send(new PutEventsCommand({ Entries: [{ Source: 'com.example.shop', DetailType: detailType, Detail: JSON.stringify(detail) }] }));
  const r1 = await put('Order Placed', { orderId: 1, total: 9.5 });
  assert.equal(r1.FailedEntryCount, 0);
  await put('Order Shipped', { orderId: 1, carrier: 'ups' });
  const names = await until('both discovered schemas', async () => {
    const listed = await schemas.send(new ListSchemasCommand({ RegistryName: 'discovered-schemas' }));
    const n = listed.Schemas?.map((s) => s.SchemaName) ?? [];
    return n.length === 2 ? n : undefined;
  });
  assert.deepEqual(names, ['com.example.shop@OrderPlaced', 'com.example.shop@OrderShipped']);
  const first = await schemas.send(new DescribeSchemaCommand({ RegistryName: 'discovered-schemas', SchemaName: 'com.example.shop@OrderPlaced' }));
  assert.equal(first.SchemaVersion, '1');
  const doc = JSON.parse(first.Content!);
  assert.equal(doc.components.schemas.AWSEvent['x-amazon-events-detail-type'], 'Order Placed');
  assert.deepEqual(doc.components.schemas.OrderPlaced.properties, { orderId: { type: 'integer' }, total: { type: 'number' } });

  await put('Order Placed', { orderId: 2, total: 3, coupon: 'SPRING' });
  const v2 = await until('a second version after the new shape', async () => {
    const listed = await schemas.send(new ListSchemaVersionsCommand({ RegistryName: 'discovered-schemas', SchemaName: 'com.example.shop@OrderPlaced' }));
    return listed.SchemaVersions?.length === 2 ? listed.SchemaVersions : undefined;
  });
  assert.deepEqual(v2.map((v) => v.SchemaVersion), ['1', '2']);
  const latest = JSON.parse((await schemas.send(new DescribeSchemaCommand({ RegistryName: 'discovered-schemas', SchemaName: 'com.example.shop@OrderPlaced' }))).Content!);
  assert.deepEqual(Object.keys(latest.components.schemas.OrderPlaced.properties), ['coupon', 'orderId', 'total']);
  assert.deepEqual(latest.components.schemas.OrderPlaced.required, ['orderId', 'total']);

  // Discovered schemas export as JSONSchemaDraft4 (the only export type).
  const exported = await schemas.send(new ExportSchemaCommand({ RegistryName: 'discovered-schemas', SchemaName: 'com.example.shop@OrderPlaced', Type: 'JSONSchemaDraft4' }));
  const doc4 = JSON.parse(exported.Content!);
  assert.deepEqual([exported.Type, exported.SchemaVersion, doc4.$schema, doc4.title], ['JSONSchemaDraft4', '2', 'http://json-schema.org/draft-04/schema#', 'AWSEvent']);
  assert.deepEqual(doc4.properties.detail, { $ref: '#/definitions/OrderPlaced' });
  assert.deepEqual(doc4.definitions.OrderPlaced.properties.total, { type: 'number' });
  const v1Export = JSON.parse((await schemas.send(new ExportSchemaCommand({ RegistryName: 'discovered-schemas', SchemaName: 'com.example.shop@OrderPlaced', SchemaVersion: '1', Type: 'JSONSchemaDraft4' }))).Content!);
  assert.equal(v1Export.definitions.OrderPlaced.properties.coupon, undefined);
  const wrongType = await failure(schemas.send(new ExportSchemaCommand({ RegistryName: 'discovered-schemas', SchemaName: 'com.example.shop@OrderPlaced', Type: 'OpenApi3' })));
  assert.deepEqual([wrongType.name, wrongType.status], ['BadRequestException', 400]);
});

test('the AWS CLI v1 creates a registry and lists schemas', async () => {
  const cli = async (args: string[]) => {
    const { stdout } = await run('aws', [...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() });
    return (stdout.trim() ? JSON.parse(stdout) : {}) as Record<string, unknown>;
  };
  const created = await cli(['schemas', 'create-registry', '--registry-name', 'cli-reg', '--description', 'from the cli']);
  assert.equal(created.RegistryArn, 'arn:aws:schemas:us-east-1:000000000000:registry/cli-reg');
  await cli(['schemas', 'create-schema', '--registry-name', 'cli-reg', '--schema-name', 'Thing', '--type', 'OpenApi3', '--content', openapi({ a: { type: 'string' } })]);
  const listed = await cli(['schemas', 'list-schemas', '--registry-name', 'cli-reg']);
  assert.deepEqual((listed.Schemas as { SchemaName: string; VersionCount: number }[]).map((s) => [s.SchemaName, s.VersionCount]), [['Thing', 1]]);
  const err = await run('aws', ['schemas', 'describe-registry', '--registry-name', 'nope', '--endpoint-url', server.url], { env: awsEnv() }).catch((e: { stderr: string }) => e);
  assert.match((err as { stderr: string }).stderr, /NotFoundException/);
});
