import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteDestinationCommand,
  DescribeDestinationsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  PutDestinationCommand,
  StartLiveTailCommand,
  StartQueryCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

const ACCOUNT = '000000000000';
const STREAM = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/tagged`;
let server: TestServer;
let logs: CloudWatchLogsClient;

before(async () => {
  const sinkDir = mkdtempSync(join(tmpdir(), 'osprey-sink-'));
  server = await startTestServer({ env: { OSPREY_STREAM_SINKS: JSON.stringify({ [STREAM]: `file://${sinkDir}` }) } });
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
});
after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
});

const rejects = (p: Promise<unknown>, name: string, message?: string | RegExp) =>
  assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });

test('TagResource / UntagResource / ListTagsForResource work on destination ARNs as on log groups', async () => {
  const put = await logs.send(new PutDestinationCommand({
    destinationName: 'tagged', targetArn: STREAM, roleArn: `arn:aws:iam::${ACCOUNT}:role/CWLtoKinesis`, tags: { team: 'a' },
  }));
  const arn = put.destination!.arn!;
  assert.equal(arn, `arn:aws:logs:us-east-1:${ACCOUNT}:destination:tagged`);
  assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { team: 'a' });
  await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'prod', owner: 'me' } }));
  await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
  assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { env: 'prod', owner: 'me' });
  // PutDestination without tags keeps them (updating target/role only).
  await logs.send(new PutDestinationCommand({ destinationName: 'tagged', targetArn: STREAM, roleArn: `arn:aws:iam::${ACCOUNT}:role/Other` }));
  assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { env: 'prod', owner: 'me' });
  assert.equal((await logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: 'tagged' }))).destinations?.length, 1);

  const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
  await rejects(logs.send(new TagResourceCommand({ resourceArn: arn, tags: many })), 'TooManyTagsException');

  const missing = `arn:aws:logs:us-east-1:${ACCOUNT}:destination:nope`;
  await rejects(logs.send(new TagResourceCommand({ resourceArn: missing, tags: { a: 'b' } })), 'ResourceNotFoundException', 'The specified destination does not exist.');
  await rejects(logs.send(new ListTagsForResourceCommand({ resourceArn: missing })), 'ResourceNotFoundException', 'The specified destination does not exist.');
  await rejects(logs.send(new TagResourceCommand({ resourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:anomaly-detector:x`, tags: { a: 'b' } })),
    'InvalidParameterException', /not a valid CloudWatch Logs log group or destination ARN/);

  await logs.send(new DeleteDestinationCommand({ destinationName: 'tagged' }));
  await rejects(logs.send(new ListTagsForResourceCommand({ resourceArn: arn })), 'ResourceNotFoundException');
});

/**
 * A log group's `arn` (DescribeLogGroups) ends with `:*`; logGroupIdentifier takes the ARN without
 * it. AWS refuses the `:*` form with the Coral validation message of the model's pattern
 * `[\w#+=/:,.@-]*` (quoted for StartQuery's logGroupIdentifiers in grafana/grafana#79155).
 */
test('logGroupIdentifier ARNs ending with :* get AWS\'s validation message', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/ids/g' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/ids/g', logStreamName: 's' }));
  const star = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ids/g:*`;
  const single = `1 validation error detected: Value '${star}' at 'logGroupIdentifier' failed to satisfy constraint: ` +
    'Member must satisfy regular expression pattern: [\\w#+=/:,.@-]*';
  const list = `1 validation error detected: Value '[${star}]' at 'logGroupIdentifiers' failed to satisfy constraint: ` +
    'Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1, ' +
    'Member must satisfy regular expression pattern: [\\w#+=/:,.@-]*]';
  await rejects(logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: star })), 'InvalidParameterException', single);
  await rejects(logs.send(new GetLogEventsCommand({ logGroupIdentifier: star, logStreamName: 's' })), 'InvalidParameterException', single);
  await rejects(logs.send(new FilterLogEventsCommand({ logGroupIdentifier: star })), 'InvalidParameterException', single);
  await rejects(logs.send(new StartQueryCommand({ logGroupIdentifiers: [star], startTime: 0, endTime: 1, queryString: 'fields @message' })),
    'InvalidParameterException', list);
  const tail = new CloudWatchLogsClient({ ...sdkConfig(server.url), disableHostPrefix: true });
  try {
    await rejects(tail.send(new StartLiveTailCommand({ logGroupIdentifiers: [star] })), 'InvalidParameterException', list);
  } finally {
    tail.destroy();
  }
  // The bare ARN works everywhere.
  const bare = star.slice(0, -2);
  assert.equal((await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: bare }))).logStreams?.[0]?.logStreamName, 's');
});

test('logGroupIdentifier ARNs that do not name a log group say what they must look like', async () => {
  for (const id of [`arn:aws:logs:us-east-1:${ACCOUNT}:destination:d`, 'arn:aws:s3:::bucket', `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:`]) {
    await rejects(logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: id })), 'InvalidParameterException',
      new RegExp(`^1 validation error detected: Value '${id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}' at 'logGroupIdentifier' failed to satisfy constraint: `));
  }
});
