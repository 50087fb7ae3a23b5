import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BucketMapError, checkExportConfig, parseBucketMap, parseDestination } from './bucket-map.ts';

test('file:// destinations name an absolute directory', () => {
  assert.deepEqual(parseDestination('b', 'file:///var/lib/osprey/exports'), { kind: 'file', dir: '/var/lib/osprey/exports' });
  assert.deepEqual(parseDestination('b', 'file:///tmp/with%20space'), { kind: 'file', dir: '/tmp/with space' });
  assert.throws(() => parseDestination('b', 'file://host/dir'), BucketMapError);
});

test('s3:// destinations name the real bucket and optionally an S3-compatible endpoint', () => {
  assert.deepEqual(parseDestination('logs', 's3://my-bucket'), { kind: 's3', bucket: 'my-bucket' });
  assert.deepEqual(parseDestination('logs', 's3://my-bucket@http://127.0.0.1:9000'), { kind: 's3', bucket: 'my-bucket', endpoint: 'http://127.0.0.1:9000' });
  assert.deepEqual(parseDestination('logs', 's3://b.c-d@https://minio.example/'), { kind: 's3', bucket: 'b.c-d', endpoint: 'https://minio.example' });
  assert.throws(() => parseDestination('logs', 's3://Bad_Bucket@http://x'), /not a valid S3 bucket name/);
  assert.throws(() => parseDestination('logs', 's3://bucket@ftp://x'), /http:\/\/ or https:\/\//);
  assert.throws(() => parseDestination('logs', 's3://bucket@not a url'), /invalid endpoint/);
});

test('anything else is refused with a message naming the bucket', () => {
  assert.throws(() => parseDestination('mine', '/plain/path'), /export bucket "mine"/);
  assert.throws(() => parseDestination('mine', 42), /non-empty string/);
  assert.throws(() => parseBucketMap(['x']), /mapping/);
  assert.equal(parseBucketMap(undefined).size, 0);
  assert.equal(parseBucketMap({ a: 'file:///a', b: 's3://bbb' }).size, 2);
});

test('export config: a bad bucket entry or half a credential pair is refused', () => {
  checkExportConfig({ buckets: { a: 'file:///x' } });
  checkExportConfig({ buckets: {}, s3AccessKeyId: 'k', s3SecretAccessKey: 's' });
  assert.throws(() => checkExportConfig({ buckets: { a: 'ftp://x' } }), BucketMapError);
  assert.throws(() => checkExportConfig({ buckets: {}, s3AccessKeyId: 'k' }), /both/);
});
