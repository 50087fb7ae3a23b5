/**
 * Amazon Data Firehose through SDK v3: the API, buffering by size and interval, AWS's object names
 * and prefixes, compression, dynamic partitioning and error output, processors, HTTP endpoint
 * delivery (format, access key, retries, S3 backup), metrics, error logs and account isolation.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { unzipSync } from 'fflate';
import {
  CreateDeliveryStreamCommand, DeleteDeliveryStreamCommand, DescribeDeliveryStreamCommand, FirehoseClient, ListDeliveryStreamsCommand,
  ListTagsForDeliveryStreamCommand, PutRecordBatchCommand, PutRecordCommand, StartDeliveryStreamEncryptionCommand, StopDeliveryStreamEncryptionCommand,
  TagDeliveryStreamCommand, UntagDeliveryStreamCommand, UpdateDestinationCommand, type CreateDeliveryStreamCommandInput,
} from '@aws-sdk/client-firehose';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { unblockHadoopSnappy, unframeSnappy } from '../src/services/firehose/compression.ts';
import { ACCOUNT, OTHER, OTHER_ACCOUNT, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { bucketDirs, bucketMap, objects, s3Dest } from './helpers/firehose.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { selfSignedCert } from './helpers/tls.ts';
import { until } from './helpers/until.ts';

let server: TestServer;
let fh: FirehoseClient;
let other: FirehoseClient;
let rx: Receiver;
const dirs = bucketDirs(['bucket-a', 'bucket-b', 'broken']);
// A "bucket" whose directory cannot be created (its parent is a file): every write fails.
writeFileSync(dirs.broken!, 'not a directory');
dirs.broken = join(dirs.broken!, 'bucket');

before(async () => {
  const tls = selfSignedCert();
  rx = await startReceiver({ tls });
  server = await startTestServer({
    modules: ['firehose', 'logs', 'cloudwatch'],
    env: {
      OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS, OSPREY_EXPORT_BUCKETS: bucketMap(dirs), NODE_EXTRA_CA_CERTS: tls.certPath,
      OSPREY_EXPORT_BUCKET_OWNERS: JSON.stringify({ 'bucket-a': [ACCOUNT], 'bucket-b': [OTHER_ACCOUNT], broken: [ACCOUNT] }),
    },
  });
  fh = new FirehoseClient(sdkConfig(server.url));
  other = new FirehoseClient({ ...sdkConfig(server.url), credentials: OTHER });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  await rx?.close();
});

const create = (input: CreateDeliveryStreamCommandInput) => fh.send(new CreateDeliveryStreamCommand(input));
const put = (name: string, records: (string | Buffer)[]) =>
  fh.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: records.map((r) => ({ Data: Buffer.from(r) })) }));
const errorOf = async (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e);

describe('API', () => {
  test('create, describe (CREATING then ACTIVE, version, destination, source), list, delete', async () => {
    const { DeliveryStreamARN } = await create({ DeliveryStreamName: 'api-one', ExtendedS3DestinationConfiguration: s3Dest('bucket-a') });
    assert.equal(DeliveryStreamARN, `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/api-one`);
    const first = (await fh.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'api-one' }))).DeliveryStreamDescription!;
    assert.equal(first.DeliveryStreamStatus, 'CREATING');
    const d = await until('ACTIVE', async () => {
      const x = (await fh.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'api-one' }))).DeliveryStreamDescription!;
      return x.DeliveryStreamStatus === 'ACTIVE' ? x : undefined;
    });
    assert.equal(d.VersionId, '1');
    assert.equal(d.DeliveryStreamType, 'DirectPut');
    assert.deepEqual(d.Source?.DirectPutSourceDescription !== undefined, true);
    assert.equal(d.HasMoreDestinations, false);
    const dest = d.Destinations![0]!;
    assert.equal(dest.DestinationId, 'destinationId-000000000001');
    assert.deepEqual(dest.ExtendedS3DestinationDescription?.BufferingHints, { SizeInMBs: 5, IntervalInSeconds: 300 });
    assert.equal(dest.ExtendedS3DestinationDescription?.CompressionFormat, 'UNCOMPRESSED');
    assert.equal(dest.S3DestinationDescription?.BucketARN, 'arn:aws:s3:::bucket-a');
    const dup = await errorOf(create({ DeliveryStreamName: 'api-one', ExtendedS3DestinationConfiguration: s3Dest('bucket-a') }));
    assert.equal(dup.name, 'ResourceInUseException');

    await create({ DeliveryStreamName: 'api-two', S3DestinationConfiguration: s3Dest('bucket-a') });
    await create({ DeliveryStreamName: 'api-three', DeliveryStreamType: 'KinesisStreamAsSource', KinesisStreamSourceConfiguration: { KinesisStreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/src`, RoleARN: 'arn:aws:iam::000000000000:role/r' }, ExtendedS3DestinationConfiguration: s3Dest('bucket-a') });
    const page = await fh.send(new ListDeliveryStreamsCommand({ Limit: 2, ExclusiveStartDeliveryStreamName: 'api-' }));
    assert.deepEqual(page, { ...page, DeliveryStreamNames: ['api-one', 'api-three'], HasMoreDeliveryStreams: true });
    const kin = await fh.send(new ListDeliveryStreamsCommand({ DeliveryStreamType: 'KinesisStreamAsSource' }));
    assert.deepEqual(kin.DeliveryStreamNames, ['api-three']);
    const three = (await fh.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'api-three' }))).DeliveryStreamDescription!;
    assert.equal(three.Source?.KinesisStreamSourceDescription?.KinesisStreamARN, `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/src`);
    const direct = await errorOf(fh.send(new PutRecordCommand({ DeliveryStreamName: 'api-three', Record: { Data: Buffer.from('x') } })));
    assert.equal(direct.name, 'InvalidArgumentException');
    assert.match(direct.message, /not permitted on KinesisStreamAsSource/);

    await fh.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'api-two' }));
    const gone = await errorOf(fh.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'api-two' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
  });

  test('UpdateDestination checks the version id and bumps it; tags; encryption', async () => {
    await create({ DeliveryStreamName: 'upd', ExtendedS3DestinationConfiguration: s3Dest('bucket-a'), Tags: [{ Key: 'team', Value: 'a' }] });
    const stale = await errorOf(fh.send(new UpdateDestinationCommand({ DeliveryStreamName: 'upd', CurrentDeliveryStreamVersionId: '7', DestinationId: 'destinationId-000000000001', ExtendedS3DestinationUpdate: { Prefix: 'x/' } })));
    assert.equal(stale.name, 'ConcurrentModificationException');
    await fh.send(new UpdateDestinationCommand({ DeliveryStreamName: 'upd', CurrentDeliveryStreamVersionId: '1', DestinationId: 'destinationId-000000000001', ExtendedS3DestinationUpdate: { Prefix: 'x/', CompressionFormat: 'GZIP' } }));
    const d = (await fh.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'upd' }))).DeliveryStreamDescription!;
    assert.equal(d.VersionId, '2');
    assert.equal(d.Destinations![0]!.ExtendedS3DestinationDescription?.Prefix, 'x/');
    assert.equal(d.Destinations![0]!.ExtendedS3DestinationDescription?.CompressionFormat, 'GZIP');

    await fh.send(new TagDeliveryStreamCommand({ DeliveryStreamName: 'upd', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'b' }] }));
    await fh.send(new UntagDeliveryStreamCommand({ DeliveryStreamName: 'upd', TagKeys: ['env'] }));
    const tags = await fh.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'upd' }));
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'b' }]);
    assert.equal(tags.HasMoreTags, false);

    await fh.send(new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: 'upd', DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' } }));
    const enc = (await fh.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'upd' }))).DeliveryStreamDescription!.DeliveryStreamEncryptionConfiguration;
    assert.equal(enc?.Status, 'ENABLED');
    const r = await fh.send(new PutRecordCommand({ DeliveryStreamName: 'upd', Record: { Data: Buffer.from('x') } }));
    assert.equal(r.Encrypted, true);
    await fh.send(new StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: 'upd' }));
    const off = (await fh.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'upd' }))).DeliveryStreamDescription!.DeliveryStreamEncryptionConfiguration;
    assert.equal(off?.Status, 'DISABLED');
  });

  test('what Osprey cannot deliver is refused with InvalidArgumentException naming what it supports', async () => {
    const cases: [CreateDeliveryStreamCommandInput, RegExp][] = [
      [{ DeliveryStreamName: 'no-rs', RedshiftDestinationConfiguration: { RoleARN: 'arn:aws:iam::000000000000:role/r', ClusterJDBCURL: 'jdbc:redshift://c.abc.us-east-1.redshift.amazonaws.com:5439/dev', CopyCommand: { DataTableName: 't' }, S3Configuration: s3Dest('bucket-a') } }, /RedshiftDestinationConfiguration is not supported: Osprey delivers to ExtendedS3/],
      [{ DeliveryStreamName: 'no-conv', ExtendedS3DestinationConfiguration: s3Dest('bucket-a', { DataFormatConversionConfiguration: { Enabled: true } }) }, /DataFormatConversionConfiguration .* not supported/],
      [{ DeliveryStreamName: 'no-lambda', ExtendedS3DestinationConfiguration: s3Dest('bucket-a', { ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: 'arn:aws:lambda:us-east-1:0:function:f' }] }] } }) }, /Lambda processors are not supported/],
      [{ DeliveryStreamName: 'no-jq', ExtendedS3DestinationConfiguration: s3Dest('bucket-a', { Prefix: 'k=!{partitionKeyFromQuery:k}/', ErrorOutputPrefix: 'e/', DynamicPartitioningConfiguration: { Enabled: true }, ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'MetadataExtraction', Parameters: [{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{k: .t | strftime("%Y")}' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] }] } }) }, /unsupported jq query/],
      [{ DeliveryStreamName: 'no-bucket', ExtendedS3DestinationConfiguration: s3Dest('nowhere') }, /export\.buckets/],
      [{ DeliveryStreamName: 'no-dest' }, /Exactly one destination/],
      [{ DeliveryStreamName: 'bad-prefix', ExtendedS3DestinationConfiguration: s3Dest('bucket-a', { Prefix: '!{timestamp:yyyy}/' }) }, /ErrorOutputPrefix cannot be null/],
    ];
    for (const [input, message] of cases) {
      const e = await errorOf(create(input));
      assert.equal(e.name, 'InvalidArgumentException', `${input.DeliveryStreamName}: ${e.message}`);
      assert.match(e.message, message);
    }
  });

  test('PutRecordBatch limits: 500 records, 1,000 KiB each, 4 MiB in all', async () => {
    await create({ DeliveryStreamName: 'limits', ExtendedS3DestinationConfiguration: s3Dest('bucket-a') });
    const many = await errorOf(put('limits', Array.from({ length: 501 }, () => 'x')));
    assert.equal(many.name, 'ValidationException');
    const big = await errorOf(put('limits', [Buffer.alloc(1_024_001)]));
    assert.equal(big.name, 'ValidationException');
    const total = await errorOf(put('limits', Array.from({ length: 5 }, () => Buffer.alloc(1_000_000))));
    assert.equal(total.name, 'InvalidArgumentException');
    const ok = await put('limits', Array.from({ length: 500 }, (_, i) => `r${i}`));
    assert.equal(ok.FailedPutCount, 0);
    assert.equal(ok.RequestResponses!.length, 500);
    assert.equal(new Set(ok.RequestResponses!.map((r) => r.RecordId)).size, 500);
    const missing = await errorOf(put('missing', ['x']));
    assert.equal(missing.name, 'ResourceNotFoundException');
  });
});

describe('delivery to S3', () => {
  test('by interval: nothing before IntervalInSeconds, then one object named as AWS names it', async () => {
    await create({ DeliveryStreamName: 'by-interval', ExtendedS3DestinationConfiguration: s3Dest('bucket-a', { Prefix: 'interval/', BufferingHints: { IntervalInSeconds: 2, SizeInMBs: 128 } }) });
    const t0 = Date.now();
    await put('by-interval', ['a\n', 'b\n']);
    await put('by-interval', ['c\n']);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await objects(dirs['bucket-a']!, 'interval/')).size, 0);
    const objs = await until('the object', async () => ((await objects(dirs['bucket-a']!, 'interval/')).size > 0 ? objects(dirs['bucket-a']!, 'interval/') : undefined), 6000);
    assert.ok(Date.now() - t0 >= 1900);
    const [[key, body]] = [...objs];
    assert.equal(body!.toString(), 'a\nb\nc\n');
    const now = new Date();
    const hour = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}/`;
    assert.ok(key!.startsWith(`interval/${hour}`), key);
    assert.match(key!, /^interval\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/by-interval-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}$/);
  });

  test('by size: a full buffer goes at once, long before the interval', async () => {
    await create({ DeliveryStreamName: 'by-size', ExtendedS3DestinationConfiguration: s3Dest('bucket-a', { Prefix: 'size/', BufferingHints: { IntervalInSeconds: 900, SizeInMBs: 1 } }) });
    const chunk = Buffer.alloc(400 * 1024, 'x');
    for (let i = 0; i < 3; i++) await put('by-size', [chunk]);
    const objs = await until('a full object', async () => ((await objects(dirs['bucket-a']!, 'size/')).size > 0 ? objects(dirs['bucket-a']!, 'size/') : undefined), 4000);
    assert.equal([...objs.values()][0]!.length, 3 * 400 * 1024);
  });

  test('compression: extensions and bodies for GZIP, ZIP, Snappy and HADOOP_SNAPPY', async () => {
    const data = Array.from({ length: 200 }, (_, i) => `{"n":${i},"text":"repeat repeat repeat"}\n`);
    const expected = Buffer.from(data.join(''));
    const decode: Record<string, [string, (b: Buffer) => Buffer]> = {
      GZIP: ['.gz', gunzipSync], ZIP: ['.zip', (b) => Buffer.from(Object.values(unzipSync(b))[0]!)],
      Snappy: ['.snappy', unframeSnappy], HADOOP_SNAPPY: ['.hsnappy', unblockHadoopSnappy],
    };
    for (const [format, [ext, unpack]] of Object.entries(decode)) {
      const name = `comp-${format.toLowerCase().replace('_', '-')}`;
      await create({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: s3Dest('bucket-a', { Prefix: `${name}/`, CompressionFormat: format as 'GZIP', BufferingHints: { IntervalInSeconds: 0 } }) });
      await put(name, data);
      const objs = await until(`${format} object`, async () => ((await objects(dirs['bucket-a']!, `${name}/`)).size > 0 ? objects(dirs['bucket-a']!, `${name}/`) : undefined));
      const [[key, body]] = [...objs];
      assert.ok(key!.endsWith(ext), key);
      assert.deepEqual(unpack(body!), expected, format);
    }
  });

  test('dynamic partitioning: one prefix per key, unparseable records in the error output', async () => {
    await create({
      DeliveryStreamName: 'dyn', ExtendedS3DestinationConfiguration: s3Dest('bucket-a', {
        Prefix: 'dyn/customer=!{partitionKeyFromQuery:customer}/device=!{partitionKeyFromQuery:device}/', ErrorOutputPrefix: 'dyn-errors/!{firehose:error-output-type}/!{timestamp:yyyy}/',
        BufferingHints: { IntervalInSeconds: 0, SizeInMBs: 64 }, DynamicPartitioningConfiguration: { Enabled: true },
        ProcessingConfiguration: { Enabled: true, Processors: [
          { Type: 'MetadataExtraction', Parameters: [{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{customer: .customer_id, device: .type.device}' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] },
          { Type: 'AppendDelimiterToRecord', Parameters: [] },
        ] },
      }),
    });
    await put('dyn', [
      JSON.stringify({ customer_id: 'a', type: { device: 'mobile' }, n: 1 }), JSON.stringify({ customer_id: 'b', type: { device: 'web' }, n: 2 }),
      JSON.stringify({ customer_id: 'a', type: { device: 'mobile' }, n: 3 }), 'not json',
    ]);
    const objs = await until('three objects', async () => {
      const all = new Map([...await objects(dirs['bucket-a']!, 'dyn/'), ...await objects(dirs['bucket-a']!, 'dyn-errors/')]);
      return all.size >= 3 ? all : undefined;
    });
    const byPrefix = new Map([...objs].map(([k, v]) => [k.slice(0, k.lastIndexOf('/') + 1), v]));
    assert.deepEqual(byPrefix.get('dyn/customer=a/device=mobile/')!.toString().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { n: number }).n), [1, 3]);
    assert.ok(byPrefix.get('dyn/customer=b/device=web/'));
    const errKey = [...byPrefix.keys()].find((k) => k.startsWith('dyn-errors/'))!;
    assert.equal(errKey, `dyn-errors/processing-failed/${new Date().getUTCFullYear()}/`);
    const failed = JSON.parse(byPrefix.get(errKey)!.toString()) as { rawData: string; errorCode: string };
    assert.equal(Buffer.from(failed.rawData, 'base64').toString(), 'not json');
    assert.match(failed.errorCode, /MetadataExtraction/);
  });

  test('CloudWatch Logs subscription records: decompressed, one line per log event', async () => {
    await create({
      DeliveryStreamName: 'cwl', ExtendedS3DestinationConfiguration: s3Dest('bucket-a', {
        Prefix: 'cwl/', BufferingHints: { IntervalInSeconds: 0 },
        ProcessingConfiguration: { Enabled: true, Processors: [
          { Type: 'Decompression', Parameters: [{ ParameterName: 'CompressionFormat', ParameterValue: 'GZIP' }] },
          { Type: 'CloudWatchLogProcessing', Parameters: [{ ParameterName: 'DataMessageExtraction', ParameterValue: 'true' }] },
          { Type: 'AppendDelimiterToRecord' },
        ] },
      }),
    });
    const msg = { messageType: 'DATA_MESSAGE', owner: ACCOUNT, logGroup: 'g', logStream: 's', subscriptionFilters: ['f'], logEvents: [{ id: '1', timestamp: 1, message: 'first' }, { id: '2', timestamp: 2, message: 'second' }] };
    await put('cwl', [gzipSync(JSON.stringify(msg)), gzipSync(JSON.stringify({ messageType: 'CONTROL_MESSAGE', logEvents: [] }))]);
    const objs = await until('the object', async () => ((await objects(dirs['bucket-a']!, 'cwl/')).size > 0 ? objects(dirs['bucket-a']!, 'cwl/') : undefined));
    assert.equal([...objs.values()][0]!.toString(), 'first\nsecond\n');
  });

  test('S3BackupMode Enabled: the source records, unprocessed, also go to the backup bucket', async () => {
    await create({ DeliveryStreamName: 'with-backup', ExtendedS3DestinationConfiguration: s3Dest('bucket-a', {
      Prefix: 'main/', BufferingHints: { IntervalInSeconds: 0 }, S3BackupMode: 'Enabled',
      S3BackupConfiguration: s3Dest('bucket-a', { Prefix: 'source-backup/', BufferingHints: { IntervalInSeconds: 0 }, CompressionFormat: 'GZIP' }),
      ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
    }) });
    const d = (await fh.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'with-backup' }))).DeliveryStreamDescription!;
    assert.equal(d.Destinations![0]!.ExtendedS3DestinationDescription!.S3BackupDescription?.Prefix, 'source-backup/');
    await put('with-backup', ['a', 'b']);
    const main = await until('the object', async () => ((await objects(dirs['bucket-a']!, 'main/')).size > 0 ? objects(dirs['bucket-a']!, 'main/') : undefined));
    const backup = await until('the backup', async () => ((await objects(dirs['bucket-a']!, 'source-backup/')).size > 0 ? objects(dirs['bucket-a']!, 'source-backup/') : undefined));
    assert.equal([...main.values()][0]!.toString(), 'a\nb\n');
    const [[key, body]] = [...backup];
    assert.ok(key!.endsWith('.gz'));
    assert.equal(gunzipSync(body!).toString(), 'ab');
  });

  test('delivery errors are retried, logged to CloudWatch Logs and counted in AWS/Firehose', async () => {
    const logs = new CloudWatchLogsClient(sdkConfig(server.url));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/kinesisfirehose/broken' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/aws/kinesisfirehose/broken', logStreamName: 'DestinationDelivery' }));
    await create({ DeliveryStreamName: 'broken', ExtendedS3DestinationConfiguration: s3Dest('broken', {
      BufferingHints: { IntervalInSeconds: 0 }, CloudWatchLoggingOptions: { Enabled: true, LogGroupName: '/aws/kinesisfirehose/broken', LogStreamName: 'DestinationDelivery' },
    }) });
    await put('broken', ['x']);
    const events = await until('an error log', async () => {
      const r = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/kinesisfirehose/broken', logStreamName: 'DestinationDelivery' }));
      return r.events!.length > 0 ? r.events! : undefined;
    });
    const rec = JSON.parse(events[0]!.message!) as { deliveryStreamARN: string; destination: string; errorCode: string };
    assert.equal(rec.deliveryStreamARN, `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/broken`);
    assert.equal(rec.destination, 'arn:aws:s3:::broken');
    assert.equal(rec.errorCode, 'S3.PutObject');

    const cw = new CloudWatchClient(sdkConfig(server.url));
    const stat = (metric: string, stream: string) => cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/Firehose', MetricName: metric, Dimensions: [{ Name: 'DeliveryStreamName', Value: stream }],
      StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 60_000), Period: 60, Statistics: ['Sum', 'Average', 'SampleCount'],
    }));
    const failures = await until('DeliveryToS3.Success', async () => {
      const r = await stat('DeliveryToS3.Success', 'broken');
      return r.Datapoints!.length > 0 ? r.Datapoints! : undefined;
    }, 15_000);
    assert.equal(failures[0]!.Average, 0);
    const incoming = await stat('IncomingRecords', 'by-interval');
    assert.equal(incoming.Datapoints!.reduce((n, d) => n + d.Sum!, 0), 3);
    const delivered = await stat('DeliveryToS3.Records', 'by-interval');
    assert.equal(delivered.Datapoints!.reduce((n, d) => n + d.Sum!, 0), 3);
  });
});

describe('HTTP endpoint', () => {
  test('Firehose request format, access key and common attributes; retried with the same request id', async () => {
    rx.status = 500;
    await create({ DeliveryStreamName: 'http', HttpEndpointDestinationConfiguration: {
      EndpointConfiguration: { Url: `${rx.url}/ingest`, Name: 'receiver', AccessKey: 'secret-key' },
      BufferingHints: { IntervalInSeconds: 0, SizeInMBs: 1 }, RetryOptions: { DurationInSeconds: 60 },
      RequestConfiguration: { ContentEncoding: 'NONE', CommonAttributes: [{ AttributeName: 'env', AttributeValue: 'test' }] },
      S3Configuration: s3Dest('bucket-a', { Prefix: 'http-backup/' }),
    } });
    const d = (await fh.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'http' }))).DeliveryStreamDescription!;
    const hd = d.Destinations![0]!.HttpEndpointDestinationDescription!;
    assert.deepEqual(hd.EndpointConfiguration, { Url: `${rx.url}/ingest`, Name: 'receiver' });
    await put('http', ['one', 'two']);
    await until('a failed attempt', () => (rx.received.some((r) => r.path === '/ingest') ? true : undefined));
    rx.status = 200;
    const ok = await until('a retry', () => (rx.received.filter((r) => r.path === '/ingest').length >= 2 ? rx.received.filter((r) => r.path === '/ingest') : undefined), 8000);
    const [a, b] = ok;
    assert.equal(a!.headers['x-amz-firehose-request-id'], b!.headers['x-amz-firehose-request-id']);
    assert.equal(b!.headers['x-amz-firehose-access-key'], 'secret-key');
    assert.equal(b!.headers['x-amz-firehose-protocol-version'], '1.0');
    assert.equal(b!.headers['x-amz-firehose-source-arn'], `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/http`);
    assert.deepEqual(JSON.parse(String(b!.headers['x-amz-firehose-common-attributes'])), { commonAttributes: { env: 'test' } });
    const body = JSON.parse(b!.body) as { requestId: string; timestamp: number; records: { data: string }[] };
    assert.equal(body.requestId, b!.headers['x-amz-firehose-request-id']);
    assert.deepEqual(body.records.map((r) => Buffer.from(r.data, 'base64').toString()), ['one', 'two']);
  });

  test('after RetryOptions.DurationInSeconds, failed records go to the S3 error output (http-endpoint-failed)', async () => {
    rx.status = 503;
    await create({ DeliveryStreamName: 'http-fail', HttpEndpointDestinationConfiguration: {
      EndpointConfiguration: { Url: `${rx.url}/failing` }, BufferingHints: { IntervalInSeconds: 0, SizeInMBs: 1 }, RetryOptions: { DurationInSeconds: 2 },
      RequestConfiguration: { ContentEncoding: 'GZIP' }, S3Configuration: s3Dest('bucket-a', { Prefix: 'fail-backup/' }),
    } });
    await put('http-fail', ['lost?']);
    const objs = await until('the error output', async () => ((await objects(dirs['bucket-a']!, 'fail-backup/')).size > 0 ? objects(dirs['bucket-a']!, 'fail-backup/') : undefined), 10_000);
    rx.status = 200;
    const [[key, body]] = [...objs];
    assert.match(key!, /^fail-backup\/http-endpoint-failed\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/http-fail-1-/);
    const rec = JSON.parse(body!.toString()) as { rawData: string; errorCode: string; errorMessage: string };
    assert.equal(Buffer.from(rec.rawData, 'base64').toString(), 'lost?');
    assert.equal(rec.errorCode, 'HttpEndpoint.DestinationException');
    const attempts = rx.received.filter((r) => r.path === '/failing');
    assert.ok(attempts.length >= 2);
    assert.equal(attempts[0]!.headers['content-encoding'], 'gzip');
  });
});

describe('accounts', () => {
  test('another account sees none of the streams and cannot deliver into a bucket it does not own', async () => {
    const list = await other.send(new ListDeliveryStreamsCommand({}));
    assert.deepEqual(list.DeliveryStreamNames, []);
    const e = await errorOf(other.send(new PutRecordCommand({ DeliveryStreamName: 'by-interval', Record: { Data: Buffer.from('x') } })));
    assert.equal(e.name, 'ResourceNotFoundException');
    const denied = await errorOf(other.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'steal', ExtendedS3DestinationConfiguration: s3Dest('bucket-a') })));
    assert.equal(denied.name, 'InvalidArgumentException');
    assert.match(denied.message, /does not own/);
    await other.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'by-interval', ExtendedS3DestinationConfiguration: s3Dest('bucket-b', { BufferingHints: { IntervalInSeconds: 0 } }) }));
    await other.send(new PutRecordCommand({ DeliveryStreamName: 'by-interval', Record: { Data: Buffer.from('theirs') } }));
    const objs = await until('their object', async () => ((await objects(dirs['bucket-b']!)).size > 0 ? objects(dirs['bucket-b']!) : undefined));
    assert.equal([...objs.values()][0]!.toString(), 'theirs');
  });
});
