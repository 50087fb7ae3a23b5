import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamBuffers } from './buffers.ts';
import { compileDestination, type StoredDestination } from './destination.ts';
import type { StreamRow } from './repo.ts';

const MIB = 1024 * 1024;
const stream = (destination: StoredDestination): StreamRow => ({
  id: 1, account: '000000000000', region: 'us-east-1', name: 's', type: 'DirectPut', version: 1, destination,
  source: undefined, encryption: undefined, tags: [], createdAt: 0, updatedAt: 0,
});
const buffers = (config: Record<string, unknown>) => {
  const d: StoredDestination = { kind: 's3', extended: true, config: { RoleARN: 'arn:aws:iam::000000000000:role/r', BucketARN: 'arn:aws:s3:::b', ...config } };
  return new StreamBuffers(stream(d), compileDestination(d));
};

test('a batch is due when the buffer is full or its oldest record is IntervalInSeconds old, whichever comes first', () => {
  const b = buffers({ BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } });
  b.add({ seq: 1, arrivedAt: 1000, data: Buffer.alloc(600 * 1024) });
  const [part] = b.partitions.values();
  const hints = { sizeBytes: MIB, intervalMs: 60_000 };
  assert.equal(StreamBuffers.due(part!, hints, 1000), false);
  assert.equal(StreamBuffers.due(part!, hints, 61_000), true);
  b.add({ seq: 2, arrivedAt: 2000, data: Buffer.alloc(600 * 1024) });
  b.add({ seq: 3, arrivedAt: 3000, data: Buffer.alloc(10) });
  assert.equal(StreamBuffers.due(part!, hints, 3000), true);
  const head = StreamBuffers.head(part!, hints);
  assert.deepEqual(head.map((u) => u.seq), [1, 2]);
  b.settle('', part!, head);
  assert.deepEqual(b.takeDone(), [1, 2]);
  assert.deepEqual(part!.units.map((u) => u.seq), [3]);
  // A failed attempt holds the batch back until its retry time.
  part!.nextAt = 200_000;
  assert.equal(StreamBuffers.due(part!, hints, 100_000), false);
});

test('with dynamic partitioning a record is one unit per partition; it is done once every piece was delivered', () => {
  const b = buffers({
    Prefix: 'k=!{partitionKeyFromQuery:k}/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}/', DynamicPartitioningConfiguration: { Enabled: true },
    ProcessingConfiguration: { Enabled: true, Processors: [
      { Type: 'RecordDeAggregation', Parameters: [{ ParameterName: 'SubRecordType', ParameterValue: 'JSON' }] },
      { Type: 'MetadataExtraction', Parameters: [{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{k: .k}' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] },
    ] },
  });
  b.add({ seq: 7, arrivedAt: 0, data: Buffer.from('{"k":"a"}{"k":"b"}') });
  b.add({ seq: 8, arrivedAt: 0, data: Buffer.from('{"x":1}') });
  assert.deepEqual([...b.partitions.keys()], ['{"k":"a"}', '{"k":"b"}']);
  assert.equal(b.errors.units.length, 1);
  const a = b.partitions.get('{"k":"a"}')!;
  b.settle('{"k":"a"}', a, [...a.units]);
  assert.deepEqual(b.takeDone(), []);
  const p = b.partitions.get('{"k":"b"}')!;
  b.settle('{"k":"b"}', p, [...p.units]);
  assert.deepEqual(b.takeDone(), [7]);
  assert.equal(b.partitions.size, 0);
});
