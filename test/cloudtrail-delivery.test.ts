/**
 * Trail delivery through the real server: a trail's records reach its log group (one record per log
 * event, in `<account>_CloudTrail_<region>`, so filter patterns on the record work) and its bucket
 * (gzipped `{"Records":[…]}` at AWS's key layout, announced on the trail's SNS topic); GetTrailStatus
 * shows the deliveries; a stopped trail delivers nothing new; another account's trail gets nothing
 * of this account; a graceful restart delivers nothing twice; data events reach only the trail that
 * selects them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, FilterLogEventsCommand, PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { ACCOUNT, OTHER_ACCOUNT, OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

const STREAM = `${ACCOUNT}_CloudTrail_us-east-1`;

let server: TestServer;
let bucketDir: string;
let receiver: Receiver;
let env: Record<string, string>;

const clients = (url: string, credentials?: typeof OTHER) => {
  const cfg = credentials ? { ...sdkConfig(url), credentials } : sdkConfig(url);
  return { ct: new CloudTrailClient(cfg), logs: new CloudWatchLogsClient(cfg), sns: new SNSClient(cfg) };
};

before(async () => {
  bucketDir = mkdtempSync(join(tmpdir(), 'osprey-trail-delivery-'));
  receiver = await startReceiver();
  env = {
    OSPREY_CLOUDTRAIL_DELIVERY_INTERVAL_MS: '500',
    OSPREY_DELIVERY_POLL_MS: '100',
    OSPREY_EXPORT_BUCKETS: JSON.stringify({ 'trail-bucket': `file://${bucketDir}` }),
    OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS,
  };
  server = await startTestServer({ modules: ['cloudtrail', 'logs', 'sns'], env });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  await receiver?.close();
  rmSync(bucketDir, { recursive: true, force: true });
});

const messages = () => receiver.received.map((r) => JSON.parse(r.body) as { Type: string; Message: string; SubscribeURL?: string });

interface Rec { eventID: string; awsRegion: string; eventName: string; eventSource: string; recipientAccountId: string; requestParameters: Record<string, unknown> | null }

/** Every object under a key prefix of the bucket: its key and its records. */
function objects(prefix: string): Array<{ key: string; records: Rec[] }> {
  const out: Array<{ key: string; records: Rec[] }> = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else out.push({ key: relative(bucketDir, path), records: (JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { Records: Rec[] }).Records });
    }
  };
  walk(join(bucketDir, prefix));
  return out;
}

async function streamRecords(logs: CloudWatchLogsClient, group: string, pattern?: string, stream = STREAM): Promise<Rec[]> {
  const out: Rec[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: [stream], filterPattern: pattern, nextToken }));
      out.push(...(page.events ?? []).map((e) => JSON.parse(e.message!) as Rec));
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return [];
    throw e;
  }
  return out;
}

async function trailTo(c: ReturnType<typeof clients>, account: string, name: string, extra: { SnsTopicName?: string; IsMultiRegionTrail?: boolean } = {}) {
  const group = `CloudTrail/${name}`;
  await c.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await c.ct.send(new CreateTrailCommand({
    Name: name, S3BucketName: 'trail-bucket', S3KeyPrefix: name, ...extra,
    CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${account}:log-group:${group}:*`,
    CloudWatchLogsRoleArn: `arn:aws:iam::${account}:role/CloudTrail_CloudWatchLogs_Role`,
  }));
  await c.ct.send(new StartLoggingCommand({ Name: name }));
  return group;
}

test('a trail delivers each record to its log group stream and to its bucket at AWS\'s layout, and notifies its topic', { timeout: 30_000 }, async () => {
  const c = clients(server.url);
  const other = clients(server.url, OTHER);
  const { TopicArn } = await c.sns.send(new CreateTopicCommand({ Name: 'trail-files' }));
  await c.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${receiver.url}/trail-files` }));
  const confirmation = await until('the subscription confirmation', () => messages().find((m) => m.Type === 'SubscriptionConfirmation'));
  await fetch(confirmation.SubscribeURL!);
  const group = await trailTo(c, ACCOUNT, 'main', { SnsTopicName: 'trail-files' });
  const otherGroup = await trailTo(other, OTHER_ACCOUNT, 'elsewhere');

  await other.logs.send(new CreateLogGroupCommand({ logGroupName: 'theirs' }));
  await c.logs.send(new CreateLogGroupCommand({ logGroupName: 'victim' }));
  await c.logs.send(new DeleteLogGroupCommand({ logGroupName: 'victim' }));

  // The seed's filter pattern finds the record in the stream, as a metric filter would.
  const [deleted] = await until('DeleteLogGroup in the trail\'s log stream',
    async () => { const r = await streamRecords(c.logs, group, '{ $.eventName = "DeleteLogGroup" }'); return r.length > 0 ? r : undefined; }, 10_000);
  assert.equal(deleted!.eventSource, 'logs.amazonaws.com');
  assert.deepEqual(deleted!.requestParameters, { logGroupName: 'victim' });
  assert.equal(deleted!.recipientAccountId, ACCOUNT);

  const files = await until('the DeleteLogGroup record in the bucket', () => {
    const all = objects(`main/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1`);
    return all.some((o) => o.records.some((r) => r.eventID === deleted!.eventID)) ? all : undefined;
  }, 10_000);
  for (const f of files) {
    assert.match(f.key, new RegExp(`^main/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/\\d{4}/\\d{2}/\\d{2}/${ACCOUNT}_CloudTrail_us-east-1_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`));
    assert.ok(f.records.length >= 1 && f.records.length <= 1000);
  }
  const names = files.flatMap((f) => f.records.map((r) => r.eventName));
  assert.ok(names.includes('CreateLogGroup') && names.includes('DeleteLogGroup'), names.join());

  const status = await c.ct.send(new GetTrailStatusCommand({ Name: 'main' }));
  assert.ok(status.LatestDeliveryTime instanceof Date);
  assert.ok(status.LatestCloudWatchLogsDeliveryTime instanceof Date);
  assert.equal(status.LatestDeliveryError, undefined);

  const note = await until('the SNS notification of a log file', () => messages().find((m) => m.Type === 'Notification'), 10_000);
  const message = JSON.parse(note.Message) as { s3Bucket: string; s3ObjectKey: string[] };
  assert.equal(message.s3Bucket, 'trail-bucket');
  assert.match(message.s3ObjectKey[0]!, new RegExp(`^main/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/`));
  const notified = await c.ct.send(new GetTrailStatusCommand({ Name: 'main' }));
  assert.ok(notified.LatestNotificationTime instanceof Date);
  assert.match(notified.LatestNotificationAttemptSucceeded ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(notified.LatestNotificationError, undefined);

  // The other account's trail delivers its own calls only.
  await until('the other account\'s trail delivered', () => (objects(`elsewhere/AWSLogs/${OTHER_ACCOUNT}`).length > 0 ? true : undefined), 10_000);
  const theirs = [...objects('elsewhere').flatMap((o) => o.records), ...(await streamRecords(other.logs, otherGroup))];
  assert.ok(theirs.length > 0);
  assert.ok(theirs.every((r) => r.recipientAccountId === OTHER_ACCOUNT));
  assert.equal(objects(`elsewhere/AWSLogs/${ACCOUNT}`).length, 0);
});

test('a stopped trail delivers what it logged before StopLogging and nothing after', { timeout: 30_000 }, async () => {
  const c = clients(server.url);
  const group = await trailTo(c, ACCOUNT, 'stopping');
  await c.ct.send(new StopLoggingCommand({ Name: 'stopping' }));
  await until('StopLogging delivered', async () => ((await streamRecords(c.logs, group)).some((r) => r.eventName === 'StopLogging') ? true : undefined), 10_000);
  await c.logs.send(new CreateLogGroupCommand({ logGroupName: 'after-stop' }));
  // Wait until a logging trail has delivered the call: the stopped one has had its chance too.
  await until('the call delivered by a logging trail', async () => ((await streamRecords(c.logs, 'CloudTrail/main')).some((r) => r.requestParameters?.logGroupName === 'after-stop') ? true : undefined), 10_000);
  await new Promise((r) => setTimeout(r, 1200));
  const mine = [...await streamRecords(c.logs, group), ...objects('stopping').flatMap((o) => o.records)];
  assert.ok(mine.some((r) => r.eventName === 'StopLogging'));
  assert.ok(!mine.some((r) => r.requestParameters?.logGroupName === 'after-stop'));
  const status = await c.ct.send(new GetTrailStatusCommand({ Name: 'stopping' }));
  assert.equal(status.IsLogging, false);
});

test('a multi-region trail delivers every region\'s records under that region; a single-region trail only its own', { timeout: 30_000 }, async () => {
  const c = clients(server.url);
  const westLogs = new CloudWatchLogsClient(sdkConfig(server.url, 'us-west-2'));
  const group = await trailTo(c, ACCOUNT, 'everywhere', { IsMultiRegionTrail: true });
  await trailTo(c, ACCOUNT, 'local');
  await westLogs.send(new CreateLogGroupCommand({ logGroupName: 'in-the-west' }));
  const isIt = (r: Rec) => r.requestParameters?.logGroupName === 'in-the-west';
  const [inStream] = await until('the us-west-2 call in its own stream', async () => {
    const r = (await streamRecords(c.logs, group, undefined, `${ACCOUNT}_CloudTrail_us-west-2`)).filter(isIt);
    return r.length > 0 ? r : undefined;
  }, 10_000);
  assert.equal(inStream!.awsRegion, 'us-west-2');
  await until('the us-west-2 call in the bucket', () => (objects(`everywhere/AWSLogs/${ACCOUNT}/CloudTrail/us-west-2`).some((o) => o.records.some(isIt)) ? true : undefined), 10_000);
  // The single-region trail has delivered this account's later us-east-1 calls, never the us-west-2 one.
  await c.logs.send(new CreateLogGroupCommand({ logGroupName: 'in-the-east' }));
  await until('the us-east-1 call delivered by the single-region trail', () => (objects('local').some((o) => o.records.some((r) => r.requestParameters?.logGroupName === 'in-the-east')) ? true : undefined), 10_000);
  assert.ok(!objects('local').some((o) => o.records.some(isIt)));
  assert.equal(objects(`local/AWSLogs/${ACCOUNT}/CloudTrail/us-west-2`).length, 0);
});

test('a deleted log group shows as the trail\'s CloudWatch Logs delivery error and does not hold back the bucket', { timeout: 30_000 }, async () => {
  const c = clients(server.url);
  const group = await trailTo(c, ACCOUNT, 'orphan');
  await c.logs.send(new DeleteLogGroupCommand({ logGroupName: group }));
  await c.logs.send(new CreateLogGroupCommand({ logGroupName: 'while-orphaned' }));
  const status = await until('the delivery error in GetTrailStatus', async () => {
    const s = await c.ct.send(new GetTrailStatusCommand({ Name: 'orphan' }));
    return s.LatestCloudWatchLogsDeliveryError ? s : undefined;
  }, 10_000);
  assert.match(status.LatestCloudWatchLogsDeliveryError!, /does not exist/);
  await until('the bucket delivery going on', () => (objects('orphan').some((o) => o.records.some((r) => r.requestParameters?.logGroupName === 'while-orphaned')) ? true : undefined), 10_000);
  assert.equal((await c.ct.send(new GetTrailStatusCommand({ Name: 'orphan' }))).LatestDeliveryError, undefined);
});

test('records are not delivered twice across a graceful restart', { timeout: 40_000 }, async () => {
  let c = clients(server.url);
  await c.logs.send(new CreateLogGroupCommand({ logGroupName: 'before-restart' }));
  await until('the call delivered before the restart', async () => ((await streamRecords(c.logs, 'CloudTrail/main')).some((r) => r.requestParameters?.logGroupName === 'before-restart') ? true : undefined), 10_000);
  await server.stop();
  server = await startTestServer({ modules: ['cloudtrail', 'logs', 'sns'], env, dataDir: server.dataDir });
  c = clients(server.url);
  await c.logs.send(new CreateLogGroupCommand({ logGroupName: 'after-restart' }));
  const inStream = await until('the call delivered after the restart', async () => {
    const r = await streamRecords(c.logs, 'CloudTrail/main');
    return r.some((x) => x.requestParameters?.logGroupName === 'after-restart') ? r : undefined;
  }, 10_000);
  const inBucket = await until('the call in the bucket after the restart', () => {
    const r = objects('main').flatMap((o) => o.records);
    return r.some((x) => x.requestParameters?.logGroupName === 'after-restart') ? r : undefined;
  }, 10_000);
  for (const [where, records] of [['log stream', inStream], ['bucket', inBucket]] as const) {
    const ids = records.map((r) => r.eventID);
    assert.equal(new Set(ids).size, ids.length, `a record was delivered twice to the ${where}`);
    assert.equal(records.filter((r) => r.requestParameters?.logGroupName === 'before-restart' && r.eventName === 'CreateLogGroup').length, 1);
  }
});

test('data events reach only the trail whose selectors ask for them', { timeout: 30_000 }, async () => {
  // The other account: 'elsewhere' (default selectors: management events only) is logging already.
  const other = clients(server.url, OTHER);
  await other.ct.send(new CreateTrailCommand({ Name: 'data-logs', S3BucketName: 'trail-bucket', S3KeyPrefix: 'data-logs' }));
  await other.ct.send(new PutEventSelectorsCommand({
    TrailName: 'data-logs',
    AdvancedEventSelectors: [
      { Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      { Name: 'log writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Logs::LogGroup'] }] },
    ],
  }));
  await other.ct.send(new StartLoggingCommand({ Name: 'data-logs' }));
  await other.logs.send(new CreateLogGroupCommand({ logGroupName: 'app' }));
  await other.logs.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: 'web' }));
  await other.logs.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 'web', logEvents: [{ timestamp: Date.now(), message: 'hello' }] }));
  await other.logs.send(new CreateLogGroupCommand({ logGroupName: 'marker' }));

  const selected = await until('the data event in the selecting trail\'s bucket', () => {
    const r = objects(`data-logs/AWSLogs/${OTHER_ACCOUNT}`).flatMap((o) => o.records);
    return r.some((x) => x.eventName === 'PutLogEvents') ? r : undefined;
  }, 10_000);
  const put = selected.find((x) => x.eventName === 'PutLogEvents')! as Rec & { eventCategory: string; managementEvent: boolean };
  assert.equal(put.eventCategory, 'Data');
  assert.equal(put.managementEvent, false);
  assert.equal(put.requestParameters?.logGroupName, 'app');
  assert.equal('logEvents' in (put.requestParameters ?? {}), false, 'the payload is left out');
  // The management-only trail has the calls around it, never the data event.
  await until('the marker call in the management-only trail', () =>
    (objects(`elsewhere/AWSLogs/${OTHER_ACCOUNT}`).flatMap((o) => o.records).some((x) => x.requestParameters?.logGroupName === 'marker') ? true : undefined), 10_000);
  assert.equal(objects('elsewhere').flatMap((o) => o.records).filter((x) => x.eventName === 'PutLogEvents').length, 0);
});
