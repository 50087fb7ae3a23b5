import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  InvalidParameterException,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';
import { makeEvents, readAllForward, readAllBackward } from './helpers/logs.ts';

let server: TestServer;
let logs: CloudWatchLogsClient;

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
});
after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
});

test('10,000 events put in one call read back identical and in order, paging both directions', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/sdk/roundtrip' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/sdk/roundtrip', logStreamName: 's1' }));
  const events = makeEvents(10_000, Date.now() - 3_600_000, 'sdk');
  const put = await logs.send(new PutLogEventsCommand({ logGroupName: '/sdk/roundtrip', logStreamName: 's1', logEvents: events }));
  assert.equal(put.rejectedLogEventsInfo, undefined);
  assert.ok(put.nextSequenceToken);

  const get = (p: { nextToken?: string; startFromHead?: boolean }) =>
    logs.send(new GetLogEventsCommand({ logGroupName: '/sdk/roundtrip', logStreamName: 's1', limit: 1000, ...p }));
  const forward = await readAllForward(get);
  assert.deepEqual(forward.map((e) => [e.timestamp, e.message]), events.map((e) => [e.timestamp, e.message]));
  const backward = await readAllBackward(get);
  assert.deepEqual(backward.map((e) => [e.timestamp, e.message]), events.map((e) => [e.timestamp, e.message]));
});

test('GetLogEvents returns the same forward token at the end of the stream', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/sdk/tokens' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/sdk/tokens', logStreamName: 's' }));
  await logs.send(new PutLogEventsCommand({ logGroupName: '/sdk/tokens', logStreamName: 's', logEvents: makeEvents(3, Date.now() - 1000, 't') }));
  const first = await logs.send(new GetLogEventsCommand({ logGroupName: '/sdk/tokens', logStreamName: 's', startFromHead: true }));
  assert.equal(first.events?.length, 3);
  const end = await logs.send(new GetLogEventsCommand({ logGroupName: '/sdk/tokens', logStreamName: 's', startFromHead: true, nextToken: first.nextForwardToken }));
  assert.equal(end.events?.length, 0);
  assert.equal(end.nextForwardToken, first.nextForwardToken);
  // New data appears behind the same token.
  await logs.send(new PutLogEventsCommand({ logGroupName: '/sdk/tokens', logStreamName: 's', logEvents: makeEvents(2, Date.now(), 'later') }));
  const more = await logs.send(new GetLogEventsCommand({ logGroupName: '/sdk/tokens', logStreamName: 's', startFromHead: true, nextToken: first.nextForwardToken }));
  assert.deepEqual(more.events?.map((e) => e.message), ['later-0', 'later-1']);
});

test('GetLogEvents honours startTime (inclusive) and endTime (exclusive)', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/sdk/range' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/sdk/range', logStreamName: 's' }));
  const t0 = Date.now() - 60_000;
  const events = Array.from({ length: 10 }, (_, i) => ({ timestamp: t0 + i * 1000, message: `m${i}` }));
  await logs.send(new PutLogEventsCommand({ logGroupName: '/sdk/range', logStreamName: 's', logEvents: events }));
  const r = await logs.send(new GetLogEventsCommand({ logGroupName: '/sdk/range', logStreamName: 's', startTime: t0 + 2000, endTime: t0 + 5000, startFromHead: true }));
  assert.deepEqual(r.events?.map((e) => e.message), ['m2', 'm3', 'm4']);
  const latest = await logs.send(new GetLogEventsCommand({ logGroupName: '/sdk/range', logStreamName: 's', limit: 2 }));
  assert.deepEqual(latest.events?.map((e) => e.message), ['m8', 'm9']);
});

test('PutLogEvents reports too old, too new and expired events and keeps the rest', async () => {
  const g = '/sdk/rejects';
  await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: 's' }));
  const now = Date.now();
  const day = 86_400_000;
  const res = await logs.send(new PutLogEventsCommand({
    logGroupName: g,
    logStreamName: 's',
    logEvents: [
      { timestamp: now - 15 * day, message: 'too old' },
      { timestamp: now - 60_000, message: 'ok 1' },
      { timestamp: now, message: 'ok 2' },
      { timestamp: now + 3 * 3_600_000, message: 'too new' },
    ],
  }));
  assert.deepEqual(res.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1, tooNewLogEventStartIndex: 3 });
  const r = await logs.send(new GetLogEventsCommand({ logGroupName: g, logStreamName: 's', startFromHead: true }));
  assert.deepEqual(r.events?.map((e) => e.message), ['ok 1', 'ok 2']);
});

test('PutLogEvents rejects unordered, oversized and over-24h batches with InvalidParameterException', async () => {
  const g = '/sdk/batch-rules';
  await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: 's' }));
  const now = Date.now();
  await assert.rejects(
    logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: 's', logEvents: [{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }] })),
    (e: Error) => e instanceof InvalidParameterException && /chronological order/.test(e.message),
  );
  const big = 'x'.repeat(200_000);
  await assert.rejects(
    logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: 's', logEvents: Array.from({ length: 6 }, () => ({ timestamp: now, message: big })) })),
    (e: Error) => e instanceof InvalidParameterException && /Upload too large: 1200156 bytes exceeds limit of 1048576/.test(e.message),
  );
  await assert.rejects(
    logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: 's', logEvents: [{ timestamp: now - 25 * 3_600_000, message: 'a' }, { timestamp: now, message: 'b' }] })),
    (e: Error) => e instanceof InvalidParameterException && /24 hours/.test(e.message),
  );
  await assert.rejects(
    logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: 'missing', logEvents: [{ timestamp: now, message: 'a' }] })),
    (e: Error) => e instanceof ResourceNotFoundException && e.message === 'The specified log stream does not exist.',
  );
});

test('log groups: create, duplicate, describe with prefix/pattern/pagination, delete', async () => {
  for (let i = 0; i < 7; i++) await logs.send(new CreateLogGroupCommand({ logGroupName: `/list/g${i}`, tags: { team: 'a' } }));
  await assert.rejects(logs.send(new CreateLogGroupCommand({ logGroupName: '/list/g0' })), ResourceAlreadyExistsException);

  const names: string[] = [];
  for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 3 }, { logGroupNamePrefix: '/list/' })) {
    assert.ok((page.logGroups?.length ?? 0) <= 3);
    names.push(...(page.logGroups ?? []).map((g) => g.logGroupName!));
  }
  assert.deepEqual(names, ['/list/g0', '/list/g1', '/list/g2', '/list/g3', '/list/g4', '/list/g5', '/list/g6']);

  const byPattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'g3' }));
  assert.deepEqual(byPattern.logGroups?.map((g) => g.logGroupName), ['/list/g3']);
  const g = byPattern.logGroups![0];
  assert.equal(g.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/list/g3:*');
  assert.equal(g.logGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/list/g3');
  assert.equal(typeof g.creationTime, 'number');
  assert.equal(g.storedBytes, 0);

  await assert.rejects(
    logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'g', logGroupNamePrefix: '/list' })),
    InvalidParameterException,
  );
  await logs.send(new DeleteLogGroupCommand({ logGroupName: '/list/g3' }));
  await assert.rejects(logs.send(new DeleteLogGroupCommand({ logGroupName: '/list/g3' })), ResourceNotFoundException);
  const after = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'g3' }));
  assert.deepEqual(after.logGroups, []);
});

test('log streams: describe ordered by name and by last event time, descending, paginated; delete', async () => {
  const g = '/sdk/streams';
  await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
  const now = Date.now();
  for (const [i, name] of ['c', 'a', 'b'].entries()) {
    await logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: name }));
    await logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: name, logEvents: [{ timestamp: now - 10_000 + i * 1000, message: name }] }));
  }
  await assert.rejects(logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: 'a' })), ResourceAlreadyExistsException);
  const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupName: g }));
  assert.deepEqual(byName.logStreams?.map((s) => s.logStreamName), ['a', 'b', 'c']);
  const s = byName.logStreams![0];
  assert.equal(s.arn, `arn:aws:logs:us-east-1:000000000000:log-group:${g}:log-stream:a`);
  assert.equal(s.firstEventTimestamp, now - 9000);
  const byTime = await logs.send(new DescribeLogStreamsCommand({ logGroupName: g, orderBy: 'LastEventTime', descending: true }));
  assert.deepEqual(byTime.logStreams?.map((x) => x.logStreamName), ['b', 'a', 'c']);
  const p1 = await logs.send(new DescribeLogStreamsCommand({ logGroupName: g, limit: 2 }));
  const p2 = await logs.send(new DescribeLogStreamsCommand({ logGroupName: g, limit: 2, nextToken: p1.nextToken }));
  assert.deepEqual([...p1.logStreams!, ...p2.logStreams!].map((x) => x.logStreamName), ['a', 'b', 'c']);
  assert.equal(p2.nextToken, undefined);
  await assert.rejects(
    logs.send(new DescribeLogStreamsCommand({ logGroupName: g, orderBy: 'LastEventTime', logStreamNamePrefix: 'a' })),
    InvalidParameterException,
  );
  await logs.send(new DeleteLogStreamCommand({ logGroupName: g, logStreamName: 'a' }));
  await assert.rejects(logs.send(new DeleteLogStreamCommand({ logGroupName: g, logStreamName: 'a' })), ResourceNotFoundException);
  const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: g }));
  assert.ok(groups.logGroups![0].storedBytes! > 0, 'storedBytes counts ingested messages');
});

test('resources are scoped by region', async () => {
  const west = new CloudWatchLogsClient(sdkConfig(server.url, 'eu-west-1'));
  try {
    await west.send(new CreateLogGroupCommand({ logGroupName: '/regional' }));
    const east = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/regional' }));
    assert.deepEqual(east.logGroups, []);
    const w = await west.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/regional' }));
    assert.equal(w.logGroups?.[0].arn, 'arn:aws:logs:eu-west-1:000000000000:log-group:/regional:*');
  } finally {
    west.destroy();
  }
});
