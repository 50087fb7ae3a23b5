import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

let server: TestServer;
let logs: CloudWatchLogsClient;
const DAY = 86_400_000;

before(async () => {
  server = await startTestServer({ env: { OSPREY_RETENTION_INTERVAL_MS: '200' } });
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
});
after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
});

async function storedBytes(name: string): Promise<number> {
  const r = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return r.logGroups![0].storedBytes!;
}

async function messages(group: string, stream: string): Promise<string[]> {
  const r = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }));
  return r.events!.map((e) => e.message!);
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('retention deletes expired events, storedBytes falls, newer events and other groups stay', async () => {
  const now = Date.now();
  for (const g of ['/ret/a', '/ret/keep']) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: 's' }));
    // Two batches: a single batch may not span more than 24 h.
    await logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: 's', logEvents: [{ timestamp: now - 10 * DAY, message: 'ten days old' }, { timestamp: now - 10 * DAY + 1, message: 'also ten days old' }] }));
    await logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: 's', logEvents: [{ timestamp: now - 3 * DAY, message: 'three days old' }] }));
    await logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: 's', logEvents: [{ timestamp: now, message: 'fresh' }] }));
  }
  const before = await storedBytes('/ret/a');
  assert.equal(before, 'ten days old'.length + 'also ten days old'.length + 'three days old'.length + 'fresh'.length);

  await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/ret/a', retentionInDays: 7 }));
  await eventually(async () => (await messages('/ret/a', 's')).length === 2, 'expired events to disappear');
  assert.deepEqual(await messages('/ret/a', 's'), ['three days old', 'fresh']);
  await eventually(async () => (await storedBytes('/ret/a')) === 'three days old'.length + 'fresh'.length, 'storedBytes to fall');
  assert.deepEqual(await messages('/ret/keep', 's'), ['ten days old', 'also ten days old', 'three days old', 'fresh']);

  const g = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ret/a' }));
  assert.equal(g.logGroups![0].retentionInDays, 7);

  // With the policy in place, events older than the retention period are rejected at ingest.
  const res = await logs.send(new PutLogEventsCommand({ logGroupName: '/ret/a', logStreamName: 's', logEvents: [{ timestamp: now - 8 * DAY, message: 'expired on arrival' }, { timestamp: now - 8 * DAY + 5, message: 'x' }] }));
  assert.deepEqual(res.rejectedLogEventsInfo, { expiredLogEventEndIndex: 2 });

  await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/ret/a' }));
  const after = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ret/a' }));
  assert.equal(after.logGroups![0].retentionInDays, undefined);
});

test('PutRetentionPolicy accepts only AWS retention values and existing groups', async () => {
  const err = await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/ret/a', retentionInDays: 2 })).catch((e) => e);
  assert.ok(err instanceof InvalidParameterException);
  assert.match(err.message, /Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: \[1, 3, 5, 7, 14, 30/);
  await assert.rejects(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/nope', retentionInDays: 1 })), ResourceNotFoundException);
});
