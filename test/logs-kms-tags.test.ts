import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import {
  AssociateKmsKeyCommand,
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DisassociateKmsKeyCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  TooManyTagsException,
  UntagLogGroupCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, ROOT, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
let server: TestServer;
let logs: CloudWatchLogsClient;
const KEY = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
});
after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
});

test('messages of a KMS-associated group are stored encrypted and read back transparently', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/kms/g', kmsKeyId: KEY }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/kms/g', logStreamName: 's' }));
  const now = Date.now();
  await logs.send(new PutLogEventsCommand({ logGroupName: '/kms/g', logStreamName: 's', logEvents: [{ timestamp: now, message: 'TOPSECRET-1 card=4111' }] }));
  await logs.send(new DisassociateKmsKeyCommand({ logGroupName: '/kms/g' }));
  await logs.send(new PutLogEventsCommand({ logGroupName: '/kms/g', logStreamName: 's', logEvents: [{ timestamp: now + 1, message: 'PLAIN-2' }] }));
  await logs.send(new AssociateKmsKeyCommand({ logGroupName: '/kms/g', kmsKeyId: KEY }));
  await logs.send(new PutLogEventsCommand({ logGroupName: '/kms/g', logStreamName: 's', logEvents: [{ timestamp: now + 2, message: 'TOPSECRET-3' }] }));

  const r = await logs.send(new GetLogEventsCommand({ logGroupName: '/kms/g', logStreamName: 's', startFromHead: true }));
  assert.deepEqual(r.events!.map((e) => e.message), ['TOPSECRET-1 card=4111', 'PLAIN-2', 'TOPSECRET-3']);
  const g = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/kms/g' }));
  assert.equal(g.logGroups![0].kmsKeyId, KEY);

  // On disk, after a clean stop, the sealed messages are not readable as text.
  await server.stop();
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'dump-messages.ts'), join(server.dataDir, 'telemetry')], { cwd: ROOT });
  assert.ok(!stdout.includes('TOPSECRET'), 'plaintext of an encrypted event found in the store');
  assert.ok(stdout.includes('PLAIN-2'), 'the event written while disassociated is plain text');
  server = await startTestServer({ dataDir: server.dataDir });
  logs.destroy();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const again = await logs.send(new GetLogEventsCommand({ logGroupName: '/kms/g', logStreamName: 's', startFromHead: true }));
  assert.deepEqual(again.events!.map((e) => e.message), ['TOPSECRET-1 card=4111', 'PLAIN-2', 'TOPSECRET-3']);
});

test('a malformed KMS key id is InvalidParameterException', async () => {
  await assert.rejects(logs.send(new CreateLogGroupCommand({ logGroupName: '/kms/bad', kmsKeyId: 'alias/mine' })), InvalidParameterException);
});

test('tags: TagResource / UntagResource / ListTagsForResource and the legacy TagLogGroup family', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/tags/g', tags: { team: 'a' } }));
  const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:/tags/g';
  await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'prod' } }));
  assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { team: 'a', env: 'prod' });
  await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
  await logs.send(new TagLogGroupCommand({ logGroupName: '/tags/g', tags: { owner: 'me' } }));
  await logs.send(new UntagLogGroupCommand({ logGroupName: '/tags/g', tags: ['env'] }));
  assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/tags/g' }))).tags, { owner: 'me' });
  const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
  await assert.rejects(logs.send(new TagResourceCommand({ resourceArn: arn, tags: many })), TooManyTagsException);
});
