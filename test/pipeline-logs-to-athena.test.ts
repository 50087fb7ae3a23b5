// The seeds' pipeline, end to end through the real server and SDK v3 clients only: PutLogEvents →
// a subscription filter → a Kinesis stream → a Firehose delivery stream reading that stream
// (decompressing CloudWatch Logs records, extracting each event's message, one per line) → gzip objects in a
// mapped bucket → an Athena external table over the bucket counts the events.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AthenaClient } from '@aws-sdk/client-athena';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { ACCOUNT } from './helpers/accounts.ts';
import { runAthena } from './helpers/athena.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

let server: TestServer;
const lake = mkdtempSync(join(tmpdir(), 'osprey-pipeline-lake-'));
const ROLE = `arn:aws:iam::${ACCOUNT}:role/pipeline`;

before(async () => {
  server = await startTestServer({
    env: {
      OSPREY_EXPORT_BUCKETS: JSON.stringify({ 'pipeline-lake': `file://${lake}` }),
      OSPREY_EXPORT_BUCKET_OWNERS: JSON.stringify({ 'pipeline-lake': [ACCOUNT] }),
      OSPREY_DELIVERY_POLL_MS: '100',
    },
  });
});
after(async () => {
  await server.stop();
  server.cleanup();
  rmSync(lake, { recursive: true, force: true });
});

/** Every object under the bucket, relative key → bytes. */
function objects(dir = lake, prefix = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const key = prefix + e.name;
    if (e.isDirectory()) for (const [k, v] of objects(join(dir, e.name), `${key}/`)) out.set(k, v);
    else out.set(key, readFileSync(join(dir, e.name)));
  }
  return out;
}

test('PutLogEvents → subscription filter → Kinesis → Firehose → gzip objects → Athena counts the events', { timeout: 180_000 }, async () => {
  const cfg = sdkConfig(server.url);
  const logs = new CloudWatchLogsClient(cfg);
  const kinesis = new KinesisClient(cfg);
  const firehose = new FirehoseClient(cfg);
  const athena = new AthenaClient(cfg);

  await kinesis.send(new CreateStreamCommand({ StreamName: 'app-logs', ShardCount: 2 }));
  const { StreamDescriptionSummary: stream } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'app-logs' }));
  await firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: 'app-logs-to-lake',
    DeliveryStreamType: 'KinesisStreamAsSource',
    KinesisStreamSourceConfiguration: { KinesisStreamARN: stream!.StreamARN!, RoleARN: ROLE },
    ExtendedS3DestinationConfiguration: {
      BucketARN: 'arn:aws:s3:::pipeline-lake', RoleARN: ROLE, Prefix: 'app/', ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      CompressionFormat: 'GZIP', BufferingHints: { IntervalInSeconds: 1, SizeInMBs: 1 },
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          { Type: 'Decompression', Parameters: [{ ParameterName: 'CompressionFormat', ParameterValue: 'GZIP' }] },
          { Type: 'CloudWatchLogProcessing', Parameters: [{ ParameterName: 'DataMessageExtraction', ParameterValue: 'true' }] },
          // One line per message (AWS's API reference: add this processor for a new line between records).
          { Type: 'AppendDelimiterToRecord' },
        ],
      },
    },
  }));

  await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/orders' }));
  await logs.send(new PutSubscriptionFilterCommand({
    logGroupName: '/app/orders', filterName: 'to-kinesis', filterPattern: '', destinationArn: stream!.StreamARN!, roleArn: ROLE,
  }));
  const now = Date.now();
  let sent = 0;
  let errors = 0;
  for (const s of ['web-1', 'web-2', 'worker-1']) {
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/app/orders', logStreamName: s }));
    const events = Array.from({ length: 400 }, (_, i) => {
      const level = i % 10 === 0 ? 'error' : 'info';
      if (level === 'error') errors++;
      return { timestamp: now + i, message: JSON.stringify({ level, stream: s, n: i }) };
    });
    await logs.send(new PutLogEventsCommand({ logGroupName: '/app/orders', logStreamName: s, logEvents: events }));
    sent += events.length;
  }

  // Firehose objects: gzip, under the prefix with AWS's YYYY/MM/DD/HH/ partition, one message per line.
  const lines = await until('every event to reach the bucket', async () => {
    const all = [...objects()].filter(([k]) => k.startsWith('app/'));
    const got = all.flatMap(([, v]) => gunzipSync(v).toString('utf8').split('\n').filter((l) => l !== ''));
    if (process.env.DEBUG_PIPELINE) console.error('objects', [...objects().keys()], got.length);
    return got.length >= sent ? { keys: all.map(([k]) => k), got } : undefined;
  }, 60_000).catch((e) => {
    if (process.env.DEBUG_PIPELINE) console.error(server.logs.join('\n').slice(-5000));
    throw e;
  });
  assert.equal(lines.got.length, sent, 'each event exactly once');
  for (const k of lines.keys) assert.match(k, /^app\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/app-logs-to-lake-\d+-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]+\.gz$/);
  assert.equal(lines.got.filter((l) => JSON.parse(l).level === 'error').length, errors);
  assert.equal(objects().size, lines.keys.length, 'nothing went to the error prefix');

  const ddl = await runAthena(athena, `CREATE EXTERNAL TABLE app_logs (level string, stream string, n int)
    ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://pipeline-lake/app/'`);
  assert.equal(ddl.state, 'SUCCEEDED', ddl.reason);
  const q = await runAthena(athena, `SELECT count(*), count_if(level = 'error'), count(DISTINCT stream) FROM app_logs`);
  assert.equal(q.state, 'SUCCEEDED', q.reason);
  assert.deepEqual(q.rows, [[String(sent), String(errors), '3']]);
});
