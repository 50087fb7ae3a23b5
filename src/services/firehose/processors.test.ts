import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { compilePipeline, processRecord, ProcessorConfigError } from './processors.ts';

const proc = (Type: string, params: Record<string, string> = {}) => ({ Type: Type as never, Parameters: Object.entries(params).map(([ParameterName, ParameterValue]) => ({ ParameterName: ParameterName as never, ParameterValue })) });

test('CloudWatch Logs subscription records: gunzip, one line per log event, control messages dropped', () => {
  const p = compilePipeline({ Enabled: true, Processors: [proc('Decompression', { CompressionFormat: 'GZIP' }), proc('CloudWatchLogProcessing', { DataMessageExtraction: 'true' }), proc('AppendDelimiterToRecord')] }, false);
  const data = gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: [{ message: 'one' }, { message: 'two' }] }));
  const r = processRecord(p, data);
  assert.deepEqual(r.ok && r.pieces.map((x) => x.data.toString()), ['one\n', 'two\n']);
  const ctl = processRecord(p, gzipSync(JSON.stringify({ messageType: 'CONTROL_MESSAGE' })));
  assert.deepEqual(ctl.ok && ctl.pieces, []);
  const bad = processRecord(p, Buffer.from('not gzip'));
  assert.equal(!bad.ok && bad.errorCode, 'Decompression.Failed');
});

test('deaggregation and metadata extraction', () => {
  const p = compilePipeline({ Enabled: true, Processors: [proc('RecordDeAggregation', { SubRecordType: 'JSON' }), proc('MetadataExtraction', { MetadataExtractionQuery: '{c: .c}', JsonParsingEngine: 'JQ-1.6' })] }, true);
  const r = processRecord(p, Buffer.from('{"c":"x","s":"}{"}{"c":"y"}'));
  assert.deepEqual(r.ok && r.pieces.map((x) => x.keys), [{ c: 'x' }, { c: 'y' }]);
  const missing = processRecord(p, Buffer.from('{"d":1}'));
  assert.equal(!missing.ok && missing.errorCode, 'DynamicPartitioning.MetadataExtractionFailed');
  const d = compilePipeline({ Enabled: true, Processors: [proc('RecordDeAggregation', { SubRecordType: 'DELIMITED', Delimiter: Buffer.from('##').toString('base64') })] }, false);
  const rd = processRecord(d, Buffer.from('a##b##c'));
  assert.deepEqual(rd.ok && rd.pieces.map((x) => x.data.toString()), ['a', 'b', 'c']);
});

test('disabled configuration passes records through; Lambda and unknown settings are refused', () => {
  const off = compilePipeline({ Enabled: false, Processors: [proc('Lambda')] }, false);
  assert.deepEqual(processRecord(off, Buffer.from('x')), { ok: true, pieces: [{ data: Buffer.from('x') }] });
  assert.throws(() => compilePipeline({ Enabled: true, Processors: [proc('Lambda', { LambdaArn: 'arn:aws:lambda:us-east-1:1:function:f' })] }, false), /Lambda processors are not supported/);
  assert.throws(() => compilePipeline({ Enabled: true, Processors: [proc('MetadataExtraction', { MetadataExtractionQuery: '.a' })] }, true), ProcessorConfigError);
  assert.throws(() => compilePipeline({ Enabled: true, Processors: [proc('Decompression', { CompressionFormat: 'ZSTD' })] }, false), /use GZIP/);
});
