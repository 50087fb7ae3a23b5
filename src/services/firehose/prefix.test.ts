import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePrefixes, evaluatePrefix, PrefixError } from './prefix.ts';
import { dateFields } from './date-format.ts';
import { objectSuffix } from './object-name.ts';

const at = dateFields(Date.UTC(2018, 7, 27, 10, 30, 5, 42));
const evalBoth = (prefix?: string, errorOutputPrefix?: string, errorType = 'processing-failed') => {
  const c = compilePrefixes({ prefix, errorOutputPrefix, dynamicPartitioning: false });
  const random = () => '5abf82daaa5';
  return { prefix: evaluatePrefix(c.prefix, { time: at, random }), error: evaluatePrefix(c.errorPrefix, { time: at, errorType, random }) };
};

// The examples table of "Custom prefixes for Amazon S3 objects" (at 10:30 UTC on Aug 27, 2018).
test('no prefix: the default time prefix; error output under the error type', () => {
  assert.deepEqual(evalBoth(undefined, 'myFirehoseFailures/!{firehose:error-output-type}/'), {
    prefix: '2018/08/27/10/', error: 'myFirehoseFailures/processing-failed/2018/08/27/10/',
  });
  assert.deepEqual(evalBoth(), { prefix: '2018/08/27/10/', error: 'processing-failed/2018/08/27/10/' });
});

test('timestamp, random-string and quoted literals', () => {
  assert.deepEqual(evalBoth('myFirehose/DeliveredYear=!{timestamp:yyyy}/anyMonth/rand=!{firehose:random-string}', 'myFirehoseFailures/!{firehose:error-output-type}/!{timestamp:yyyy}/anyMonth/!{timestamp:dd}'), {
    prefix: 'myFirehose/DeliveredYear=2018/anyMonth/rand=5abf82daaa5', error: 'myFirehoseFailures/processing-failed/2018/anyMonth/27',
  });
  assert.deepEqual(evalBoth('myPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/', "myErrorPrefix/!{timestamp:'year='yyyy'/month='MM'/day='dd'/hour='HH}/!{firehose:error-output-type}"), {
    prefix: 'myPrefix/year=2018/month=08/day=27/hour=10/', error: 'myErrorPrefix/year=2018/month=08/day=27/hour=10/processing-failed',
  });
});

test('a prefix without expressions gets the time appended by concatenation', () => {
  assert.deepEqual(evalBoth('myFirehosePrefix/'), { prefix: 'myFirehosePrefix/2018/08/27/10/', error: 'myFirehosePrefix/processing-failed/2018/08/27/10/' });
});

test('the documented invalid inputs are refused', () => {
  assert.throws(() => compilePrefixes({ prefix: '!{timestamp:yyyy/MM/dd}', dynamicPartitioning: false }), /ErrorOutputPrefix cannot be null/);
  assert.throws(() => compilePrefixes({ prefix: 'a/!{firehose:error-output-type}', errorOutputPrefix: 'e/', dynamicPartitioning: false }), PrefixError);
  assert.throws(() => compilePrefixes({ prefix: 'a/!{timestamp:yyyy}', errorOutputPrefix: 'e/!{timestamp:yyyy}', dynamicPartitioning: false }), /must contain !\{firehose:error-output-type\}/);
  assert.throws(() => compilePrefixes({ prefix: 'a/!{nope:x}', errorOutputPrefix: 'e/', dynamicPartitioning: false }), /unknown namespace/);
  assert.throws(() => compilePrefixes({ prefix: 'a/!{timestamp:yyyy', dynamicPartitioning: false }), /outside/);
  assert.throws(() => compilePrefixes({ prefix: 'a/!{timestamp:yyyy-QQ}', errorOutputPrefix: 'e/!{firehose:error-output-type}', dynamicPartitioning: false }), /unsupported pattern letter 'Q'/);
  assert.throws(() => compilePrefixes({ prefix: 'k=!{partitionKeyFromQuery:k}/', errorOutputPrefix: 'e/', dynamicPartitioning: false }), /requires DynamicPartitioningConfiguration/);
  assert.throws(() => compilePrefixes({ prefix: 'k=!{partitionKeyFromQuery:k}/', dynamicPartitioning: true }), /ErrorOutputPrefix must be specified/);
});

test('dynamic partitioning: keys are substituted and no time is appended', () => {
  const c = compilePrefixes({ prefix: 'customer_id=!{partitionKeyFromQuery:customer_id}/device=!{partitionKeyFromQuery:device}/', errorOutputPrefix: 'errors/!{firehose:error-output-type}/', dynamicPartitioning: true });
  assert.deepEqual(c.partitionKeys, ['customer_id', 'device']);
  assert.equal(evaluatePrefix(c.prefix, { time: at, partitionKeys: { customer_id: '1234567890', device: 'mobile' } }), 'customer_id=1234567890/device=mobile/');
});

test('time zones and text fields', () => {
  const tokyo = dateFields(Date.UTC(2018, 7, 27, 20, 0, 0), 'Asia/Tokyo');
  const c = compilePrefixes({ prefix: '!{timestamp:yyyy-MM-dd HH EEE MMM a}/', errorOutputPrefix: 'e/!{firehose:error-output-type}', dynamicPartitioning: false });
  assert.equal(evaluatePrefix(c.prefix, { time: tokyo }), '2018-08-28 05 Tue Aug AM/');
});

test('object names: stream, version, arrival time, uuid and the compression extension', () => {
  const base = { stream: 'my-stream', version: 3, time: at, uuid: 'a9fa96af-e4e4-409f-bac3-1f804714faaa' };
  assert.equal(objectSuffix({ ...base, compression: 'UNCOMPRESSED' }), 'my-stream-3-2018-08-27-10-30-05-a9fa96af-e4e4-409f-bac3-1f804714faaa');
  assert.equal(objectSuffix({ ...base, compression: 'GZIP' }), 'my-stream-3-2018-08-27-10-30-05-a9fa96af-e4e4-409f-bac3-1f804714faaa.gz');
  assert.match(objectSuffix({ ...base, compression: 'Snappy' }), /\.snappy$/);
  assert.match(objectSuffix({ ...base, compression: 'HADOOP_SNAPPY' }), /\.hsnappy$/);
  assert.match(objectSuffix({ ...base, compression: 'ZIP' }), /\.zip$/);
  assert.match(objectSuffix({ ...base, compression: 'GZIP', fileExtension: '.json.gz' }), /faaa\.json\.gz$/);
});
