/**
 * A Firehose stream fed by a Kinesis data stream (KinesisStreamAsSource): records put to the
 * Kinesis stream reach the bucket, across a shard split and a server restart (checkpoints in
 * SQLite, AFTER_SEQUENCE_NUMBER resume), each exactly where it should be.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, ListShardsCommand, PutRecordsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { ACCOUNT } from './helpers/accounts.ts';
import { bucketDirs, bucketMap, objects, s3Dest } from './helpers/firehose.ts';
import { sdkConfig, startTestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

test('PutRecords to a Kinesis stream → Firehose with a Kinesis source → objects in the bucket, across a split and a restart', { timeout: 180_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-fh-kinesis-'));
  const dirs = bucketDirs(['from-kinesis']);
  const env = { OSPREY_EXPORT_BUCKETS: bucketMap(dirs) };
  const start = () => startTestServer({ dataDir, modules: ['kinesis', 'firehose'], env });
  const delivered = async () => {
    const lines: string[] = [];
    for (const body of (await objects(dirs['from-kinesis']!)).values()) lines.push(...body.toString().split('\n').filter(Boolean));
    return lines;
  };
  const waitFor = (expected: string[]) => until(`${expected.length} records in the bucket`, async () => {
    const got = await delivered();
    return expected.every((l) => got.includes(l)) ? got : undefined;
  }, 20_000);
  let server = await start();
  try {
    let kinesis = new KinesisClient(sdkConfig(server.url));
    await kinesis.send(new CreateStreamCommand({ StreamName: 'src', ShardCount: 2 }));
    await until('the stream ACTIVE', async () => ((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'src' }))).StreamDescriptionSummary!.StreamStatus === 'ACTIVE' ? true : undefined));
    const StreamARN = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/src`;
    await new FirehoseClient(sdkConfig(server.url)).send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'from-kinesis', DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: StreamARN, RoleARN: 'arn:aws:iam::000000000000:role/firehose' },
      ExtendedS3DestinationConfiguration: s3Dest('from-kinesis', { BufferingHints: { IntervalInSeconds: 0 } }),
    }));
    const putLines = async (k: KinesisClient, tag: string, n: number) => {
      const lines = Array.from({ length: n }, (_, i) => `${tag}-${i}`);
      const r = await k.send(new PutRecordsCommand({ StreamName: 'src', Records: lines.map((l, i) => ({ Data: Buffer.from(`${l}\n`), PartitionKey: `pk${i}` })) }));
      assert.equal(r.FailedRecordCount, 0);
      return lines;
    };
    const first = await putLines(kinesis, 'first', 100);
    await waitFor(first);

    // Split a shard: the parent is read to its end before its children.
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: 'src' }))).Shards!;
    const s0 = shards[0]!;
    const mid = (BigInt(s0.HashKeyRange!.StartingHashKey!) + BigInt(s0.HashKeyRange!.EndingHashKey!)) / 2n;
    await kinesis.send(new SplitShardCommand({ StreamName: 'src', ShardToSplit: s0.ShardId!, NewStartingHashKey: String(mid) }));
    await until('the split done', async () => ((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'src' }))).StreamDescriptionSummary!.StreamStatus === 'ACTIVE' ? true : undefined));
    const second = await putLines(kinesis, 'second', 100);
    await waitFor([...first, ...second]);

    // Restart: reading resumes after the checkpoints, so nothing is lost and nothing read twice.
    await server.stop();
    server = await start();
    kinesis = new KinesisClient(sdkConfig(server.url));
    const third = await putLines(kinesis, 'third', 100);
    const all = await waitFor([...first, ...second, ...third]);
    assert.equal(all.length, 300, 'each record delivered once');
  } finally {
    await server.stop();
    server.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
