/**
 * X-Ray tags on groups and sampling rules, and the encryption config: documents stored under a KMS
 * config are sealed and still read back (also after a restart); another account sees and tags
 * nothing of this one's.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  BatchGetTracesCommand, CreateGroupCommand, CreateSamplingRuleCommand, DeleteGroupCommand, GetEncryptionConfigCommand, ListTagsForResourceCommand,
  PutEncryptionConfigCommand, PutTraceSegmentsCommand, TagResourceCommand, UntagResourceCommand, XRayClient,
} from '@aws-sdk/client-xray';
import { OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { failure } from './helpers/failure.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let xray: XRayClient;
const env = { OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS };

before(async () => {
  server = await startTestServer({ modules: ['xray'], env });
  xray = new XRayClient(sdkConfig(server.url));
});
after(async () => {
  xray?.destroy();
  await server?.stop();
  server?.cleanup();
});

const tagsOf = async (arn: string) => (await xray.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags;

test('tags on groups and sampling rules: create, add, remove, limits, and another account', async () => {
  const { Group } = await xray.send(new CreateGroupCommand({ GroupName: 'tagged', FilterExpression: 'fault', Tags: [{ Key: 'team', Value: 'payments' }] }));
  const arn = Group!.GroupARN!;
  assert.deepEqual(await tagsOf(arn), [{ Key: 'team', Value: 'payments' }]);
  await xray.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'checkout' }] }));
  assert.deepEqual(await tagsOf(arn), [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'checkout' }]);
  await xray.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['env', 'absent'] }));
  assert.deepEqual(await tagsOf(arn), [{ Key: 'team', Value: 'checkout' }]);

  const tooMany = await failure(xray.send(new TagResourceCommand({ ResourceARN: arn, Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) })));
  assert.equal(tooMany.name, 'TooManyTagsException');
  const reserved = await failure(xray.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'aws:owner', Value: 'x' }] })));
  assert.equal(reserved.name, 'InvalidRequestException');
  const unknown = await failure(xray.send(new ListTagsForResourceCommand({ ResourceARN: `${arn}X` })));
  assert.equal(unknown.name, 'ResourceNotFoundException');
  assert.equal(unknown.status, 404);

  const rule = { RuleName: 'tagged', ResourceARN: '*', Priority: 5, FixedRate: 0.1, ReservoirSize: 1, ServiceName: '*', ServiceType: '*', Host: '*', HTTPMethod: '*', URLPath: '*', Version: 1 };
  const created = await xray.send(new CreateSamplingRuleCommand({ SamplingRule: rule, Tags: [{ Key: 'owner', Value: 'sre' }] }));
  assert.deepEqual(await tagsOf(created.SamplingRuleRecord!.SamplingRule!.RuleARN!), [{ Key: 'owner', Value: 'sre' }]);

  const other = new XRayClient({ ...sdkConfig(server.url), credentials: OTHER });
  try {
    for (const cmd of [new ListTagsForResourceCommand({ ResourceARN: arn }), new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'x', Value: 'y' }] })]) {
      assert.equal((await failure(other.send(cmd as never))).name, 'ResourceNotFoundException');
    }
  } finally {
    other.destroy();
  }
  assert.deepEqual(await tagsOf(arn), [{ Key: 'team', Value: 'checkout' }], 'untouched by the other account');
  await xray.send(new DeleteGroupCommand({ GroupARN: arn }));
  assert.equal((await failure(xray.send(new ListTagsForResourceCommand({ ResourceARN: arn })))).name, 'ResourceNotFoundException');
});

test('a KMS encryption config seals stored documents; they read back, also after a restart', async () => {
  assert.deepEqual((await xray.send(new GetEncryptionConfigCommand({}))).EncryptionConfig, { Status: 'ACTIVE', Type: 'NONE' });
  assert.equal((await failure(xray.send(new PutEncryptionConfigCommand({ Type: 'KMS' })))).name, 'InvalidRequestException');
  assert.equal((await failure(xray.send(new PutEncryptionConfigCommand({ Type: 'NONE', KeyId: 'alias/x' })))).name, 'InvalidRequestException');
  const wrongRegion = await failure(xray.send(new PutEncryptionConfigCommand({ Type: 'KMS', KeyId: 'arn:aws:kms:eu-west-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab' })));
  assert.match(wrongRegion.message, /same Region/);
  const put = await xray.send(new PutEncryptionConfigCommand({ Type: 'KMS', KeyId: 'alias/traces' }));
  assert.deepEqual(put.EncryptionConfig, { KeyId: 'arn:aws:kms:us-east-1:000000000000:alias/traces', Status: 'ACTIVE', Type: 'KMS' });
  assert.deepEqual((await xray.send(new GetEncryptionConfigCommand({}))).EncryptionConfig, put.EncryptionConfig);

  const now = Date.now() / 1000;
  const traceId = `1-${Math.floor(now).toString(16)}-${randomBytes(12).toString('hex')}`;
  const doc = { trace_id: traceId, id: randomBytes(8).toString('hex'), name: 'sealed-svc', start_time: now - 1, end_time: now, annotations: { secret: 'card-4242' } };
  await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [JSON.stringify(doc)] }));
  const read = async () => JSON.parse((await xray.send(new BatchGetTracesCommand({ TraceIds: [traceId] }))).Traces![0]!.Segments![0]!.Document!) as typeof doc;
  assert.deepEqual((await read()).annotations, { secret: 'card-4242' });

  await server.stop();
  server = await startTestServer({ modules: ['xray'], env, dataDir: server.dataDir });
  xray.destroy();
  xray = new XRayClient(sdkConfig(server.url));
  assert.deepEqual((await read()).annotations, { secret: 'card-4242' });
  await xray.send(new PutEncryptionConfigCommand({ Type: 'NONE' }));
  assert.deepEqual((await read()).annotations, { secret: 'card-4242' }, 'documents keep the key they were stored with');
});
