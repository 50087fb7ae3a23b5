import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceSegmentCodec } from './trace-segment-codec.ts';
import type { TraceSegmentRow } from './trace-segments.ts';

const row = (over: Partial<TraceSegmentRow> = {}): TraceSegmentRow => ({
  account: '000000000000', region: 'us-east-1', traceId: '1-5759e988-bd862e3fe1be46a994272793', id: '70de5b6f19ff9a0a', parentId: '',
  subsegment: false, inProgress: false, name: 'checkout', origin: 'AWS::EC2::Instance', startTime: 1461096053.37518, endTime: 1461096053.4042,
  received: 1_800_000_000_123, document: '{"name":"checkout","ünïcode":"✓"}', keyId: '',
  graph: {
    nodeName: 'checkout', nodeType: 'AWS::EC2::Instance', nodeAccount: '', status: 3, responseTime: 0.029, owned: ['a1', 'b2'],
    calls: [{ id: 'c3', name: 'DynamoDB', type: 'AWS::DynamoDB::Table', account: '', status: 2, responseTime: 0.01, start: 1461096053.38, end: 1461096053.39 }],
  },
  ...over,
});

test('a WAL record decodes to the rows it was encoded from, sealed documents and graph columns included', () => {
  const codec = new TraceSegmentCodec();
  const rows = [row(), row({ id: 'ffff', subsegment: true, inProgress: true, keyId: 'arn:aws:kms:us-east-1:000000000000:key/k', document: 'c2VhbGVk', graph: { ...row().graph, calls: [], owned: [] } })];
  const record = codec.encode(rows);
  assert.deepEqual(new TraceSegmentCodec().decode(record), rows);
  // The head reuses the record's bytes for exactly these rows.
  assert.deepEqual(codec.encodedBody(rows), record.subarray(1));
});

test('an unknown version or a truncated record is refused, not misread', () => {
  const codec = new TraceSegmentCodec();
  const record = codec.encode([row()]);
  assert.throws(() => codec.decode(Buffer.from([9, ...record.subarray(1)])), /unknown version 9/);
  assert.throws(() => codec.decode(record.subarray(0, record.length - 3)), /truncated/);
});
